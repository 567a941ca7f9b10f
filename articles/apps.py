from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self) -> None:
        # The rules of what a change renews, of when related stories are chosen and the people
        # in the news and a person's stories counted again; the workers' kinds; a story's parts
        # move its revision on.
        from . import freshness, in_the_news, jobs, related, signals, story_counts  # noqa: F401
        from .search import register_any_of

        register_any_of()
        freshness.connect()
        related.connect()
        in_the_news.connect()
        story_counts.connect()
