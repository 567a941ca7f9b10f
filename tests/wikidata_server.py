"""A stand-in for Wikidata's API on 127.0.0.1, serving recorded answers.

`WikidataServer` answers `wbgetentities` from the entities it holds (the fictional people of
tests/data/wikidata/, in Wikidata's own JSON shape) as Wikidata does: labels and aliases only
in the languages asked, `"missing": ""` for an id it does not know. `script` holds odd answers
to give first, one per request (an HTTP status with headers, a body, a delay). Every request
is kept in `requests` (its query and headers) for the tests to read.
"""

import copy
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).resolve().parent / "data" / "wikidata"


def recorded_entities() -> dict[str, dict]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(RECORDED.glob("Q*.json"))
    }


@dataclass
class Odd:
    """One odd answer: `status` and `headers`, then `body` (bytes, or a JSON-able object),
    after `delay` seconds."""

    status: int = 200
    body: object = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Request:
    query: dict[str, str]
    headers: dict[str, str]


class WikidataServer:
    def __init__(self, entities: dict[str, dict] | None = None):
        self.entities = recorded_entities() if entities is None else entities
        self.script: list[Odd] = []
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
                server.requests.append(
                    Request(query, {k.lower(): v for k, v in self.headers.items()})
                )
                odd = server.script.pop(0) if server.script else None
                if odd is None:
                    status, headers, body = 200, {}, server.answer(query)
                else:
                    time.sleep(odd.delay)
                    status, headers, body = odd.status, odd.headers, odd.body
                if not isinstance(body, bytes):
                    body = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/w/api.php"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, query: dict[str, str]) -> dict:
        if query.get("action") != "wbgetentities":
            return {"error": {"code": "badvalue", "info": "Unrecognized value for “action”."}}
        languages = set(query.get("languages", "").split("|")) - {""}
        found = {}
        for qid in query.get("ids", "").split("|"):
            if qid in self.entities:
                found[qid] = in_languages(self.entities[qid], languages)
            else:
                found[qid] = {"id": qid, "missing": ""}
        return {"entities": found, "success": 1}


def in_languages(entity: dict, languages: set[str]) -> dict:
    """What Wikidata sends when asked for `languages=`: the terms in those languages only."""
    entity = copy.deepcopy(entity)
    if languages:
        for terms in ("labels", "descriptions", "aliases"):
            entity[terms] = {k: v for k, v in entity.get(terms, {}).items() if k in languages}
    return entity
