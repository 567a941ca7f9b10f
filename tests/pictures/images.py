"""Pictures made for the tests with Pillow: no photo is ever checked in."""

import io

from PIL import Image, ImageDraw

from pictures.models import Picture
from pictures.renditions import make_renditions

# EXIF tags: where the camera was, and what it was.
GPS_INFO, MAKE, MODEL, ORIENTATION = 0x8825, 0x010F, 0x0110, 0x0112


def image_bytes(fmt="JPEG", size=(120, 80), colour=(200, 60, 40), exif=None, mode="RGB"):
    image = Image.new(mode, size, colour if mode != "1" else 0)
    if mode == "RGB":
        # A mark in the top left corner: a rotation or a crop shows where it went.
        ImageDraw.Draw(image).rectangle([0, 0, size[0] // 4, size[1] // 4], fill=(0, 0, 255))
    out = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **options)
    return out.getvalue()


def located_exif(orientation=1):
    """EXIF as a phone writes it: a GPS position, the camera's make and model, an orientation."""
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[MODEL] = "Phone 15 Pro"
    exif[ORIENTATION] = orientation
    exif[GPS_INFO] = {1: "N", 2: (34.0, 5.0, 12.5), 3: "W", 4: (118.0, 24.0, 3.2)}
    return exif


def stored_picture(*, size=(800, 600), fmt="JPEG", renditions=True, **fields):
    """A Picture saved with a generated image (and its renditions made, unless told not to)."""
    from django.core.files.base import ContentFile
    from django.test import override_settings

    from jobs.models import Job
    from pictures.jobs import MAKE_RENDITIONS

    fields.setdefault("alt", "A red square with a blue corner")
    fields.setdefault("credit", "© Test Photographer / Agency")
    fields.setdefault("licence", "All rights reserved")
    picture = Picture(**fields)
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    # Assigned as the admin's form assigns an upload: stored when the picture is saved.
    picture.file = ContentFile(image_bytes(fmt, size), name=f"generated.{extension}")
    # The renditions' job waits for the commit (which a test's transaction never reaches)
    # rather than running at once, as tests' jobs do (tests/conftest.py).
    with override_settings(JOBS_IN_PROCESS_AT_COMMIT=True):
        picture.save()
    # That job is never sent: the test makes them itself, or leaves them unmade.
    Job.objects.filter(kind=MAKE_RENDITIONS, target=str(picture.pk)).delete()
    if renditions:
        make_renditions(picture)
    return picture
