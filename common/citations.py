"""What every citation shares: a label and, when it is known, an http(s) link."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

from common.outbound import has_credentials
from common.text import LineField, one_line

WEB_ADDRESS_ONLY = "Enter a web address starting with http:// or https://."
validate_http_url = URLValidator(schemes=["http", "https"], message=WEB_ADDRESS_ONLY)

NO_CREDENTIALS = (
    "Remove the user name and password from the address (the “name:password@” before the "
    "site's name): the site would be sent them, and readers would see them."
)
# A user name or password: an "@" before the end of the site's name. The same rule as
# common.outbound.has_credentials, for the database.
CREDENTIALS_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@"


def validate_no_credentials(value: str) -> None:
    if has_credentials(value):
        raise ValidationError(NO_CREDENTIALS, code="credentials")


def no_credentials_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=~Q(url__regex=CREDENTIALS_PATTERN),
        name=name,
        violation_error_message=NO_CREDENTIALS,
    )


class WebAddressFormField(forms.URLField):
    default_validators = [validate_http_url, validate_no_credentials, one_line]
    default_error_messages = {"invalid": WEB_ADDRESS_ONLY}


class WebAddressField(models.URLField):
    """A link readers may follow: http or https only, never javascript: or data:, and no
    user name or password (the server would send them when it checks the link)."""

    default_validators = [validate_http_url, validate_no_credentials, one_line]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        # An address typed without a scheme is taken as https (Django 6's default).
        return super().formfield(
            **{"form_class": WebAddressFormField, "assume_scheme": "https", **kwargs}
        )


class Citation(models.Model):
    url = WebAddressField(
        "URL",
        blank=True,
        help_text="Leave empty when the exact address is not known: the source is then cited "
        "by its label, unlinked. Never guess an address.",
    )
    label = LineField(
        max_length=300,
        help_text="How the source is cited: outlet, date and title, e.g. "
        "“Vogue, 9 February 2022, cover story interview”.",
    )
    # Written by `manage.py check_sources`.
    checked_at = models.DateTimeField("last checked", null=True, blank=True, editable=False)
    check_status = models.PositiveSmallIntegerField(
        "HTTP status",
        null=True,
        blank=True,
        editable=False,
        help_text="Of the last check; empty when the address did not answer at all.",
    )
    check_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        abstract = True
        constraints = [
            # Only web links: javascript:, data: and friends never reach a page.
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="%(app_label)s_%(class)s_url_http",
                violation_error_message=WEB_ADDRESS_ONLY,
            ),
            no_credentials_constraint("%(app_label)s_%(class)s_url_no_credentials"),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.url = normalise_url(self.url)
        super().save(*args, **kwargs)

    @property
    def is_broken(self) -> bool:
        """Checked, and the address did not answer with a page."""
        return self.checked_at is not None and not (
            self.check_status is not None and self.check_status < 400
        )


def normalise_url(url: str) -> str:
    """Lower-case the scheme so the database constraint sees what browsers see."""
    url = (url or "").strip()
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in {"http", "https"}:
        return f"{scheme.lower()}://{rest}"
    return url
