"""Servers the suite starts for itself, in temporary folders on free loopback ports, and stops:
never a server the developer runs."""

import os
from typing import NoReturn

import pytest


def unavailable(reason: str) -> NoReturn:
    """Skip the test for `reason`; with CI=true fail instead: CI never silently stops checking."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: here that is an error)", pytrace=False)
    pytest.skip(reason)
