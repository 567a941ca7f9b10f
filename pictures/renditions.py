"""The sizes readers get of a picture, made once and kept.

`make_renditions(picture)` is the one place they are made: after a picture is committed
(pictures/signals.py), or by `manage.py make_renditions` for any still missing. It is
idempotent: each file's name says what it was made from (the picture's file, and for square
crops its focal point), a file already stored is not made again, and a picture whose
renditions are listed for its current file is left alone. A reader's request never makes one:
a page shows a picture whose renditions are not made yet from its file (pictures/tags.py).

Every file goes through the picture's storage (open, save, exists), never a local path, so
the same code writes to a folder or to an object store.
"""

import hashlib
import io
import logging
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image

from .models import Picture

logger = logging.getLogger(__name__)

# Widths for a picture shown at its own shape (a story's lead, a card on the front page), and
# for a square crop (faces, thumbnails in lists, the relationship map), twice over for screens
# with dense pixels. None is wider than the picture itself.
WIDE_WIDTHS = (320, 640, 960, 1280, 1920)
SQUARE_WIDTHS = (96, 192, 384)


@dataclass(frozen=True)
class Encoding:
    key: str
    pillow: str
    extension: str
    options: dict[str, Any]


# WebP first for the browsers that take it (all current ones), JPEG for the rest.
ENCODINGS = (
    Encoding("webp", "WEBP", "webp", {"quality": 80, "method": 4}),
    Encoding("jpeg", "JPEG", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
)


def square_box(
    width: int, height: int, focal_x: float, focal_y: float
) -> tuple[int, int, int, int]:
    """The largest square inside width × height, centred as near the focal point as fits."""
    side = min(width, height)
    left = round(min(max(focal_x * width - side / 2, 0), width - side))
    top = round(min(max(focal_y * height - side / 2, 0), height - side))
    return (left, top, left + side, top + side)


def expected(picture: Picture) -> dict[str, Any]:
    """What the picture's renditions list says when they are current."""
    return {"source": picture.file.name, "focal": [picture.focal_x, picture.focal_y]}


def is_current(picture: Picture) -> bool:
    return picture.ready is not None


def folder(picture: Picture, shape: str) -> str:
    made_from = picture.file.name
    if shape == "square":
        made_from += f"|{picture.focal_x:.4f},{picture.focal_y:.4f}"
    digest = hashlib.sha256(made_from.encode()).hexdigest()[:20]
    return f"renditions/{digest[:2]}/{digest}"


def make_renditions(picture: Picture) -> bool:
    """Make and store what is missing of `picture`'s renditions and list them on its row.
    True if anything was made or listed; False if they were current already."""
    if not picture.file or is_current(picture):
        return False
    storage = picture.file.storage
    with picture.file.open("rb") as source:
        original: Image.Image = Image.open(io.BytesIO(source.read()))
        original.load()
    if original.mode not in ("RGB", "L"):
        background = Image.new("RGB", original.size, "white")
        rgba = original.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        original = background
    listed = {
        **expected(picture),
        "wide": _made(storage, folder(picture, "wide"), original, WIDE_WIDTHS),
        "square": _made(
            storage,
            folder(picture, "square"),
            original.crop(square_box(*original.size, picture.focal_x, picture.focal_y)),
            SQUARE_WIDTHS,
        ),
    }
    # Only if the file is still the one these were made from: a newer upload makes its own.
    Picture.objects.filter(pk=picture.pk, file=picture.file.name).update(renditions=listed)
    picture.renditions = listed
    return True


def _made(
    storage: Storage, where: str, image: Image.Image, widths: tuple[int, ...]
) -> list[dict[str, Any]]:
    """Each width (none wider than `image`; at least one) in each encoding, stored once."""
    chosen = [width for width in widths if width < image.width] + [min(image.width, widths[-1])]
    sizes = []
    for width in sorted(set(chosen)):
        height = max(1, round(image.height * width / image.width))
        entry: dict[str, Any] = {"width": width, "height": height}
        resized = None
        for encoding in ENCODINGS:
            name = f"{where}/{width}.{encoding.extension}"
            if not storage.exists(name):
                if resized is None:
                    # reducing_gap: a fast box reduction first, Lanczos for the last step.
                    resized = image.resize(
                        (width, height), Image.Resampling.LANCZOS, reducing_gap=3.0
                    )
                out = io.BytesIO()
                resized.save(out, encoding.pillow, **encoding.options)
                saved = storage.save(name, ContentFile(out.getvalue()))
                if saved != name:  # another worker stored the same file meanwhile
                    storage.delete(saved)
            entry[encoding.key] = name
        sizes.append(entry)
    return sizes


def make_missing(pictures: Any = None) -> int:
    """Renditions for every picture whose list is not current; how many were made."""
    made = 0
    for picture in (pictures if pictures is not None else Picture.objects.all()).iterator():
        try:
            made += make_renditions(picture)
        except Exception:
            logger.exception("Renditions of picture %s could not be made", picture.pk)
    return made
