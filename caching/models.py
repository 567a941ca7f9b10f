from django.db import models


class Edition(models.Model):
    """The archive's edition: one more each time anything readers can see changes.

    One row. Pages carry it in their ETag and the page cache in its keys, so a change to a
    story, a person, a quote or a tag shows at once on every page, in every worker, and
    nothing has to be purged.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Edition {self.number}"


class Topic(models.Model):
    """Something pages show (`story:12`, `person:3`, `stories`…) and the version it has been
    at since it last changed: caching/topics.py. The row `*clock` holds the latest version
    given; a topic never changed has no row (version 0)."""

    name = models.CharField(max_length=200, unique=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.version}"
