"""Editors upload pictures through the admin's own form: every bad file is refused with a
form error naming it, and nothing is stored; what is kept has lost its location and camera."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pictures.models import Picture
from tests.forms import form_data
from tests.html import page as parse_page
from tests.pictures.images import GPS_INFO, MAKE, MODEL, image_bytes, located_exif

ADD = "/admin/pictures/picture/add/"


def fields(upload, **overrides):
    data = {
        "file": upload,
        "alt": "Ava Stone smiling on a red carpet",
        "caption": "At the premiere.",
        "credit": "© Jane Doe / Agency",
        "licence": "All rights reserved",
        "licence_url": "",
        "source_url": "https://photos.example.com/ava",
        "focal_x": "0.5",
        "focal_y": "0.3",
    }
    return {**data, **overrides}


def upload(name, content, content_type=None):
    return SimpleUploadedFile(name, content, content_type=content_type or "")


def stored_files(media_folder):
    return (
        [path for path in media_folder.rglob("*") if path.is_file()]
        if media_folder.exists()
        else []
    )


def form_errors(response):
    soup = parse_page(response)
    return " ".join(item.get_text(" ", strip=True) for item in soup.select(".errorlist"))


def refused(admin_client, media_folder, data):
    response = admin_client.post(ADD, data)
    assert response.status_code == 200, "the form is shown again"
    assert Picture.objects.count() == 0
    assert Picture.history.count() == 0
    assert stored_files(media_folder) == []
    return form_errors(response)


@pytest.mark.django_db
def test_upload_keeps_the_picture_without_its_location_and_camera(admin_client, media_folder):
    # A phone's photo, taken on its side: EXIF orientation 6 (turn 90° clockwise to view).
    photo = image_bytes("JPEG", size=(120, 80), exif=located_exif(orientation=6))
    assert Image.open(io.BytesIO(photo)).getexif()[MAKE] == "PhoneMaker"

    response = admin_client.post(ADD, fields(upload("IMG_0001.JPG", photo, "image/jpeg")))

    assert response.status_code == 302, form_errors(response)
    picture = Picture.objects.get()
    kept = picture.file.read()
    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert GPS_INFO not in image.getexif() and MODEL not in image.getexif()
    assert b"PhoneMaker" not in kept and b"Phone 15 Pro" not in kept
    # Turned upright as the camera said, and measured as it is now.
    assert image.size == (80, 120)
    assert (picture.width, picture.height) == (80, 120)
    assert picture.file.name.startswith("pictures/") and picture.file.name.endswith(".jpg")
    assert picture.history.count() == 1


@pytest.mark.django_db
def test_upload_refuses_what_is_not_an_image(admin_client, media_folder):
    errors = refused(
        admin_client,
        media_folder,
        fields(upload("holiday.jpg", b"GIF? no: just some text\n" * 20, "image/jpeg")),
    )
    assert "“holiday.jpg” is not an image" in errors


@pytest.mark.django_db
def test_upload_refuses_an_image_whose_name_lies_about_its_type(admin_client, media_folder):
    errors = refused(
        admin_client, media_folder, fields(upload("portrait.png", image_bytes("JPEG")))
    )
    assert "“portrait.png” is named as a .png file but is a JPEG image" in errors


@pytest.mark.django_db
def test_upload_refuses_an_image_sent_as_another_type(admin_client, media_folder):
    errors = refused(
        admin_client,
        media_folder,
        fields(upload("portrait.jpg", image_bytes("JPEG"), content_type="image/png")),
    )
    assert "“portrait.jpg” was sent as image/png but is a JPEG image" in errors


@pytest.mark.django_db
def test_upload_refuses_a_format_the_site_does_not_serve(admin_client, media_folder):
    errors = refused(admin_client, media_folder, fields(upload("scan.tiff", image_bytes("TIFF"))))
    assert "“scan.tiff” is a TIFF image; upload a JPEG, PNG or WebP image" in errors


@pytest.mark.django_db
def test_upload_refuses_a_decompression_bomb(admin_client, media_folder):
    # 100 million pixels of one colour: a few kilobytes that would open to 300 MB. Past
    # Pillow's own MAX_IMAGE_PIXELS (about 89 million) as well as the site's limit.
    bomb = image_bytes("PNG", size=(10_000, 10_000), mode="1")
    assert len(bomb) < 200_000
    assert Image.MAX_IMAGE_PIXELS < 10_000 * 10_000
    errors = refused(admin_client, media_folder, fields(upload("tiny.png", bomb, "image/png")))
    assert "“tiny.png” would open to more than 50 million pixels" in errors
    assert "decompression bomb" in errors


@pytest.mark.django_db
def test_upload_refuses_more_pixels_than_the_setting_allows(admin_client, media_folder, settings):
    settings.PICTURE_MAX_PIXELS = 1_000_000
    errors = refused(
        admin_client, media_folder, fields(upload("wide.png", image_bytes("PNG", (2000, 600))))
    )
    assert "“wide.png” would open to more than 1 million pixels" in errors


@pytest.mark.django_db
def test_upload_refuses_a_file_over_the_size_limit(admin_client, media_folder, settings):
    settings.PICTURE_MAX_BYTES = 2_000
    photo = image_bytes("PNG", size=(300, 300), colour=(1, 2, 3))
    noisy = Image.effect_noise((300, 300), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "PNG")
    assert len(out.getvalue()) > 2_000 and len(photo) > 0
    errors = refused(
        admin_client, media_folder, fields(upload("big.png", out.getvalue(), "image/png"))
    )
    assert "“big.png” is" in errors and "a picture may be at most 0.0 MB" in errors


@pytest.mark.django_db
def test_upload_refuses_a_truncated_file(admin_client, media_folder):
    noisy = Image.effect_noise((400, 300), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=95)
    cut = out.getvalue()[: len(out.getvalue()) // 2]
    errors = refused(admin_client, media_folder, fields(upload("cut.jpg", cut, "image/jpeg")))
    assert "“cut.jpg” is damaged or cut short" in errors


@pytest.mark.django_db
def test_upload_refuses_a_corrupted_file(admin_client, media_folder):
    png = bytearray(image_bytes("PNG", size=(200, 200)))
    # Flip bytes inside the image data: the chunk's checksum no longer matches.
    middle = len(png) // 2
    png[middle : middle + 16] = bytes(255 - b for b in png[middle : middle + 16])
    errors = refused(
        admin_client, media_folder, fields(upload("broken.png", bytes(png), "image/png"))
    )
    assert "“broken.png” is damaged or cut short" in errors


@pytest.mark.django_db
def test_alt_text_and_credit_are_required(admin_client, media_folder):
    errors = refused(
        admin_client,
        media_folder,
        fields(upload("ok.jpg", image_bytes("JPEG"), "image/jpeg"), alt="", credit=""),
    )
    assert errors.count("This field is required.") == 2


@pytest.mark.django_db
def test_source_address_with_a_password_is_refused(admin_client, media_folder):
    errors = refused(
        admin_client,
        media_folder,
        fields(
            upload("ok.jpg", image_bytes("JPEG"), "image/jpeg"),
            source_url="https://user:secret@photos.example.com/ava",
        ),
    )
    assert "Remove the user name and password" in errors


@pytest.mark.django_db
def test_focal_point_stays_inside_the_picture(admin_client, media_folder):
    errors = refused(
        admin_client,
        media_folder,
        fields(upload("ok.jpg", image_bytes("JPEG"), "image/jpeg"), focal_x="1.5"),
    )
    assert "less than or equal to 1.0" in errors


@pytest.mark.django_db
def test_restoring_a_version_brings_back_the_earlier_image_and_credit(
    admin_client, media_folder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            ADD, fields(upload("first.jpg", image_bytes("JPEG", (300, 200)), "image/jpeg"))
        )
    assert response.status_code == 302, form_errors(response)
    picture = Picture.objects.get()
    first_file, first_credit = picture.file.name, picture.credit
    change = f"/admin/pictures/picture/{picture.pk}/change/"

    data = form_data(admin_client.get(change).content.decode(), "picture_form")
    data.update(
        file=upload("second.png", image_bytes("PNG", (150, 400), colour=(0, 90, 0)), "image/png"),
        credit="© Someone Else / Wire",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change, data)
    assert response.status_code == 302, form_errors(response)
    picture.refresh_from_db()
    assert picture.file.name.endswith(".png") and picture.credit == "© Someone Else / Wire"
    assert (picture.width, picture.height) == (150, 400)
    assert picture.ready is not None

    earliest = picture.history.order_by("history_date").first()
    compare = f"{change[: -len('change/')]}history/{earliest.history_id}/compare/"
    page = admin_client.get(compare)
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        restored = admin_client.post(compare, {"revision": picture.revision})
    assert restored.status_code == 302
    picture.refresh_from_db()
    assert picture.file.name == first_file
    assert picture.credit == first_credit
    assert (picture.width, picture.height) == (300, 200)
    # The earlier file was kept, and its renditions are current again once committed.
    with picture.file.open("rb") as kept:
        assert Image.open(io.BytesIO(kept.read())).size == (300, 200)
    assert picture.ready is not None and picture.ready["source"] == first_file


@pytest.mark.django_db
def test_restoring_a_person_whose_old_portrait_was_deleted_keeps_the_current_one(
    admin_client, make_person
):
    from people.models import Person
    from tests.pictures.images import stored_picture

    old, new = stored_picture(size=(200, 200)), stored_picture(size=(300, 300))
    person = make_person("Ava Stone", portrait=old)
    person.portrait = new
    person.save()
    old.delete()  # no longer anyone's portrait: PROTECT lets it go
    first = person.history.order_by("history_date").first()
    compare = f"/admin/people/person/{person.pk}/history/{first.history_id}/compare/"
    response = admin_client.post(compare, {"revision": Person.objects.get(pk=person.pk).revision})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.portrait == new
    shown = [str(message) for message in response.wsgi_request._messages]
    assert "The portrait of that version has since been deleted: the current one is kept." in shown


@pytest.mark.django_db
def test_a_picture_in_use_cannot_be_deleted(admin_client, make_person):
    from tests.pictures.images import stored_picture

    picture = stored_picture(size=(200, 200))
    make_person("Ava Stone", portrait=picture)
    response = admin_client.post(f"/admin/pictures/picture/{picture.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "Ava Stone" in response.content.decode()
    assert Picture.objects.filter(pk=picture.pk).exists()
