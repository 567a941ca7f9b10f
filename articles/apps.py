from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from . import jobs, signals  # noqa: F401  (the workers' kinds; a story's parts move its revision on)
        from .search import register_any_of

        register_any_of()
