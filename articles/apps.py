from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from . import freshness, signals  # noqa: F401  (signals: parts move the revision on)
        from .search import register_any_of

        register_any_of()
        freshness.connect()
