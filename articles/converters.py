"""Archive addresses take exactly four-digit years and two-digit months and days, so each
story has one address (/articles/2022/02/09/…, never /articles/2022/2/9/…)."""


class FourDigits:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: int | str) -> str:
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: int | str) -> str:
        return f"{int(value):02d}"


class TagSlug:
    """A tag's slug: letters and digits of any script, hyphens and underscores, as taggit makes
    them (see articles/tags.py). Django's `slug` takes ASCII only: a story tagged “развод”
    could not link to its tag."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
