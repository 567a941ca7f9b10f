from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        from . import checks, jobs  # noqa: F401 — the settings checks, the workers' kind
        from .resources import register_any_of

        register_any_of()
