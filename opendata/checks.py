from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from .ratelimit import parse_rate


@register
def api_rate_limit_readable(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    try:
        parse_rate(settings.API_RATE_LIMIT)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="opendata.E001")]
    return []
