from django.db import models


class Edition(models.Model):
    """The archive's edition: one more each time anything readers can see changes.

    One row. Pages carry it in their ETag and the page cache in its keys, so a change to a
    story, a person, a quote or a tag shows at once on every page, in every worker, and
    nothing has to be purged.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Edition {self.number}"
