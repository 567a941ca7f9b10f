import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from common.text import (
    PlainTextField,
    PlainTextFormField,
    normalise_line_ends,
    one_line,
    without_control_characters,
    xml_safe,
)

# C0 (NUL, start of heading, line tabulation, escape, unit separator), DEL, C1.
CONTROL_CHARACTERS = ["\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]


def typed_text_fields():
    """Every field of the archive's models an editor types text into."""
    for label in ("people", "articles"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and field.editable
                    and not field.choices
                    and not field.generated
                ):
                    yield f"{model.__name__}.{field.name}", field


FIELDS = dict(typed_text_fields())


def test_the_archive_has_text_fields_to_check():
    assert {"Article.title", "Article.body", "Person.bio", "Alias.name", "Quote.text"} <= set(
        FIELDS
    )


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_every_text_field_refuses_control_characters(name):
    field = FIELDS[name]
    for character in CONTROL_CHARACTERS:
        with pytest.raises(ValidationError):
            field.run_validators(f"Kim{character}Kardashian")


@pytest.mark.parametrize(
    "name", sorted(name for name, field in FIELDS.items() if isinstance(field, models.TextField))
)
def test_fields_of_lines_keep_tabs_and_line_ends(name):
    FIELDS[name].run_validators("First\tline\r\nsecond line\n\nA paragraph.")


def test_a_one_line_field_refuses_a_line_break_and_says_where():
    with pytest.raises(ValidationError) as error:
        one_line("Kim\nKardashian")
    assert error.value.messages == ["Keep this to one line: remove a line break at character 4."]


def test_the_refusal_names_the_invisible_character_and_where_it_is():
    with pytest.raises(ValidationError) as error:
        one_line("Kim\x0bKardashian")
    [message] = error.value.messages
    assert "U+000B (line tabulation)" in message and "character 4" in message


def test_line_ends_become_one_kind_everywhere_text_is_read():
    assert normalise_line_ends("One.\r\n\r\nTwo.\rThree.") == "One.\n\nTwo.\nThree."
    assert PlainTextField().to_python("One.\r\n\r\nTwo.") == "One.\n\nTwo."
    assert PlainTextField().get_prep_value("One.\r\n\r\nTwo.") == "One.\n\nTwo."
    assert PlainTextFormField().to_python("One.\r\n\r\nTwo.\r\n") == "One.\n\nTwo."


def test_an_unchanged_text_area_is_not_taken_for_a_change():
    assert not PlainTextFormField().has_changed("One.\n\nTwo.", "One.\r\n\r\nTwo.")


def test_xml_safe_drops_what_xml_cannot_hold_and_keeps_the_rest():
    assert xml_safe("Kim\x0bKardashian\x00\x85\ufffe") == "KimKardashian"
    assert xml_safe("Tab\there\nand “curly” — Ye’s 離婚 развод") == (
        "Tab\there\nand “curly” — Ye’s 離婚 развод"
    )


def test_stored_text_is_cleaned_as_the_rule_says():
    assert without_control_characters("Kim\x0bKardashian\tWest\r\n", lines=False) == (
        "KimKardashian West "
    )
    assert without_control_characters("One.\x01\r\n\r\nTwo.\t", lines=True) == "One.\n\nTwo.\t"
