from django.apps import AppConfig


class CachingConfig(AppConfig):
    """When a reader's page is new: the archive's edition, conditional GET and the page cache."""

    name = "caching"
    verbose_name = "Page cache"

    def ready(self):
        from . import edition

        edition.connect()
