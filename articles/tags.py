"""What a tag may be called, and where its page is.

A tag's address is its slug, which taggit makes from its name keeping letters and digits of
any script, lower-cased: “Social media” → /tags/social-media/, “развод” → /tags/развод/
(sent percent-encoded, /tags/%D1%80%D0%B0…/), “離婚” → /tags/離婚/. Two names with the
same slug get `_1`, `_2`… added. So a tag needs at least one letter or digit: “!!!” would
have no address, and is refused wherever tags are typed (the story screen, the tag screen)
or loaded (fixtures).
"""

from django.utils.text import slugify

from common.text import describe, first_control_character, xml_safe

MAX_LENGTH = 100  # taggit's Tag.name


def has_letters_or_digits(text: str) -> bool:
    return any(character.isalnum() for character in text)


def slug_of(name: str) -> str:
    """The slug taggit gives a new tag of that name (before any `_1` it adds)."""
    return slugify(name, allow_unicode=True)


def tag_name_problem(name: str) -> str | None:
    """Why `name` cannot be a tag, in an editor's words; None when it can."""
    if len(name) > MAX_LENGTH:
        return f"A tag can be at most {MAX_LENGTH} characters: “{name[:40]}…”."
    found = first_control_character(name, lines=False)
    if found is not None:
        position, character = found
        return (
            f"The tag “{xml_safe(name)}” holds {describe(character)} at character {position}: "
            "remove it."
        )
    if not has_letters_or_digits(slug_of(name)):
        return (
            f"The tag “{name}” has no letters or digits: a tag needs at least one, to make "
            "its address (/tags/…/) from."
        )
    return None
