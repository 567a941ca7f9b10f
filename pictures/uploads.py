"""An uploaded picture, checked and cleaned before anything is stored.

Refused, each with a sentence an editor can act on: what is not an image, what claims one
type and is another (its name or the type the browser sent), a decompression bomb (a small
file that opens to an enormous number of pixels), a file over the size limit, a corrupted or
truncated file, a format the site does not serve. What is accepted is decoded and encoded
again: turned upright as its EXIF orientation says, then saved with no metadata at all — no
GPS position, no camera, no dates, no thumbnails — so that a photo never tells where it was
taken.
"""

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError


@dataclass(frozen=True)
class Kind:
    """A format the site keeps: Pillow's name for it, what a file of it is called, and the
    content types a browser may send for it."""

    name: str
    extension: str
    extensions: frozenset[str]
    content_types: frozenset[str]


KINDS = {
    "JPEG": Kind("JPEG", "jpg", frozenset({"jpg", "jpeg", "jpe"}), frozenset({"image/jpeg"})),
    "PNG": Kind("PNG", "png", frozenset({"png"}), frozenset({"image/png"})),
    "WEBP": Kind("WEBP", "webp", frozenset({"webp"}), frozenset({"image/webp"})),
}
# Sent by browsers and tools that do not know: says nothing, so it is not a lie.
UNKNOWN_TYPES = {"", "application/octet-stream"}
ACCEPTED = "a JPEG, PNG or WebP image"


class Refused(ValueError):
    """The upload is not kept; the message says why, naming the file."""


@dataclass(frozen=True)
class CleanedPicture:
    content: bytes
    kind: Kind
    width: int
    height: int
    name: str


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def clean_upload(
    data: bytes, name: str, content_type: str | None, *, max_bytes: int, max_pixels: int
) -> CleanedPicture:
    """`data`, uploaded as `name` with `content_type`, as the site keeps it; or Refused."""
    shown = PurePosixPath(name).name or "The file"
    if len(data) > max_bytes:
        raise Refused(
            f"“{shown}” is {megabytes(len(data))}: a picture may be at most "
            f"{megabytes(max_bytes)}. Save it smaller (a long side of 3000 pixels is plenty)."
        )
    if not data:
        raise Refused(f"“{shown}” is empty.")
    probe = _open(data, shown, max_pixels)
    kind = KINDS.get(probe.format or "")
    if kind is None:
        raise Refused(f"“{shown}” is a {probe.format} image; upload {ACCEPTED}.")
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if extension not in kind.extensions:
        raise Refused(
            f"“{shown}” is named as a {'.' + extension if extension else 'file with no'} "
            f"{'file' if extension else 'extension'} but is a {kind.name} image: its name "
            f"says one type and its content another. Rename it .{kind.extension} if it is "
            "the picture you meant."
        )
    declared = (content_type or "").split(";")[0].strip().lower()
    if declared not in UNKNOWN_TYPES and declared not in kind.content_types:
        raise Refused(
            f"“{shown}” was sent as {declared} but is a {kind.name} image: its type says one "
            "thing and its content another."
        )
    image = _decode(data, shown)
    upright = ImageOps.exif_transpose(image)
    content = _encode(upright, kind)
    stem = PurePosixPath(name).stem or "picture"
    return CleanedPicture(content, kind, upright.width, upright.height, f"{stem}.{kind.extension}")


def _open(data: bytes, shown: str, max_pixels: int) -> Image.Image:
    """The image's header read and its structure checked, nothing decoded yet."""
    with warnings.catch_warnings():
        # Pillow warns past Image.MAX_IMAGE_PIXELS and refuses past twice that: both refused.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            pixels = probe.width * probe.height
            if pixels > max_pixels:
                raise Image.DecompressionBombError(pixels)
            probe.verify()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise Refused(
                f"“{shown}” would open to more than {max_pixels // 1_000_000} million pixels "
                "(a decompression bomb, or a picture far larger than a page needs): not kept."
            ) from None
        except UnidentifiedImageError:
            raise Refused(f"“{shown}” is not an image; upload {ACCEPTED}.") from None
        except Exception:
            raise Refused(corrupted(shown)) from None
    return probe


def _decode(data: bytes, shown: str) -> Image.Image:
    """Every pixel read (verify() reads the structure only): a truncated file fails here."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # pragma: no cover - a global nobody here sets
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES would hide truncated uploads.")
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception:
        raise Refused(corrupted(shown)) from None
    return image


def corrupted(shown: str) -> str:
    return (
        f"“{shown}” is damaged or cut short: it could not be read to the end. Export it "
        "again from the original."
    )


def _encode(image: Image.Image, kind: Kind) -> bytes:
    """`image` saved as `kind` with nothing but its pixels (and its colour profile)."""
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    if kind.name == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True, **options)
    elif kind.name == "PNG":
        image.save(out, "PNG", optimize=True, **options)
    else:
        image.save(out, "WEBP", quality=90, **options)
    return out.getvalue()
