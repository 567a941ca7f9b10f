"""Renditions made by the workers (jobs/): a picture's sizes and formats, once it is committed."""

from caching import topics
from jobs.registry import job

from .models import Picture
from .renditions import make_renditions

MAKE_RENDITIONS = "make_renditions"


@job(MAKE_RENDITIONS)
def make_picture_renditions(target: str) -> str:
    """The renditions of picture `target`. Asked twice while waiting, they are made once; run
    again, it makes only what is missing (renditions.py)."""
    picture = Picture.objects.filter(pk=int(target)).first()
    if picture is None:
        return "gone: nothing to make"
    if make_renditions(picture):
        # Pages showing the picture may serve its renditions now instead of the original.
        topics.changed(topics.ALL)
        return "made"
    return "nothing to make"
