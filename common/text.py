"""Plain text as editors type it and readers get it: no control characters, one line end.

A control character (Unicode's category Cc: the C0 range U+0000–U+001F, DEL and the C1 range
U+0080–U+009F) is invisible on a page, often arrives with pasted text, and cannot be written
into XML at all (Django's feed writer refuses the whole feed over one). So:

- At input, every text field refuses them (`LineField`, `PlainTextField`): a field of lines
  keeps tab, line feed and carriage return; a one-line field refuses those too.
- Line ends are one kind, "\\n": browsers send "\\r\\n" from a text area, and the body's
  paragraphs are split on blank lines. `PlainTextField` turns every "\\r\\n" and lone "\\r"
  into "\\n" on every way in — forms, `full_clean`, fixtures, the ORM's writes.
- At output, XML gets only what XML 1.0 can hold (`xml_safe`), whatever is stored.
- Rows stored before this rule are cleaned by data migrations (`clean_stored`).

The two fields are reported to migrations as Django's own CharField and TextField: what they
add (a validator, the line ends) lives in Python, not in the database's schema.
"""

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# Every control character; and those a field of lines refuses (tab, line feed and carriage
# return are how lines are laid out).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_LAYOUT = {"\t": "a tab", "\n": "a line break", "\r": "a line break"}
# What XML 1.0 cannot hold (besides control characters): surrogates and two non-characters.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def normalise_line_ends(text: str) -> str:
    """One kind of line end: "\\r\\n" (browsers' text areas) and a lone "\\r" become "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def xml_safe(text: str) -> str:
    """`text` without the characters an XML document cannot carry, nor control characters."""
    return NOT_XML.sub("", text)


def without_control_characters(text: str, lines: bool) -> str:
    """`text` as the rule wants it stored: control characters dropped, line ends normalised;
    in a one-line field (`lines` false), tabs and line breaks become one space."""
    if lines:
        return CONTROL_IN_LINES.sub("", normalise_line_ends(text))
    return CONTROL.sub("", re.sub(r"[\t\r\n]+", " ", text))


def first_control_character(text: str, lines: bool) -> tuple[int, str] | None:
    """The position (from 1) and the character of the first control character `text` may not
    hold, or None."""
    match = (CONTROL_IN_LINES if lines else CONTROL).search(text)
    return (match.start() + 1, match.group()) if match else None


CONTROL_NAMES = {
    "\x00": "NUL",
    "\x0b": "line tabulation",
    "\x0c": "form feed",
    "\x1b": "escape",
    "\x7f": "delete",
    "\x85": "next line",
}


def describe(character: str) -> str:
    """A control character as an editor can find it: “a tab”, “U+000B (line tabulation)”."""
    if character in LINE_LAYOUT:
        return LINE_LAYOUT[character]
    name = unicodedata.name(character, "") or CONTROL_NAMES.get(character, "a control character")
    return f"the invisible character U+{ord(character):04X} ({name.lower()})"


@deconstructible
class PlainTextValidator:
    """Refuses control characters; a one-line field refuses tabs and line breaks too."""

    code = "control_character"

    def __init__(self, lines: bool = False) -> None:
        self.lines = lines

    def __call__(self, value: object) -> None:
        found = first_control_character(str(value), self.lines)
        if found is None:
            return
        position, character = found
        if character in LINE_LAYOUT:
            message = "Keep this to one line: remove %(what)s at character %(position)s."
        else:
            message = (
                "Remove %(what)s at character %(position)s: it cannot be seen, often comes "
                "with pasted text, and feeds cannot carry it."
            )
        raise ValidationError(
            message, code=self.code, params={"what": describe(character), "position": position}
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator) and self.lines == other.lines

    def __hash__(self) -> int:
        return hash((type(self), self.lines))


one_line = PlainTextValidator(lines=False)
lines_of_text = PlainTextValidator(lines=True)


class PlainTextFormField(forms.CharField):
    """A text area's value with one kind of line end, so that an unchanged text is seen as
    unchanged (the browser sends "\\r\\n" where "\\n" is stored)."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalise_line_ends(value) if isinstance(value, str) else value


