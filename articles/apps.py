from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self) -> None:
        # The rules of what a change renews and of when related stories are chosen again; the
        # workers' kinds; a story's parts move its revision on.
        from . import freshness, jobs, related, signals  # noqa: F401
        from .search import register_any_of

        register_any_of()
        freshness.connect()
        related.connect()
