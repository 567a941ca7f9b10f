"""Pictures in an S3-compatible object store (django-storages), here moto's server on a
loopback port: uploads, renditions and pages go through the storage's own calls, never a
local path."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from newsroom.settings import media_storage
from pictures.models import Picture
from pictures.renditions import make_renditions
from tests.articles.test_views import SEED_URL
from tests.html import page
from tests.pictures.images import image_bytes, stored_picture

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.moto_server.threaded_moto_server")

BUCKET = "newsroom-media"


@pytest.fixture
def object_store(settings, monkeypatch, media_folder):
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "NO_PROXY": "127.0.0.1",
        "MEDIA_S3_ENDPOINT_URL": endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage(BUCKET)}
    yield client
    server.stop()
    # Nothing was written to the folder the file system storage would use.
    assert not media_folder.exists() or not any(media_folder.rglob("*.*"))


def keys(client):
    listed = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_media_storage_is_a_folder_unless_a_bucket_is_named():
    assert media_storage("")["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = media_storage("photos")
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "photos"
    assert s3["OPTIONS"]["querystring_auth"] is False


@pytest.mark.django_db
def test_renditions_are_made_and_kept_in_the_object_store(object_store):
    picture = stored_picture(size=(700, 500))
    assert type(picture.file.storage._wrapped).__name__ == "S3Storage"
    stored = keys(object_store)
    assert picture.file.name in stored
    assert picture.ready is not None
    for size in picture.ready["wide"] + picture.ready["square"]:
        assert size["webp"] in stored and size["jpeg"] in stored
    # Made once: a second call stores nothing more.
    picture.renditions = {}
    make_renditions(picture)
    assert keys(object_store) == stored


@pytest.mark.django_db
def test_an_upload_through_the_admin_lands_in_the_object_store(
    admin_client, object_store, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("face.png", image_bytes("PNG", (300, 300)), "image/png")
    data = {
        "file": upload,
        "alt": "A face",
        "caption": "",
        "credit": "© Someone",
        "licence": "Handout",
        "licence_url": "",
        "source_url": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/pictures/picture/add/", data)
    assert response.status_code == 302
    picture = Picture.objects.get()
    assert (picture.width, picture.height) == (300, 300)
    assert picture.file.name in keys(object_store)
    assert picture.ready is not None


@pytest.mark.django_db
def test_pages_link_pictures_in_the_object_store(client, object_store, demo):
    from articles.models import Article

    picture = stored_picture(size=(1200, 800))
    Article.objects.update(lead_picture=picture)
    soup = page(client.get(SEED_URL))
    img = soup.select_one(".story__lead-picture img")
    endpoint = object_store.meta.endpoint_url
    assert img["src"].startswith(f"{endpoint}/{BUCKET}/renditions/")
    assert soup.select_one('meta[property="og:image"]')["content"].startswith(endpoint)
