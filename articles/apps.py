from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self) -> None:
        from . import freshness, jobs, signals  # noqa: F401  (the rules of what a change renews; the workers' kinds; a story's parts move its revision on)
        from .search import register_any_of

        register_any_of()
        freshness.connect()
