"""Which database each request is given (newsroom/replica_reads.py), seen from inside the
request by asking Django's router where a read would go. Real replicas, gunicorn and the
admin: tests/faults/test_read_replicas.py."""

import pytest
from django.core import signing
from django.db import router
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from common import replicas
from common.replicas import ReplicaState, ReplicaStates
from newsroom.replica_reads import SALT, ReplicaReadsMiddleware


class View:
    """Answers with where a read goes; writes when asked; fails on the replica when asked."""

    def __init__(self, write=False, fail_on_replica=False):
        self.write = write
        self.fail_on_replica = fail_on_replica
        self.read_from = []

    def __call__(self, request):
        alias = router.db_for_read(Article)
        self.read_from.append(alias)
        if self.fail_on_replica and alias != "default":
            return HttpResponse(status=500)
        if self.write:
            router.db_for_write(Article)
        # A second read in the same request goes where the first went (or, after a write,
        # to the primary).
        return HttpResponse(router.db_for_read(Article))


@pytest.fixture
def replica_up(monkeypatch, settings):
    settings.REPLICA_CHECK_SECONDS = 3600
    settings.READ_YOUR_WRITES_SECONDS = 30
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica_1"])
    states = ReplicaStates()
    monkeypatch.setattr(replicas, "states", states)
    answers = {"replica_1": ReplicaState(up=True, lag=0.0, checked_at=0)}

    def measure(alias):
        return ReplicaState(
            up=answers[alias].up, lag=answers[alias].lag, checked_at=replicas.time.monotonic()
        )

    monkeypatch.setattr(replicas, "measure", measure)
    return answers


def answer(request, view=None):
    view = view or View()
    return ReplicaReadsMiddleware(view)(request), view


rf = RequestFactory()


@pytest.mark.parametrize(
    "path", ["/", "/people/kim-kardashian/", "/search/?q=x", "/api/v1/stories/", "/feeds/latest/"]
)
def test_readers_get_and_head_read_the_replica(replica_up, path):
    for request in (rf.get(path), rf.head(path)):
        response, view = answer(request)
        assert view.read_from == ["replica_1"]
        assert response.content in (b"replica_1", b"")
        assert "newsroom_primary" not in response.cookies
    assert replicas.current_reading() is None  # nothing left behind for the next request


@pytest.mark.parametrize("request_", [rf.get("/admin/"), rf.post("/search/"), rf.put("/api/")])
def test_the_admin_and_every_other_method_read_the_primary(replica_up, request_):
    response, view = answer(request_)
    assert view.read_from == ["default"]


def test_a_request_that_wrote_reads_the_primary_after_and_its_browser_for_a_while(replica_up):
    response, view = answer(rf.get("/"), View(write=True))
    assert response.content == b"default"  # the read after the write
    cookie = response.cookies["newsroom_primary"]
    assert cookie["max-age"] == 30 and cookie["httponly"] and cookie["samesite"] == "Lax"

    request = rf.get("/")
    request.COOKIES["newsroom_primary"] = cookie.value
    _, view = answer(request)
    assert view.read_from == ["default"]


def test_a_forged_or_expired_cookie_is_ignored(replica_up, monkeypatch):
    request = rf.get("/")
    request.COOKIES["newsroom_primary"] = "1:forged:signature"
    assert answer(request)[1].read_from == ["replica_1"]

    signer = signing.get_cookie_signer(salt="newsroom_primary" + SALT)
    monkeypatch.setattr(signing.time, "time", lambda: 1_000_000.0)
    old = signer.sign("1")
    monkeypatch.setattr(signing.time, "time", lambda: 1_000_031.0)  # 31 s later
    request = rf.get("/")
    request.COOKIES["newsroom_primary"] = old
    assert answer(request)[1].read_from == ["replica_1"]
    monkeypatch.setattr(signing.time, "time", lambda: 1_000_029.0)  # 29 s later
    assert answer(request)[1].read_from == ["default"]


def test_with_no_usable_replica_readers_read_the_primary(replica_up):
    replica_up["replica_1"] = ReplicaState(up=True, lag=3600.0, checked_at=0)
    assert answer(rf.get("/"))[1].read_from == ["default"]


def test_a_request_failing_on_a_replica_that_went_down_is_answered_from_the_primary(
    replica_up,
):
    assert answer(rf.get("/"))[1].read_from == ["replica_1"]  # remembered as up
    replica_up["replica_1"] = ReplicaState(up=False, lag=None, checked_at=0)
    response, view = answer(rf.get("/"), View(fail_on_replica=True))
    assert view.read_from == ["replica_1", "default"]
    assert response.status_code == 200 and response.content == b"default"
    # Remembered as down: the next request goes to the primary at once.
    assert answer(rf.get("/"))[1].read_from == ["default"]


def test_a_failure_that_is_not_the_replicas_is_not_answered_twice(replica_up):
    response, view = answer(rf.get("/"), View(fail_on_replica=True))
    assert view.read_from == ["replica_1"]
    assert response.status_code == 500


def test_without_replicas_the_request_is_left_alone(monkeypatch):
    monkeypatch.setattr(replicas, "replica_aliases", lambda: [])
    response, view = answer(rf.get("/"), View(write=True))
    assert view.read_from == ["default"]
    assert "newsroom_primary" not in response.cookies
