"""Whether the job broker answers, for `/readyz`."""

import logging

from django.conf import settings
from kombu import Connection

from common.health import State

log = logging.getLogger(__name__)


def broker_state() -> State | None:
    """`ok` or `unavailable`; None when no broker is configured (jobs run in-process)."""
    if not settings.JOB_BROKER_URL:
        return None
    try:
        with Connection(settings.JOB_BROKER_URL, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            connection.default_channel  # noqa: B018 — opening a channel is the real test
    except Exception as error:
        log.error("health: the job broker does not answer (%s: %s)", type(error).__name__, error)
        return State.UNAVAILABLE
    return State.OK
