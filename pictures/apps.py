from django.apps import AppConfig


class PicturesConfig(AppConfig):
    name = "pictures"
    verbose_name = "Pictures"

    def ready(self) -> None:
        from . import jobs, signals  # noqa: F401  (renditions as a job once a picture is committed)
