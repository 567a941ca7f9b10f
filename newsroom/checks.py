"""System checks that stop an unsafe deployment before it serves a request."""

from django.conf import settings
from django.core import checks


# A deployment check (`check --deploy`), also run by wsgi.py before serving: management
# commands on a developer's machine keep working without a key.
@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return [
            checks.Error(
                "SECRET_KEY is not set and DEBUG is off.",
                hint="Set the SECRET_KEY environment variable to a long random value, "
                "or set DEBUG=1 on a developer's machine.",
                id="newsroom.E001",
            )
        ]
    return []