class LineField(models.CharField):
    """One line of plain text: a headline, a name, a label. No control characters, no tabs or
    line breaks."""

    default_validators = [one_line]

    def deconstruct(self) -> Any:
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class PlainTextField(models.TextField):
    """Lines and paragraphs of plain text: a body, a bio, a quote. No control characters but
    tab and line ends, and every line end stored as "\\n"."""

    default_validators = [lines_of_text]

    def to_python(self, value: Any) -> Any:
        # Also what TextField.get_prep_value calls: every write, fixtures' raw saves included.
        value = super().to_python(value)
        return normalise_line_ends(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> forms.Field | None:  # type: ignore[override]
        return super().formfield(**{"form_class": PlainTextFormField, **kwargs})

    def deconstruct(self) -> Any:
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class LoadedTextError(ValueError):
    """A fixture's text breaks the rule. A ValueError, so that `loaddata` names the row."""


def text_fields(model: type[models.Model]) -> list[tuple[models.Field, bool]]:
    """The fields of `model` held to the rule, each with whether it holds lines."""
    return [
        (field, validator.lines)
        for field in model._meta.concrete_fields
        for validator in field.validators
        if isinstance(validator, PlainTextValidator)
    ]


def check_loaded_text(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    """A pre_save receiver: `loaddata` saves rows as they are, unvalidated, so a fixture's text
    is checked here and a control character refused with the row and field named."""
    if not raw:
        return
    for field, lines in text_fields(sender):
        value = getattr(instance, field.attname)
        if not isinstance(value, str):
            continue
        found = first_control_character(value, lines)
        if found is not None:
            position, character = found
            raise LoadedTextError(
                f"{field.verbose_name} “{xml_safe(value)[:60]}” holds {describe(character)} "
                f"at character {position}; remove it from the fixture"
            )


def dirty_pattern(lines: bool, vendor: str) -> str:
    """A regular expression the database can run, finding what `without_control_characters`
    would change: control characters, and "\\r" (a field of lines) or tabs and line breaks (a
    one-line field). PostgreSQL cannot hold U+0000 at all, nor take it in a pattern."""
    first = r"\x00" if vendor != "postgresql" else r"\x01"
    if lines:
        return rf"[{first}-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\r]"
    return rf"[{first}-\x1f\x7f-\x9f]"


def clean_stored(
    model: type[models.Model], fields: dict[str, bool], vendor: str, touch: bool = True
) -> int:
    """For data migrations: rewrite the rows of `model` whose `fields` (name → holds lines)
    break the rule, as `without_control_characters` has it. Only rows that need it are read
    (the database finds them). With `touch`, a revisioned row's revision moves on, so that a
    form opened before is not taken for current, and a timestamped row's `updated_at` says
    it changed (versions, which record the past, are left as they were). Returns how many
    rows changed."""
    dirty = models.Q()
    for name, lines in fields.items():
        dirty |= models.Q(**{f"{name}__regex": dirty_pattern(lines, vendor)})
    names = {field.name for field in model._meta.concrete_fields}
    changed = 0
    for row in model._default_manager.filter(dirty).values("pk", *fields).iterator():
        update: dict[str, Any] = {}
        for name, lines in fields.items():
            value = row[name]
            if isinstance(value, str):
                clean = without_control_characters(value, lines)
                if clean != value:
                    update[name] = clean
        if not update:
            continue
        if touch and "revision" in names:
            update["revision"] = models.F("revision") + 1
        if touch and "updated_at" in names:
            update["updated_at"] = timezone.now()
        model._default_manager.filter(pk=row["pk"]).update(**update)
        changed += 1
    return changed
