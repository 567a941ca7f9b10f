from django.apps import AppConfig


class HistoryConfig(AppConfig):
    """The version tables of people and stories (django-simple-history), kept apart from the
    archive's own data: a dump of `people` and `articles` is the archive, not its past."""

    name = "history"
    verbose_name = "Versions"

    def ready(self):
        from . import edition

        edition.connect()
