"""Ids a browser hands the admin — a row selected for an action, a person chosen in a form —
that cannot be ids ("abc", "1\x00") are refused as bad input, never handed to the database.

Django's autocomplete widgets, shown again with a refused value, look that value up as it
came, and its actions filter by the selected values as they came: each was a server error
(a NUL byte is refused by PostgreSQL, a letter or a number past the column by any integer
column).
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import connection


def is_id(field, value) -> bool:
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


class OnlyIds:
    """An autocomplete widget that, when its form is shown again with a refused value (the
    form says why), leaves out of its choices what cannot be an id instead of asking the
    database for it."""

    def format_value(self, value):
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        return [v for v in super().format_value(value) if is_id(target, v)]


class IdsAutocompleteSelect(OnlyIds, AutocompleteSelect):
    pass


class IdsAutocompleteSelectMultiple(OnlyIds, AutocompleteSelectMultiple):
    pass


class IdsChecked:
    """ModelAdmin or inline mixin: its autocomplete fields (`autocomplete_fields`) use the
    widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdsAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = IdsAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
