from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Open data"

    def ready(self):
        from . import checks  # noqa: F401 — registers the settings checks
        from .resources import register_any_of

        register_any_of()
