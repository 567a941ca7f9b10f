from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """Versions of people and stories: the version tables (django-simple-history), kept apart
    from the archive's own data — a dump of `people` and `articles` is the archive, not its
    past — and what editors do with them: compare, restore, and the stale-edit guard."""

    name = "history"
    verbose_name = "Versions"
