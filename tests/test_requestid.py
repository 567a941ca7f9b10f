"""Every answer carries its request's id (newsroom/requestid.py), and every line logged while
the request ran carries the same id (common/logs.py); the id is taken from `X-Request-ID` only
behind a proxy, and only when it looks like an id."""

import pytest

from common.logs import request_id
from newsroom.requestid import LOOKS_LIKE_AN_ID

GIVEN = "5f0c6a1e-4b7d-4f7e-9a55-2c1d3e4f5a6b"


def test_each_answer_gets_an_id_of_its_own(client, db):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert LOOKS_LIKE_AN_ID.fullmatch(first["X-Request-ID"])
    assert LOOKS_LIKE_AN_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert request_id.get() == "", "the id outlived its request"


def test_without_a_proxy_a_clients_id_is_not_believed(client, db, settings):
    settings.BEHIND_PROXY = False
    response = client.get("/healthz", headers={"X-Request-ID": GIVEN})
    assert response["X-Request-ID"] != GIVEN
    assert LOOKS_LIKE_AN_ID.fullmatch(response["X-Request-ID"])


def test_behind_a_proxy_its_id_is_kept_and_echoed(client, db, settings, json_log):
    settings.BEHIND_PROXY = True
    response = client.get("/healthz", headers={"X-Request-ID": GIVEN})
    assert response["X-Request-ID"] == GIVEN
    (line,) = [line for line in json_log() if line["logger"] == "newsroom.requests"]
    assert line["request_id"] == GIVEN
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)


@pytest.mark.parametrize(
    "given",
    [
        "short",  # fewer than 8 characters
        "x" * 129,  # more than 128
        'abc12345"}{"level":"CRITICAL',  # JSON of its own
        "abc12345 forged line",  # a space
        "-leading-dash-123",  # must start with a letter or digit
        "abc12345\u00e9\u00e9",  # not ASCII
    ],
)
def test_behind_a_proxy_what_does_not_look_like_an_id_is_replaced(client, db, settings, given):
    settings.BEHIND_PROXY = True
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response["X-Request-ID"] != given
    assert LOOKS_LIKE_AN_ID.fullmatch(response["X-Request-ID"])


def test_every_line_logged_during_a_request_carries_its_id(client, db, json_log):
    response = client.get("/no-such-page/at-all/")
    assert response.status_code == 404
    lines = json_log()
    by_logger = {line["logger"]: line for line in lines}
    # Django's own line about the 404, and the site's line for the request.
    assert set(by_logger) >= {"django.request", "newsroom.requests"}, lines
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}
    assert by_logger["newsroom.requests"]["status"] == 404


def test_a_304_carries_an_id_too(client, demo):
    first = client.get("/people/")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/people/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert LOOKS_LIKE_AN_ID.fullmatch(again["X-Request-ID"])
    assert again["X-Request-ID"] != first["X-Request-ID"]


def test_an_error_answer_logged_after_the_middleware_keeps_the_requests_id(client, db, json_log):
    """Django logs a 4xx or 5xx (`django.request`) once every middleware has returned."""
    response = client.get("/no-such-page/at-all/")
    (line,) = [line for line in json_log() if line["logger"] == "django.request"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["status_code"] == 404
