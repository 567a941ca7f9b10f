"""`/healthz` (liveness) and `/readyz` (readiness): each dependency's state, from a real Redis
of the test's own stopped or filled (common/health.py, newsroom/views.py)."""

import logging

import pytest
from django.db import DatabaseError

from common import health
from newsroom import settings as newsroom_settings
from tests.redis_server import redis_server

ALL_OK = {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.fixture
def redis(settings, tmp_path):
    with redis_server(tmp_path / "redis") as server:
        settings.CACHES = newsroom_settings.caches(server.url)
        yield server


def broken(*args, **kwargs):
    raise DatabaseError("connection refused")


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
def test_health_pages_report_each_dependency_and_answer_head(client, db, url):
    response = client.get(url)
    assert response.status_code == 200 and response.json() == ALL_OK
    assert "no-cache" in response["Cache-Control"]
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""


def test_with_redis_answering_both_report_ok(client, db, redis):
    assert client.get("/healthz").json() == ALL_OK
    assert client.get("/readyz").json() == ALL_OK


def test_while_the_database_is_down_the_process_is_alive_but_not_ready(
    client, db, monkeypatch, caplog
):
    # Undone before the test database is rolled back.
    with monkeypatch.context() as patch, caplog.at_level(logging.ERROR, logger="common.health"):
        patch.setattr("common.health.connection.cursor", broken)
        alive = client.get("/healthz")
        ready = client.get("/readyz")
    assert alive.status_code == 200
    assert alive.json() == {"status": "degraded", "database": "unavailable", "cache": "ok"}
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    assert "DatabaseError: connection refused" in caplog.text


@pytest.mark.parametrize("fault", ["stop", "fill"])
def test_a_cache_down_or_full_is_reported_and_logged_but_pages_still_serve(
    client, db, redis, fault, caplog
):
    """Pages are served without the cache (caching/pagecache.py), so the server stays ready:
    every server shares one Redis, and failing on it would take them all out at once."""
    getattr(redis, fault)()
    with caplog.at_level(logging.ERROR, logger="common.health"):
        alive = client.get("/healthz")
        ready = client.get("/readyz")
    degraded = {"status": "degraded", "database": "ok", "cache": "unavailable"}
    assert alive.status_code == 200 and alive.json() == degraded
    assert ready.status_code == 200 and ready.json() == degraded
    error = {"stop": "ConnectionError", "fill": "OutOfMemoryError"}[fault]
    assert f"the cache does not answer ({error}" in caplog.text


@pytest.fixture
def checks(monkeypatch):
    """The registry as the site has it, undone after the test."""
    monkeypatch.setattr(health, "CHECKS", dict(health.CHECKS))
    return health


def test_a_registered_check_is_reported_by_name_in_order(client, db, checks):
    checks.register("queue", lambda: health.State.OK, required=False)
    checks.register("replica", lambda: health.State.OK, required=False)
    body = client.get("/readyz").json()
    assert list(body) == ["status", "database", "cache", "queue", "replica"]
    assert body == {**ALL_OK, "queue": "ok", "replica": "ok"}


def test_a_required_check_that_fails_makes_the_server_not_ready(client, db, checks):
    checks.register("queue", lambda: health.State.UNAVAILABLE, required=True)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {**ALL_OK, "status": "unavailable", "queue": "unavailable"}
    alive = client.get("/healthz")
    assert alive.status_code == 200 and alive.json()["status"] == "degraded"


def test_a_check_not_required_that_fails_is_reported_but_the_server_stays_ready(client, db, checks):
    checks.register("replica", lambda: health.State.UNAVAILABLE, required=False)
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {**ALL_OK, "status": "degraded", "replica": "unavailable"}


def test_a_check_that_raises_counts_as_unavailable_and_its_error_is_logged(
    client, db, checks, caplog
):
    def broker():
        raise ConnectionRefusedError("no broker at 127.0.0.1:5672")

    checks.register("queue", broker, required=True)
    with caplog.at_level(logging.ERROR, logger="common.health"):
        ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["queue"] == "unavailable"
    assert "health: queue does not answer (ConnectionRefusedError: no broker at" in caplog.text


def test_registering_a_name_again_replaces_the_check(client, db, checks):
    checks.register("cache", lambda: health.State.UNAVAILABLE, required=True)
    assert list(health.CHECKS) == ["database", "cache"]
    assert client.get("/readyz").status_code == 503
