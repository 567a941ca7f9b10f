from django.apps import AppConfig


class PicturesConfig(AppConfig):
    name = "pictures"
    verbose_name = "Pictures"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (renditions once a picture is committed)
