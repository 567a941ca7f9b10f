from django.apps import AppConfig


class CachingConfig(AppConfig):
    """When a reader's page is new: what each page shows and when that changed, conditional GET,
    the page cache."""

    name = "caching"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from . import topics

        topics.connect()
