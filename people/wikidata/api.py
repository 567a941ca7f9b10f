"""Asking Wikidata for entities, as its API etiquette asks
(https://www.mediawiki.org/wiki/API:Etiquette):

- a User-Agent that says who is asking and how to reach them (`WIKIDATA_USER_AGENT`);
- one request at a time, at most 50 ids each (the most `wbgetentities` takes);
- `maxlag=5`: when Wikidata's databases lag, it answers “maxlag” instead, and we wait;
- on “maxlag”, 429 or 503, waiting what `Retry-After` says (up to `max_wait`), else 1, 2, 4…
  seconds, at most `retries` times.

Everything else — a timeout, no connection, another HTTP status, an answer that is not JSON —
raises `WikidataUnavailable` with a message saying what happened, and nothing is retried.

`fetch` is the one place the import goes out to the network, through the address check every
outbound request of the archive goes through (common/outbound.py). `gather` asks for the entities
an import needs, and reads them (entities.py).
"""

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import httpx

from common import outbound
from common.retry_after import retry_after

from .entities import Entity, read_answer

BATCH = 50  # ids per request: wbgetentities' own limit
MAXLAG = 5  # seconds: the value Wikimedia recommends
MAX_ANSWER_BYTES = 50 * 1024 * 1024  # 50 entities of the most written-about people fit easily
RETRY_STATUSES = frozenset({429, 503})


class WikidataUnavailable(Exception):
    """Wikidata could not be asked, or did not answer usably; the message says how."""


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def fetch(url: str, params: dict[str, str], headers: dict[str, str], timeout: float) -> Reply:
    """GET `url` once, through the archive's address check (common/outbound.py): only a public
    address, or one the operator allows (`OUTBOUND_ALLOWED_ADDRESSES`), within `timeout`
    seconds in all, at most MAX_ANSWER_BYTES, redirects not followed."""
    try:
        page = outbound.fetch(
            url,
            params=params,
            headers=headers,
            max_bytes=MAX_ANSWER_BYTES,
            timeout=timeout,
            max_redirects=0,
        )
    except outbound.Refused as refusal:
        raise WikidataUnavailable(f"Wikidata's address {url} is {refusal}") from None
    except outbound.TooLarge:
        raise WikidataUnavailable(
            f"Wikidata's answer is larger than {MAX_ANSWER_BYTES // 2**20} MB"
        ) from None
    except outbound.TooManyRedirects:
        raise WikidataUnavailable(
            f"{url} answered with a redirect, not followed: set WIKIDATA_API_URL to the "
            "API's own address"
        ) from None
    except httpx.TimeoutException:
        raise WikidataUnavailable(f"Wikidata did not answer within {timeout:g} s ({url})") from None
    except httpx.HTTPError as error:
        raise WikidataUnavailable(f"Could not reach Wikidata at {url}: {error}") from None
    return Reply(page.status, dict(page.headers), page.content)


def pause(seconds: float) -> None:
    """Wait between attempts (tests replace it to hear how long without waiting)."""
    time.sleep(seconds)


@dataclass
class Client:
    url: str
    user_agent: str
    languages: list[str]
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 1.0
    max_wait: float = 60.0
    get: Callable[[str, dict[str, str], dict[str, str], float], Reply] = fetch
    requests: int = field(default=0, init=False)

    def entities(self, qids: Iterable[str]) -> Iterator[tuple[list[str], object]]:
        """Each batch of ids asked, with Wikidata's decoded answer to it."""
        qids = list(dict.fromkeys(qids))
        for start in range(0, len(qids), BATCH):
            batch = qids[start : start + BATCH]
            yield batch, self.ask(batch)

    def ask(self, batch: list[str]) -> object:
        params = {
            "action": "wbgetentities",
            "ids": "|".join(batch),
            "props": "labels|aliases|claims",
            "languages": "|".join([*self.languages, "mul"]),
            "format": "json",
            "maxlag": str(MAXLAG),
        }
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        for attempt in range(self.retries + 1):
            self.requests += 1
            reply = self.get(self.url, params, headers, self.timeout)
            lagged = False
            data = None
            if reply.status == 200:
                data = decoded(reply)
                lagged = isinstance(data, dict) and (data.get("error") or {}).get("code") == (
                    "maxlag"
                )
                if not lagged:
                    return data
            elif reply.status not in RETRY_STATUSES:
                raise WikidataUnavailable(f"Wikidata answered HTTP {reply.status} ({self.url})")
            why = "its databases lag (maxlag)" if lagged else f"HTTP {reply.status}"
            if attempt == self.retries:
                raise WikidataUnavailable(
                    f"Wikidata asked to try later ({why}) {self.retries + 1} times in a row; "
                    "try again later"
                )
            asked = retry_after(reply.headers.get("retry-after"))
            if asked is not None and asked > self.max_wait:
                raise WikidataUnavailable(
                    f"Wikidata asked to wait {asked:g} s ({why}), longer than the "
                    f"{self.max_wait:g} s this import waits; try again later"
                )
            pause(asked if asked is not None else self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover


def decoded(reply: Reply) -> object:
    try:
        return json.loads(reply.body)
    except (ValueError, UnicodeDecodeError):
        start = reply.body[:60].decode("utf-8", "replace")
        raise WikidataUnavailable(f"Wikidata's answer is not JSON (it begins {start!r})") from None


class UnknownEntities(Exception):
    def __init__(self, qids: list[str]) -> None:
        super().__init__(f"Unknown to Wikidata: {', '.join(qids)}")
        self.qids = qids


@dataclass
class Gathered:
    entities: dict[str, Entity]
    notes: list[str]


def gather(client: Client, qids: list[str], depth: int = 0) -> Gathered:
    """The entities `qids` and, at depth 1, the people their ties name. An id asked for that
    Wikidata does not know raises UnknownEntities; one of the people at the other end of a
    tie is left out with a note (a statement may name an item since deleted)."""
    entities: dict[str, Entity] = {}
    missing = ask(client, qids, entities)
    if missing:
        raise UnknownEntities(missing)
    notes = []
    if depth >= 1:
        known = set(entities) | {entity.qid for entity in entities.values()}
        others = {tie.other(e.qid) for e in entities.values() for tie in e.ties} - known
        for qid in ask(client, sorted(others, key=lambda q: int(q[1:])), entities):
            notes.append(f"{qid}: named in a statement, unknown to Wikidata: left out")
    return Gathered(entities, notes)


def ask(client: Client, qids: list[str], into: dict[str, Entity]) -> list[str]:
    """Ask for `qids`, adding what Wikidata knows to `into`; the ids it does not know."""
    missing = []
    for batch, data in client.entities(qids):
        answer = read_answer(data, batch, client.languages)
        into.update(answer.entities)
        missing += answer.missing
    return missing
