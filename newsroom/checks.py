"""System checks that stop an unsafe deployment before it serves a request."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


# A deployment check (`check --deploy`), also run by wsgi.py before serving: management
# commands on a developer's machine keep working without a key.
@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    key = settings.SECRET_KEY or ""
    if key == settings.DEVELOPMENT_SECRET_KEY:
        problem = "SECRET_KEY is not set and DEBUG is off."
    elif key.startswith("django-insecure") or len(key) < 50 or len(set(key)) < 5:
        problem = "SECRET_KEY is a default or too weak (fewer than 50 characters) and DEBUG is off."
    else:
        return []
    return [
        checks.Error(
            problem,
            hint="Set the SECRET_KEY environment variable to a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))', "
            "or set DEBUG=1 on a developer's machine.",
            id="newsroom.E001",
        )
    ]


@checks.register(checks.Tags.security)
def outbound_allow_list_is_valid(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    from common.outbound import parse_allowed

    try:
        parse_allowed(settings.OUTBOUND_ALLOWED_ADDRESSES)
    except ValueError as error:
        return [
            checks.Error(
                str(error),
                hint="List IP addresses or networks, comma-separated: 127.0.0.1,10.1.0.0/16.",
                id="newsroom.E002",
            )
        ]
    return []


# Django's PostgreSQL backend, and the site's (Django's, preparing statements when asked).
POSTGRESQL_ENGINES = {"django.db.backends.postgresql", "common.postgresql"}


# Not tagged `database`: those run only when a command names databases to check.
@checks.register()
def replicas_are_postgresql(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Replicas are streaming standbys of a PostgreSQL primary; read-your-writes must outlast
    the lag a replica may have and still be read."""
    errors: list[checks.CheckMessage] = []
    replicas = [alias for alias in settings.DATABASES if alias.startswith("replica_")]
    engines = {settings.DATABASES[alias]["ENGINE"] for alias in ["default", *replicas]}
    if replicas and not engines <= POSTGRESQL_ENGINES:
        errors.append(
            checks.Error(
                "DATABASE_REPLICA_URLS is set but the primary or a replica is not PostgreSQL.",
                hint="Read replicas are PostgreSQL streaming standbys of DATABASE_URL's server.",
                id="newsroom.E003",
            )
        )
    trusted_lag = settings.REPLICA_MAX_LAG_SECONDS + settings.REPLICA_CHECK_SECONDS
    if replicas and trusted_lag > settings.READ_YOUR_WRITES_SECONDS:
        errors.append(
            checks.Warning(
                f"READ_YOUR_WRITES_SECONDS ({settings.READ_YOUR_WRITES_SECONDS}) is shorter "
                "than a replica may lag and still be read (REPLICA_MAX_LAG_SECONDS + "
                f"REPLICA_CHECK_SECONDS = {trusted_lag:g}): an editor could see a story "
                "as it was before their save.",
                id="newsroom.W001",
            )
        )
    return errors
