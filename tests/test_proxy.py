"""The proxy of compose.yaml (deploy/nginx/newsroom.conf), run as it is written — a real nginx
in front of the site, with only its addresses and files moved to the test's own — and the site
behind it with `BEHIND_PROXY=1`: the request id passed through and answered, the forwarded
headers set by the proxy whatever the client sent, the proxy's own errors with an id too."""

import http.client
import json
import os
import re
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.http import JsonResponse
from django.urls import include, path

from bench.processes import free_port
from common.clientip import client_ip
from tests.faults.conftest import needs_tool

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "deploy" / "nginx" / "newsroom.conf"
NGINX_ID = re.compile(r"[0-9a-f]{32}")
GIVEN = "lb-5f0c6a1e-4b7d-4f7e"


def seen(request):
    """What the site made of the request the proxy forwarded."""
    meta = request.META
    return JsonResponse(
        {
            "client_ip": client_ip(request),
            "secure": request.is_secure(),
            "host": request.get_host(),
            "forwarded_for": meta.get("HTTP_X_FORWARDED_FOR"),
            "forwarded_proto": meta.get("HTTP_X_FORWARDED_PROTO"),
            "forwarded_host": meta.get("HTTP_X_FORWARDED_HOST"),
            "forwarded": meta.get("HTTP_FORWARDED"),
            "request_id": meta.get("HTTP_X_REQUEST_ID"),
        }
    )


# The site's addresses, and one that shows what it saw (ROOT_URLCONF below).
urlpatterns = [path("seen/", seen), path("", include("newsroom.urls"))]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def ids(self) -> list[str]:
        return self.headers.get_all("X-Request-ID") or []


@dataclass
class Proxy:
    port: int
    ping_port: int
    folder: Path

    def ask(self, path: str, headers=(), port: int | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", f"127.0.0.1:{self.port}")
            for name, value in headers:
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()

    def access_log(self, lines: int = 1) -> list[dict]:
        """The access log once it has (at least) `lines` lines: nginx writes a request's line
        after sending the answer, so it may come a moment after the answer was read."""
        log = self.folder / "access.log"
        deadline = time.monotonic() + 30
        while True:
            text = log.read_text() if log.exists() else ""
            if text.count("\n") >= lines or time.monotonic() > deadline:
                return [json.loads(line) for line in text.splitlines()]
            time.sleep(0.05)


def placed(conf: str, folder: Path, app: str, port: int, ping_port: int) -> str:
    """The configuration with its addresses and files moved to the test's: each exactly once,
    so that a change to the file that this does not follow fails here rather than test less."""
    moves = [
        ("server app:8000 ", f"server {app} "),
        ("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;"),
        ("listen 127.0.0.1:8081;", f"listen 127.0.0.1:{ping_port};"),
        ("access_log /dev/stdout newsroom_json;", f"access_log {folder}/access.log newsroom_json;"),
        ("alias /srv/newsroom/media/;", f"alias {folder}/media/;"),
    ]
    for old, new in moves:
        assert conf.count(old) == 1, f"{CONF.name} no longer has {old!r} once"
        conf = conf.replace(old, new)
    return conf


@contextmanager
def nginx(folder: Path, app: str):
    binary = needs_tool("nginx", "nginx-light")
    folder.mkdir()
    (folder / "media").mkdir()
    port, ping_port = free_port(), free_port()
    (folder / "newsroom.conf").write_text(placed(CONF.read_text(), folder, app, port, ping_port))
    temp = "\n".join(
        f"    {kind}_temp_path {folder}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (folder / "nginx.conf").write_text(
        f"""daemon off;
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
{temp}
    include {folder}/newsroom.conf;
}}
"""
    )
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    proxy = Proxy(port, ping_port, folder)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited: {process.stderr.read().decode()}")
            try:
                if proxy.ask("/ping", port=ping_port).status == 204:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield proxy
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def site(live_server, settings):
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.BEHIND_PROXY = True
    return f"127.0.0.1:{urlsplit(live_server.url).port}"


@pytest.fixture
def proxy(site, tmp_path):
    with nginx(tmp_path / "nginx", site) as running:
        yield running


def test_the_proxy_gives_each_request_an_id_the_site_logs_and_answers_with(proxy, json_log):
    answer = proxy.ask("/healthz")
    assert answer.status == 200
    (given,) = answer.ids()
    assert NGINX_ID.fullmatch(given)
    (site_line,) = [line for line in json_log() if line["logger"] == "newsroom.requests"]
    assert site_line["request_id"] == given
    (proxy_line,) = proxy.access_log()
    assert (proxy_line["request_id"], proxy_line["status"], proxy_line["uri"]) == (
        given,
        200,
        "/healthz",
    )
    assert proxy.ask("/healthz").ids() != [given]


def test_an_id_from_a_load_balancer_in_front_is_kept_end_to_end(proxy, json_log):
    answer = proxy.ask("/seen/", [("X-Request-ID", GIVEN)])
    assert answer.ids() == [GIVEN]
    assert json.loads(answer.body)["request_id"] == GIVEN
    assert {line["request_id"] for line in json_log()} == {GIVEN}
    assert proxy.access_log()[0]["request_id"] == GIVEN


@pytest.mark.parametrize("given", ["short", 'abc12345"}{"level":"CRITICAL', "x" * 129])
def test_what_does_not_look_like_an_id_is_replaced_by_the_proxy(proxy, given):
    answer = proxy.ask("/seen/", [("X-Request-ID", given)])
    (replaced,) = answer.ids()
    assert NGINX_ID.fullmatch(replaced)
    assert json.loads(answer.body)["request_id"] == replaced
    assert proxy.access_log()[0]["request_id"] == replaced


def test_forwarded_headers_are_the_proxys_whatever_the_client_sent(proxy):
    forged = [
        ("X-Forwarded-For", "203.0.113.9"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "evil.example"),
        ("Forwarded", "for=203.0.113.9;proto=https"),
    ]
    seen_by_site = json.loads(proxy.ask("/seen/", forged).body)
    assert seen_by_site == {
        "client_ip": "127.0.0.1",  # the address the proxy saw, not the one claimed
        "secure": False,  # the proxy was asked over plain HTTP
        "host": f"127.0.0.1:{proxy.port}",
        "forwarded_for": "127.0.0.1",
        "forwarded_proto": "http",
        "forwarded_host": None,
        "forwarded": None,
        "request_id": seen_by_site["request_id"],
    }
    assert NGINX_ID.fullmatch(seen_by_site["request_id"])


def test_the_proxys_own_error_carries_an_id(tmp_path):
    with nginx(tmp_path / "nginx", f"127.0.0.1:{free_port()}") as down:
        answer = down.ask("/healthz", [("X-Request-ID", GIVEN)])
    assert answer.status == 502
    assert answer.ids() == [GIVEN]
    assert down.access_log()[0]["status"] == 502


def test_media_are_served_from_the_shared_folder_with_an_id(proxy):
    (proxy.folder / "media" / "portrait.txt").write_text("a picture, say")
    answer = proxy.ask("/media/portrait.txt")
    assert (answer.status, answer.body) == (200, b"a picture, say")
    assert NGINX_ID.fullmatch(answer.ids()[0]) and len(answer.ids()) == 1
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
