"""The picture a shared link shows (OpenGraph, Twitter's card, JSON-LD `image`): the first
of the pictures given that exists — a story's own, then its main person's portrait — else the
site's card (static/cards/newsroom.png: the name of the site, no photo)."""

from dataclasses import dataclass
from typing import Any

from django.templatetags.static import static

from .models import Picture

# Link previews are drawn about 1200 pixels wide: no larger rendition is sent.
SHARE_WIDTH = 1280


@dataclass(frozen=True)
class ShareImage:
    url: str  # a path on this site, or the object store's own address
    width: int
    height: int
    alt: str
    credit: str = ""


def site_card() -> ShareImage:
    return ShareImage(
        static("cards/newsroom.png"),
        1200,
        630,
        "Newsroom — who said what, and who is related to whom",
    )


def of_picture(picture: Picture) -> ShareImage:
    """The widest JPEG rendition up to SHARE_WIDTH (JPEG: every link preview reads it), or
    the file itself until renditions are made."""
    made = picture.ready
    if made and made.get("wide"):
        fitting = [size for size in made["wide"] if size["width"] <= SHARE_WIDTH]
        size = fitting[-1] if fitting else made["wide"][0]
        url = picture.file.storage.url(size["jpeg"])
        return ShareImage(url, size["width"], size["height"], picture.alt, picture.credit)
    return ShareImage(picture.file.url, picture.width, picture.height, picture.alt, picture.credit)


def share_image(*pictures: Picture | None) -> ShareImage:
    for picture in pictures:
        if picture is not None:
            return of_picture(picture)
    return site_card()


def image_data(image: ShareImage, absolute: Any) -> dict[str, Any]:
    """schema.org's ImageObject for `image`; `absolute` makes its address absolute."""
    data: dict[str, Any] = {
        "@type": "ImageObject",
        "url": absolute(image.url),
        "width": image.width,
        "height": image.height,
        "caption": image.alt,
    }
    if image.credit:
        data["creditText"] = image.credit
    return data
