"""Archive addresses take exactly four-digit years and two-digit months and days, so each
story has one address (/articles/2022/02/09/…, never /articles/2022/2/9/…)."""


class FourDigits:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigits:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"
