"""Asking Wikidata politely (people/wikidata/api.py), against a stand-in on 127.0.0.1."""

import email.utils
import socket
import time

import pytest

from people.wikidata import api
from people.wikidata.api import Client, UnknownEntities, WikidataUnavailable, gather
from tests.wikidata_server import Odd, WikidataServer

MARA = "Q990000001"


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    """The stand-in answers on 127.0.0.1, which common/outbound.py refuses unless allowed."""
    settings.OUTBOUND_ALLOWED_ADDRESSES = ["127.0.0.1"]


@pytest.fixture
def server():
    with WikidataServer() as server:
        yield server


@pytest.fixture
def waits(monkeypatch):
    """How long the client waited between attempts, without waiting."""
    waited = []
    monkeypatch.setattr(api, "pause", waited.append)
    return waited


def client(server, **options):
    return Client(server.url, "NewsroomTest/1.0 (tests; ops@example.org)", ["en"], **options)


def test_it_says_who_asks_and_asks_for_what_is_needed_with_maxlag(server):
    data = client(server).ask([MARA])
    assert set(data["entities"]) == {MARA}
    (request,) = server.requests
    assert request.headers["user-agent"] == "NewsroomTest/1.0 (tests; ops@example.org)"
    assert request.query == {
        "action": "wbgetentities",
        "ids": MARA,
        "props": "labels|aliases|claims",
        "languages": "en|mul",
        "format": "json",
        "maxlag": "5",
    }


def test_ids_are_asked_fifty_at_a_time(server):
    many = [f"Q9900{n:05d}" for n in range(1, 121)]
    server.entities = {qid: {"id": qid, "type": "item", "labels": {}} for qid in many}
    batches = [batch for batch, _ in client(server).entities(many)]
    assert [len(batch) for batch in batches] == [50, 50, 20]
    assert [len(r.query["ids"].split("|")) for r in server.requests] == [50, 50, 20]
    assert sum(batches, []) == many


@pytest.mark.parametrize(
    "odd",
    [
        Odd(429, {"error": "too many"}, {"Retry-After": "7"}),
        Odd(503, b"<html>busy</html>", {"Retry-After": "7"}),
        # Lagging databases: an error in a 200 answer, with Retry-After (MediaWiki's maxlag).
        Odd(
            200,
            {"error": {"code": "maxlag", "info": "Waiting for db: 6 seconds lagged"}},
            {"Retry-After": "7"},
        ),
    ],
    ids=["429", "503", "maxlag"],
)
def test_try_later_is_honoured_as_long_as_retry_after_says(server, waits, odd):
    server.script = [odd]
    data = client(server).ask([MARA])
    assert MARA in data["entities"]
    assert waits == [7.0]
    assert len(server.requests) == 2


def test_without_retry_after_the_waits_double(server, waits):
    server.script = [Odd(503), Odd(429), Odd(503)]
    assert MARA in client(server, backoff=1.0).ask([MARA])["entities"]
    assert waits == [1.0, 2.0, 4.0]


def test_retry_after_as_an_http_date(server, waits):
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.script = [Odd(429, headers={"Retry-After": later})]
    client(server).ask([MARA])
    assert 25 <= waits[0] <= 31


def test_it_gives_up_when_asked_to_wait_too_long(server, waits):
    server.script = [Odd(429, headers={"Retry-After": "3600"})]
    with pytest.raises(WikidataUnavailable, match="wait 3600 s .*longer than the 60 s"):
        client(server, max_wait=60).ask([MARA])
    assert waits == []


def test_it_gives_up_after_a_few_tries(server, waits):
    server.script = [Odd(503, headers={"Retry-After": "1"})] * 4
    with pytest.raises(WikidataUnavailable, match=r"HTTP 503\) 4 times in a row"):
        client(server, retries=3).ask([MARA])
    assert waits == [1.0, 1.0, 1.0]


def test_a_timeout_is_said_plainly(server):
    server.script = [Odd(delay=2.0, body={"entities": {}})]
    started = time.monotonic()
    with pytest.raises(WikidataUnavailable, match=r"did not answer within 0.5 s"):
        client(server, timeout=0.5).ask([MARA])
    assert time.monotonic() - started < 1.9


@pytest.mark.parametrize(
    "odd, message",
    [
        (Odd(500, b"oops"), "HTTP 500"),
        (Odd(302, headers={"Location": "http://127.0.0.1:9/"}), "a redirect, not followed"),
        (Odd(200, b"<!DOCTYPE html><p>maintenance</p>"), "not JSON .*DOCTYPE"),
    ],
)
def test_an_answer_that_is_not_an_answer_is_said_plainly(server, odd, message):
    server.script = [odd]
    with pytest.raises(WikidataUnavailable, match=message):
        client(server).ask([MARA])


def test_nobody_answering_is_said_plainly():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    nobody = Client(f"http://127.0.0.1:{port}/w/api.php", "NewsroomTest/1.0", ["en"])
    with pytest.raises(WikidataUnavailable, match=f"Could not reach Wikidata at .*:{port}/"):
        nobody.ask([MARA])


def test_an_address_not_allowed_is_refused_without_asking(server, settings):
    settings.OUTBOUND_ALLOWED_ADDRESSES = []
    with pytest.raises(WikidataUnavailable, match="is refused: not a public address"):
        client(server).ask([MARA])
    assert server.requests == []


def test_gather_refuses_ids_wikidata_does_not_know(server):
    with pytest.raises(UnknownEntities, match="Unknown to Wikidata: Q990000404"):
        gather(client(server), [MARA, "Q990000404"])


def test_gather_at_depth_one_brings_the_other_ends_and_notes_the_unknown(server):
    del server.entities["Q990000003"]  # the partner's item, since deleted
    gathered = gather(client(server), [MARA], depth=1)
    assert set(gathered.entities) == {MARA, "Q990000002", "Q990000004", "Q990000005"}
    assert gathered.notes == ["Q990000003: named in a statement, unknown to Wikidata: left out"]
    assert [r.query["ids"] for r in server.requests] == [
        MARA,
        "Q990000002|Q990000003|Q990000004|Q990000005",
    ]
