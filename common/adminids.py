"""Ids a browser hands the admin — a row selected for an action, a person chosen in a form —
that cannot be ids ("abc", "1\x00") are refused as bad input, never handed to the database.

Django's autocomplete widgets, shown again with a refused value, look that value up as it
came, and its actions filter by the selected values as they came: each was a server error
(a NUL byte is refused by PostgreSQL, a letter or a number past the column by any integer
column).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.widgets import (
    AutocompleteMixin,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Field, ForeignKey, ManyToManyField
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest

if TYPE_CHECKING:
    _Admin = BaseModelAdmin[Any]
else:
    _Admin = BaseModelAdmin


def is_id(field: Field[Any, Any], value: Any) -> bool:
    """Whether `value`, as a browser sent it, can be a value of `field` (a key)."""
    if "\x00" in str(value):
        return False
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    try:
        low, high = connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:  # not a whole number
        return True
    return value is None or (low is None or low <= value) and (high is None or value <= high)


def only_ids(widget: AutocompleteMixin, values: list[str]) -> list[str]:
    """The values an autocomplete widget may look up: when its form is shown again with a
    refused value (the form says why), what cannot be an id is left out of its choices
    instead of asked of the database."""
    remote = widget.field.remote_field
    opts = remote.model._meta
    target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
    return [value for value in values if is_id(target, value)]


class IdsAutocompleteSelect(AutocompleteSelect):
    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]  # as Select
        return only_ids(self, super().format_value(value))


class IdsAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]  # as Select
        return only_ids(self, super().format_value(value))


class IdsChecked(_Admin):
    """ModelAdmin or inline mixin: its autocomplete fields (`autocomplete_fields`) use the
    widgets above."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdsAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdsAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
