"""The headers gunicorn believes (gunicorn.conf.py), tried on gunicorn itself as deployed — two
workers, production settings, the page cache in a Redis of the test's own — with the requests
an attacker on the same machine would send: a `SCRIPT_NAME` header that would route a story's
address to the front page and have it kept for the story's readers, and an
`X-Forwarded-Proto: https` that would switch the HTTPS redirect off."""

import dataclasses
import http.client
import json
from urllib.parse import urlsplit

import pytest

from tests.faults.load_server import gunicorn, prepare_site
from tests.html import headings
from tests.redis_server import redis_server

pytestmark = pytest.mark.slow  # starts gunicorn and redis-server

STORY = (
    "/articles/2022/02/09/"
    "kim-kardashian-admits-shes-kanyes-biggest-cheerleader-in-front-of-the-kids-even-when-feuding/"
)
HEADLINE = (
    "Kim Kardashian Admits She’s Kanye’s ‘Biggest Cheerleader’ In Front Of The Kids Even When "
    "Feuding"
)


@dataclasses.dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def ask(site, path, headers=()):
    """One GET with exactly these headers; redirects are answers, not followed."""
    address = urlsplit(site.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.putrequest("GET", path)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


@pytest.fixture
def site_env(scratch, tmp_path):
    """The scratch site with the demo data, its page cache in a Redis of its own."""
    prepare_site(scratch)
    with redis_server(tmp_path / "redis") as redis:
        yield lambda **env: dataclasses.replace(
            scratch, env={**scratch.env, "REDIS_URL": redis.url, **env}
        )


def assert_no_poisoning(site, headers=()):
    """After the attacker's request, every reader gets the story, whatever it left in the
    cache; and it was itself answered as the story (gunicorn did not believe the header)."""
    attack = ask(site, STORY, [("SCRIPT_NAME", STORY.rstrip("/")), *headers])
    readers = [ask(site, STORY, headers) for _ in range(6)]  # both workers, Redis or memory
    assert [(r.status, headings(r.body)) for r in readers] == [(200, [HEADLINE])] * 6
    assert attack.status == 200
    assert headings(attack.body) == [HEADLINE], "gunicorn believed the SCRIPT_NAME header"


def test_a_script_name_header_cannot_make_readers_of_a_story_get_the_front_page(site_env, tmp_path):
    with gunicorn(site_env(), tmp_path / "gunicorn.log") as site:
        assert_no_poisoning(site)


def test_x_forwarded_proto_does_not_switch_off_the_https_redirect(site_env, tmp_path):
    with gunicorn(site_env(HTTPS="1"), tmp_path / "gunicorn.log") as site:
        claimed = ask(site, "/people/", [("X-Forwarded-Proto", "https")])
        assert claimed.status == 301, "the forwarded scheme was believed without a proxy"
        assert claimed.headers["Location"].startswith("https://")
        assert ask(site, "/readyz").status == 200  # probes over plain HTTP


def test_behind_a_proxy_only_the_forwarded_scheme_is_believed(site_env, tmp_path):
    with gunicorn(site_env(HTTPS="1", BEHIND_PROXY="1"), tmp_path / "gunicorn.log") as site:
        assert ask(site, "/people/").status == 301
        from_the_proxy = [("X-Forwarded-Proto", "https")]
        assert ask(site, "/people/", from_the_proxy).status == 200
        assert_no_poisoning(site, from_the_proxy)


def test_with_log_format_json_every_line_gunicorn_writes_is_json(scratch, tmp_path):
    """gunicorn's own lines as well as the site's (gunicorn.conf.py's `logconfig_dict`), the
    request line carrying the id the proxy gave."""
    site = dataclasses.replace(
        scratch, env={**scratch.env, "LOG_FORMAT": "json", "BEHIND_PROXY": "1"}
    )
    log_path = tmp_path / "gunicorn.log"
    with gunicorn(site, log_path) as server:
        answer = ask(server, "/healthz", [("X-Request-ID", "lb-5f0c6a1e-4b7d")])
    assert answer.status == 200 and answer.headers["X-Request-ID"] == "lb-5f0c6a1e-4b7d"
    lines = [json.loads(line) for line in log_path.read_text().splitlines()]
    assert any(
        line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines
    )
    (request,) = [line for line in lines if line.get("request_id") == "lb-5f0c6a1e-4b7d"]
    assert (request["logger"], request["path"], request["status"]) == (
        "newsroom.requests",
        "/healthz",
        200,
    )
