from typing import Any

from django.core.management.base import BaseCommand

from pictures.models import Picture
from pictures.renditions import make_missing


class Command(BaseCommand):
    help = (
        "Make the renditions still missing (a picture saved while their making failed, a "
        "bulk load): each picture's are made once, those already kept are left alone."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        made = make_missing(Picture.objects.order_by("pk"))
        self.stdout.write(f"Made the renditions of {made} picture(s).")
