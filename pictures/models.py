"""A picture: a portrait of a person or the lead picture of a story, with who made it.

The file is the upload as it was cleaned (pictures/uploads.py: checked, turned upright, its
metadata dropped); the renditions readers get are made from it once, after it is committed
(pictures/renditions.py), and listed on the row so that a page reads them with the picture in
the same query.
"""

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.citations import (
    CREDENTIALS_PATTERN,
    NO_CREDENTIALS,
    WEB_ADDRESS_ONLY,
    WebAddressField,
    normalise_url,
)
from common.text import LineField, PlainTextField
from common.timestamps import Timestamped
from history.revisions import Revisioned

# A focal point is a share of the width and of the height, from the top left corner.
SHARE = [MinValueValidator(0.0), MaxValueValidator(1.0)]
# What a thumbnail in a list reads of its picture (the rest is the admin's).
THUMBNAIL_FIELDS = [
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


class Picture(Timestamped, Revisioned):
    file = models.ImageField(
        upload_to="pictures/%Y/%m/",
        width_field="width",
        height_field="height",
        max_length=300,
        help_text="A JPEG, PNG or WebP image. Location and camera details are removed on upload.",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt = LineField(
        "alt text",
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it: "
        "“Kim Kardashian on the red carpet at the Met Gala”.",
    )
    caption = PlainTextField(blank=True, help_text="Shown under the picture on a story.")
    credit = LineField(
        max_length=200,
        help_text="Who made it, shown with the picture everywhere: “© Jane Doe / Agency”.",
    )
    licence = LineField(
        max_length=100,
        help_text="Under what terms it is used: “All rights reserved”, “CC BY-SA 4.0”, “Handout”.",
    )
    licence_url = WebAddressField("licence URL", blank=True, help_text="The licence's text.")
    source_url = WebAddressField(
        "source URL", blank=True, help_text="Where the picture came from: its page, not the file."
    )
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=SHARE,
        help_text="Where the face is, from 0 (left edge) to 1 (right edge): square crops keep it.",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=SHARE,
        help_text="Where the face is, from 0 (top) to 1 (bottom).",
    )
    # Written by make_renditions only: {"source": file name, "wide": […], "square": […]}.
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    history = HistoricalRecords(app="history", excluded_fields=["renditions"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="picture_focal_point_inside",
                violation_error_message="The focal point is a share of the picture: 0 to 1.",
            ),
            models.CheckConstraint(condition=~Q(alt=""), name="picture_alt_not_empty"),
            models.CheckConstraint(condition=~Q(credit=""), name="picture_credit_not_empty"),
            # The rule of every address the archive keeps (common/citations.py).
            models.CheckConstraint(
                condition=~Q(source_url__regex=CREDENTIALS_PATTERN)
                & ~Q(licence_url__regex=CREDENTIALS_PATTERN),
                name="picture_urls_no_credentials",
                violation_error_message=NO_CREDENTIALS,
            ),
            models.CheckConstraint(
                condition=(Q(source_url="") | Q(source_url__regex=r"^https?://"))
                & (Q(licence_url="") | Q(licence_url__regex=r"^https?://")),
                name="picture_urls_http",
                violation_error_message=WEB_ADDRESS_ONLY,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alt} ({self.credit})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.source_url = normalise_url(self.source_url)
        self.licence_url = normalise_url(self.licence_url)
        super().save(*args, **kwargs)

    @property
    def ready(self) -> dict[str, Any] | None:
        """The renditions of the file as it is now, or None while they are still to be made
        (a new upload, a restored version): pages then show the file itself."""
        made = self.renditions or {}
        current = made.get("source") == self.file.name and made.get("focal") == [
            self.focal_x,
            self.focal_y,
        ]
        return made if current else None
