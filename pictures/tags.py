"""`picture()`: a picture as readers get it — its renditions in `<picture>` with WebP first
and JPEG for the rest, `srcset` and `sizes`, its own width and height so nothing jumps while it
loads, lazy below the fold. A picture whose renditions are not made yet is shown from its file
(nothing is ever made during a request). `portraits_of()` gives whom the credits under a list of
faces name (pictures/credits.html; a face is too small to carry its own). Functions of the
readers' templates (newsroom/templating.py)."""

import functools
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.core.files.storage import Storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from jinja2 import Environment, pass_environment
from markupsafe import Markup

from pictures.models import Picture
from pictures.sharing import ShareImage, site_card


@pass_environment
def picture(
    env: Environment,
    picture: Picture,
    shape: str = "wide",
    sizes: str = "100vw",
    lazy: bool = True,
    decorative: bool = False,
) -> Markup:
    """`shape` "wide" keeps the picture's own proportions, "square" crops around its focal
    point. `decorative`: an empty alt, where the name beside it says who it is."""
    return Markup(
        env.get_template("pictures/picture.html").render(
            shown(picture, shape, sizes, lazy, decorative)
        )
    )


def shown(picture: Picture, shape: str, sizes: str, lazy: bool, decorative: bool) -> dict[str, Any]:
    """What pictures/picture.html writes of `picture`."""
    storage = picture.file.storage
    url = functools.partial(stored_at, storage)
    made = picture.ready
    context: dict[str, Any] = {
        "alt": "" if decorative else picture.alt,
        "sizes": sizes,
        "lazy": lazy,
        "shape": shape,
    }
    if made and made.get(shape):
        renditions = made[shape]
        largest = renditions[-1]
        # The fallback src: a width most screens can use, not the largest.
        middle = next((size for size in renditions if size["width"] >= 640), largest)
        return {
            **context,
            "ready": True,
            "src": url(middle["jpeg"]),
            "webp_srcset": ", ".join(f"{url(s['webp'])} {s['width']}w" for s in renditions),
            "jpeg_srcset": ", ".join(f"{url(s['jpeg'])} {s['width']}w" for s in renditions),
            "width": largest["width"],
            "height": largest["height"],
        }
    side = min(picture.width, picture.height)
    square = shape == "square"
    return {
        **context,
        "ready": False,
        "src": url(picture.file.name),
        "width": side if square else picture.width,
        "height": side if square else picture.height,
        # The file is cropped by the browser, around the focal point, until renditions exist.
        "position": f"{picture.focal_x * 100:.0f}% {picture.focal_y * 100:.0f}%",
    }


@functools.lru_cache(maxsize=16384)
def stored_at(storage: Storage, name: str) -> str:
    """The address of the file `name` in `storage`, asked of the storage once per name: a
    picture's addresses are plain, never signed (settings.media_storage), so the same name has
    the same address until the settings change. A list of twenty stories writes some two
    hundred of them; the storage's own `url()` costs a few microseconds each."""
    return storage.url(name)


@receiver(setting_changed)
def forget_addresses(*, setting: str, **kwargs: Any) -> None:
    if setting in {"MEDIA_URL", "STORAGES"}:
        stored_at.cache_clear()


class Credited(NamedTuple):
    name: str
    picture: Picture


def portraits_of(people: Iterable[Any]) -> list[Credited]:
    """Who among `people` — anything with a `name` and a `portrait`: people, the nodes of the
    relationship map — is shown with a portrait, each once, in order."""
    seen = set()
    shown = []
    for person in people:
        # A person without a portrait is passed over without asking the database.
        if person is None or getattr(person, "portrait_id", True) is None:
            continue
        portrait = person.portrait
        if portrait is not None and (person.name, portrait.pk) not in seen:
            seen.add((person.name, portrait.pk))
            shown.append(Credited(person.name, portrait))
    return shown


def face_url(picture: Picture) -> str:
    """The smallest square rendition (a face in the relationship map), or the file itself
    until renditions are made."""
    made = picture.ready
    if made and made.get("square"):
        return stored_at(picture.file.storage, made["square"][0]["jpeg"])
    return stored_at(picture.file.storage, picture.file.name)


def share_card(request: HttpRequest | None, share: ShareImage | None = None) -> ShareImage:
    """The page's share image (the site's card when the page names none), its address
    absolute: link previews are read from other sites."""
    image = share or site_card()
    url = request.build_absolute_uri(image.url) if request is not None else image.url
    return ShareImage(url, image.width, image.height, image.alt, image.credit)
