"""schema.org JSON-LD for pages, embedded safely in a <script> element."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

# Inside <script>, "</script>" or "<!--" in the data would end or bend the element: escape
# every <, > and & as JSON unicode escapes (what Django's json_script does).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def as_script(data: dict | list) -> SafeString:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return mark_safe(  # noqa: S308 — every <, > and & is escaped above
        '<script type="application/ld+json">' + text.translate(_SCRIPT_ESCAPES) + "</script>"
    )


def with_context(data: dict) -> dict:
    return {"@context": "https://schema.org", **data}
