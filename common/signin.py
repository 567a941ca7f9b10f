"""Who a failed sign-in counts against: django-axes' `AXES_LOCKOUT_PARAMETERS`.

An account is locked *from one address*: `LOGIN_FAILURE_LIMIT` wrong passwords for an account
from an address refuse that account from that address, and nowhere else — five wrong guesses
typed from anywhere must not lock the real owner out everywhere. A success clears only its own
account's failures from its own address (`AXES_RESET_ON_SUCCESS` with these parameters), so
signing in to one's own account does not wipe a guesser's count for another.

An address that fails `LOGIN_ADDRESS_FAILURE_LIMIT` times within the cool-off, whatever the
accounts, is locked as a whole: guessing a few passwords for each of many accounts goes no
further than guessing many for one. axes compares one limit with the largest count among the
parameters it is given; handing it the address once the address is over its own (higher)
limit gives each its own limit.
"""

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

ACCOUNT_FROM_ADDRESS: list[list[str]] = [["username", "ip_address"]]
WHOLE_ADDRESS: list[str] = ["ip_address"]


def lockout_parameters(
    request_or_attempt: HttpRequest | AccessBase, credentials: dict | None = None
) -> list:
    """The account from its address; the whole address once it is over its limit."""
    if isinstance(request_or_attempt, AccessBase):
        address = request_or_attempt.ip_address
    else:
        address = get_client_ip_address(request_or_attempt)
    if address_failures(address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
        return WHOLE_ADDRESS
    return ACCOUNT_FROM_ADDRESS


def address_failures(address: str | None) -> int:
    """Failed sign-ins from `address` within the cool-off, for any account."""
    if not address:
        return 0
    failures = AccessAttempt.objects.filter(ip_address=address)
    if (cool_off := get_cool_off()) is not None:  # None: failures count until reset by hand
        failures = failures.filter(attempt_time__gte=timezone.now() - cool_off)
    return failures.aggregate(total=Sum("failures_since_start"))["total"] or 0
