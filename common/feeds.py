"""Feeds that stored text cannot break."""

from typing import Any

from django.utils.feedgenerator import Atom1Feed

from .text import xml_safe


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_safe(item) for item in value)
    return value


class XmlSafeAtom1Feed(Atom1Feed):
    """Atom whose every text passes through `xml_safe`: a character XML cannot hold — a
    control character stored before input refused them, or written by a script — is dropped
    rather than failing the whole feed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*map(_safe, args), **{key: _safe(v) for key, v in kwargs.items()})

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(*map(_safe, args), **{key: _safe(v) for key, v in kwargs.items()})
