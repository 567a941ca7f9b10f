from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .ratelimit import parse_rate


@register
def api_rate_limit_readable(app_configs, **kwargs):
    try:
        parse_rate(settings.API_RATE_LIMIT)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="opendata.E001")]
    return []
