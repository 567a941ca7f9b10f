"""How long a server asks a client to wait before asking again (HTTP's `Retry-After`)."""

import email.utils
import time


def retry_after(value: str | None) -> float | None:
    """Seconds a server asks us to wait: `Retry-After: 120` or an HTTP date; None if unsaid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - time.time())
