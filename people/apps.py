from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from . import freshness, signals  # noqa: F401  (signals keep search names current)

        freshness.connect()
