"""Renditions: made once, after commit, through the storage's own calls; square crops keep
the focal point; a picture whose renditions are not made yet is shown from its file."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from jobs.models import Job
from pictures.jobs import MAKE_RENDITIONS
from pictures.models import Picture
from pictures.renditions import SQUARE_WIDTHS, make_renditions, square_box
from tests.pictures.images import image_bytes, stored_picture


def read(picture, name):
    with picture.file.storage.open(name, "rb") as stored:
        return Image.open(io.BytesIO(stored.read()))


@pytest.mark.django_db
def test_renditions_are_made_in_webp_and_jpeg_at_several_widths():
    picture = stored_picture(size=(1000, 500))
    made = picture.ready
    assert made is not None
    assert [size["width"] for size in made["wide"]] == [320, 640, 960, 1000]
    assert [size["height"] for size in made["wide"]] == [160, 320, 480, 500]
    assert [size["width"] for size in made["square"]] == list(SQUARE_WIDTHS)
    for size in made["wide"] + made["square"]:
        assert read(picture, size["webp"]).format == "WEBP"
        jpeg = read(picture, size["jpeg"])
        assert jpeg.format == "JPEG" and jpeg.size == (size["width"], size["height"])
    # Listed on the row itself: a page reads them with the picture, no query more.
    assert Picture.objects.get(pk=picture.pk).renditions == made


@pytest.mark.django_db
def test_making_renditions_twice_makes_nothing_new(media_folder):
    picture = stored_picture(size=(700, 700))
    files = sorted(media_folder.rglob("*.webp"))
    assert make_renditions(picture) is False
    picture.renditions = {}
    assert make_renditions(picture) is True  # listed again, from the files already kept
    assert sorted(media_folder.rglob("*.webp")) == files


@pytest.mark.django_db
def test_renditions_are_made_after_commit_not_before(django_capture_on_commit_callbacks, settings):
    settings.JOBS_IN_PROCESS_AT_COMMIT = True  # as without a broker: the job runs at the commit
    picture = Picture(alt="A square", credit="© Me", licence="CC BY 4.0")
    picture.file = ContentFile(image_bytes("PNG", (500, 500)), name="square.png")
    with django_capture_on_commit_callbacks(execute=True):
        picture.save()
        assert Picture.objects.get(pk=picture.pk).ready is None
    assert Picture.objects.get(pk=picture.pk).ready is not None
    made = Job.objects.get(kind=MAKE_RENDITIONS, target=str(picture.pk))
    assert made.state == Job.State.DONE and made.attempts == 1


@pytest.mark.django_db
def test_a_new_focal_point_makes_new_square_crops(django_capture_on_commit_callbacks):
    picture = stored_picture(size=(900, 300))
    before = picture.ready["square"][-1]["jpeg"]
    picture.focal_x = 0.0
    with django_capture_on_commit_callbacks(execute=True):
        picture.save()
    picture.refresh_from_db()
    assert picture.ready["square"][-1]["jpeg"] != before


def test_square_crop_keeps_the_focal_point():
    # A wide picture, the face at its right edge: the square slides right, as far as it can.
    assert square_box(900, 300, 0.9, 0.5) == (600, 0, 900, 300)
    assert square_box(900, 300, 0.5, 0.5) == (300, 0, 600, 300)
    assert square_box(900, 300, 0.0, 0.5) == (0, 0, 300, 300)
    # A tall one, the face near the top.
    assert square_box(300, 900, 0.5, 0.1) == (0, 0, 300, 300)
    assert square_box(300, 900, 0.5, 0.5) == (0, 300, 300, 600)


@pytest.mark.django_db
def test_square_rendition_shows_the_focal_point():
    # Blue on the left third, red elsewhere: a focal point on the left keeps the blue.
    image = Image.new("RGB", (900, 300), (255, 0, 0))
    image.paste((0, 0, 255), (0, 0, 300, 300))
    out = io.BytesIO()
    image.save(out, "PNG")
    picture = Picture(alt="Blue and red", credit="© Me", licence="CC0", focal_x=0.1)
    picture.file = ContentFile(out.getvalue(), name="halves.png")
    picture.save()
    make_renditions(picture)
    square = read(picture, picture.ready["square"][0]["jpeg"]).convert("RGB")
    red, green, blue = square.getpixel((48, 48))
    assert blue > 200 and red < 60
