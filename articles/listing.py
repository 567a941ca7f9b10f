"""What a list of stories reads of each: the fields its cards show, in one query."""

from django.db.models import QuerySet

from .models import Article

# What a thumbnail reads of a story's picture.
PICTURE_FIELDS = [
    "file",
    "width",
    "height",
    "alt",
    "credit",
    "licence",
    "licence_url",
    "source_url",
    "focal_x",
    "focal_y",
    "renditions",
]


def story_list(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """What a list of stories needs: one query, whatever the page shows."""
    return queryset.select_related("publication", "lead_picture").only(
        "title",
        "slug",
        "dek",
        "kind",
        "published_on",
        "publication__name",
        "publication__slug",
        *(f"lead_picture__{field}" for field in PICTURE_FIELDS),
    )
