"""`manage.py check_sources`, the checker behind it and the admin filter on what it records.

Every request goes to a small HTTP server started on 127.0.0.1 for each test, allowed through
`OUTBOUND_ALLOWED_ADDRESSES`: never the internet. Addresses that are not public are refused by
the check alone: a guard under httpx lets only loopback connections through and records every
attempt, and host names resolve through a fake resolver.
"""

import datetime
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import sourcecheck
from articles.admin_filters import SourceHealthFilter
from articles.jobs import CHECK_SOURCE
from articles.models import Article, SourceLink
from articles.sourcecheck import USER_AGENT, Result, check_urls
from common.citations import NO_CREDENTIALS
from common.outbound import CREDENTIALS, NOT_PUBLIC
from jobs.models import Job
from jobs.queue import execute
from people.models import Source
from tests.common.localnet import ConnectionGuard, LocalSite
from tests.forms import form_data
from tests.html import error_messages, page, text

CHANGELIST = reverse("admin:articles_article_changelist")


class Site:
    """What the test server saw: requests per path, and the most ever in flight at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []  # (method, path)
        self.agents = set()
        self.authorizations = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.release = threading.Event()  # lets slow answers go when a test ends

    def saw(self, method, path, agent, authorization):
        with self.lock:
            self.requests.append((method, path))
            self.agents.add(agent)
            if authorization:
                self.authorizations.append(authorization)
            return sum(1 for _, seen in self.requests if seen == path)

    def methods(self, path):
        return [method for method, seen in self.requests if seen == path]

    def hits(self, path):
        return len(self.methods(path))


class Handler(BaseHTTPRequestHandler):
    site: Site  # set on a subclass per server

    def do_HEAD(self):
        self.answer()

    def do_GET(self):
        self.answer()

    def log_message(self, format, *args):
        pass

    def answer(self):
        site, path, method = self.site, self.path, self.command
        hits = site.saw(
            method, path, self.headers.get("User-Agent"), self.headers.get("Authorization")
        )
        kind, _, name = path.strip("/").partition("/")
        if path == "/ok":
            self.reply(200)
        elif path == "/missing":
            self.reply(404)
        elif path == "/gone":
            self.reply(410)
        elif path == "/moved":
            self.reply(301, Location="/ok")
        elif kind == "loop":
            self.reply(302, Location="/loop/b" if name == "a" else "/loop/a")
        elif kind == "far":  # /far/3 → /far/2 → /far/1 → /far/0 (200)
            steps = int(name)
            self.reply(302, Location=f"/far/{steps - 1}") if steps else self.reply(200)
        elif path == "/to-ftp":
            self.reply(301, Location="ftp://127.0.0.1/file")
        elif path == "/to-metadata":
            self.reply(302, Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/to-intranet":
            self.reply(301, Location="http://intranet.example/wiki/")
        elif path == "/to-credentials":
            port = self.server.server_address[1]
            self.reply(302, Location=f"http://editor:secret@127.0.0.1:{port}/ok")
        elif path == "/no-head":
            self.reply(405 if method == "HEAD" else 200)
        elif path == "/head-forbidden":
            self.reply(403 if method == "HEAD" else 200)
        elif kind == "flaky":  # down twice, then back
            self.reply(503 if hits <= 2 else 200)
        elif kind == "busy":  # rate limited once
            self.reply(429, **{"Retry-After": "1"}) if hits == 1 else self.reply(200)
        elif kind == "down":
            self.reply(503)
        elif kind == "slow":
            site.release.wait(5)
            self.reply(200)
        elif kind == "crowd":
            with site.lock:
                site.in_flight += 1
                site.most_in_flight = max(site.most_in_flight, site.in_flight)
            time.sleep(0.15)
            with site.lock:
                site.in_flight -= 1
            self.reply(200)
        else:
            self.reply(404)

    def reply(self, status, **headers):
        body = b"" if self.command == "HEAD" else b"<p>A page.</p>"
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the checker gave up waiting: nobody is listening any more


@pytest.fixture
def site(allow_loopback):
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (Handler,), {"site": state}))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    host, port = server.server_address
    state.url = lambda path: f"http://{host}:{port}{path}"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def allow_loopback(settings):
    settings.OUTBOUND_ALLOWED_ADDRESSES = ["127.0.0.1"]


@pytest.fixture
def closed_port(allow_loopback):
    """An address where nothing listens: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Retries wait hundredths of a second here, not the polite seconds of production."""
    monkeypatch.setattr(sourcecheck, "BACKOFF", 0.01)
    monkeypatch.setattr(sourcecheck, "MAX_WAIT", 0.05)


class Waits(list):
    """A stand-in for asyncio.sleep: remembers how long the checker wanted to wait."""

    async def __call__(self, seconds):
        self.append(seconds)


# The checker on its own


def test_plain_answers_are_recorded_as_they_come(site):
    ok, missing, gone = site.url("/ok"), site.url("/missing"), site.url("/gone")
    results = check_urls([ok, missing, gone])
    assert results == {
        ok: Result(200, "", ok),
        missing: Result(404, "", missing),
        gone: Result(410, "", gone),
    }
    assert [results[url].outcome for url in (ok, missing, gone)] == ["ok", "broken", "broken"]


def test_a_working_address_costs_one_head_request_and_no_page(site):
    check_urls([site.url("/ok")])
    assert site.methods("/ok") == ["HEAD"]


def test_the_checker_says_who_it_is(site):
    check_urls([site.url("/ok")])
    assert site.agents == {USER_AGENT}
    assert USER_AGENT == "NewsroomLinkChecker/1.0 (+source checker for the Newsroom archive)"


def test_each_distinct_address_is_asked_once(site):
    ok = site.url("/ok")
    results = check_urls([ok, site.url("/missing"), ok, ok])
    assert list(results) == [ok, site.url("/missing")]
    assert site.hits("/ok") == 1


def test_a_redirect_is_followed_to_the_final_answer(site):
    moved = site.url("/moved")
    assert check_urls([moved])[moved] == Result(200, "", site.url("/ok"))


def test_a_redirect_chain_is_followed_up_to_the_limit(site):
    near, far = site.url("/far/3"), site.url("/far/9")
    results = check_urls([near, far], max_redirects=5)
    assert results[near].status == 200
    assert results[far] == Result(None, "more than 5 redirects", far)
    assert results[far].outcome == "broken"
    # /far/4 redirects a sixth time: not followed (/far/3 was asked once, by `near`).
    assert site.hits("/far/4") == 1 and site.hits("/far/3") == 1


def test_a_redirect_loop_is_an_error_not_a_page(site):
    loop = site.url("/loop/a")
    result = check_urls([loop], max_redirects=5)[loop]
    assert result.status is None
    assert result.error == f"redirect loop back to {loop}"
    assert result.outcome == "broken"
    # Followed up to the limit (a site may redirect to itself once a cookie is set), no further.
    assert site.requests == [("HEAD", "/loop/a"), ("HEAD", "/loop/b")] * 3


@pytest.mark.parametrize("path", ["/no-head", "/head-forbidden"])
def test_a_server_refusing_head_is_asked_with_get(site, path):
    url = site.url(path)
    assert check_urls([url])[url] == Result(200, "", url)
    assert site.methods(path) == ["HEAD", "GET"]


def test_transient_failures_are_retried_with_growing_waits(site):
    flaky = site.url("/flaky/1")
    waits = Waits()
    result = check_urls([flaky], retries=2, backoff=0.5, max_wait=10, sleep=waits)[flaky]
    assert result == Result(200, "", flaky)
    assert site.hits("/flaky/1") == 3
    assert waits == [0.5, 1.0]


def test_retries_stop_after_the_allowed_number(site):
    down = site.url("/down/1")
    waits = Waits()
    result = check_urls([down], retries=2, sleep=waits)[down]
    assert result == Result(503, "still 503 after 3 attempts", down)
    assert result.outcome == "broken"
    assert site.hits("/down/1") == 3 and len(waits) == 2


def test_no_retries_means_one_request(site):
    down = site.url("/down/1")
    assert check_urls([down], retries=0)[down] == Result(503, "", down)
    assert site.hits("/down/1") == 1


def test_a_missing_page_is_not_asked_again(site):
    check_urls([site.url("/missing")], retries=2)
    assert site.hits("/missing") == 1


def test_retry_after_is_honoured(site):
    busy = site.url("/busy/1")
    waits = Waits()
    assert check_urls([busy], max_wait=10, sleep=waits)[busy].status == 200
    assert waits == [1.0]
    assert site.hits("/busy/1") == 2


def test_retry_after_is_capped(site):
    busy = site.url("/busy/1")
    waits = Waits()
    check_urls([busy], max_wait=0.25, sleep=waits)
    assert waits == [0.25]


def test_retry_after_is_really_waited_for(site):
    busy = site.url("/busy/1")
    started = time.monotonic()
    assert check_urls([busy], max_wait=10)[busy].status == 200
    assert 0.9 < time.monotonic() - started < 5


def test_a_silent_server_times_out_and_is_tried_again(site):
    slow = site.url("/slow/1")
    started = time.monotonic()
    result = check_urls([slow], timeout=0.5, retries=1)[slow]
    assert result == Result(None, "timed out after 0.5 s", slow, unreachable=True)
    assert result.outcome == "unreachable"
    assert site.hits("/slow/1") == 2
    assert time.monotonic() - started < 3


def test_a_refused_connection_is_unreachable(closed_port):
    result = check_urls([closed_port], retries=1)[closed_port]
    assert result == Result(None, "connection refused", closed_port, unreachable=True)


@pytest.mark.parametrize(
    "address",
    ["ftp://127.0.0.1/file", "javascript:alert(1)", "mailto:desk@example.org", "http://", "x"],
)
def test_only_web_addresses_are_ever_requested(site, address):
    result = check_urls([address])[address]
    assert result.status is None and result.outcome == "broken"
    assert result.error == "not a web address: only http and https links are checked"
    assert site.requests == []


def test_a_redirect_off_the_web_is_not_followed(site):
    url = site.url("/to-ftp")
    result = check_urls([url])[url]
    assert result.status is None
    assert result.error == "redirected to a non-web address: ftp://127.0.0.1/file"


def test_no_more_than_per_host_requests_at_once_to_one_site(site):
    crowd = [site.url(f"/crowd/{n}") for n in range(6)]
    results = check_urls(crowd, concurrency=8, per_host=2)
    assert all(result.ok for result in results.values())
    assert site.most_in_flight == 2


def test_no_more_than_concurrency_requests_at_once_in_all(site):
    crowd = [site.url(f"/crowd/{n}") for n in range(6)]
    check_urls(crowd, concurrency=3, per_host=6)
    assert site.most_in_flight == 3


@pytest.mark.parametrize(
    "limits", [{"timeout": 0}, {"concurrency": 0}, {"per_host": 0}, {"retries": -1}]
)
def test_impossible_limits_are_refused(limits):
    with pytest.raises(ValueError):
        check_urls(["http://127.0.0.1/"], **limits)


# The command


def run(*args):
    out = StringIO()
    call_command("check_sources", *map(str, args), stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def story(make_article):
    return make_article("Kim Kardashian On Life After Divorce")


def cite(story, url, label="Vogue, 9 February 2022, interview", **fields):
    return SourceLink.objects.create(article=story, url=url, label=label, **fields)


def test_every_source_gets_its_answer_and_the_time_of_the_check(site, story, closed_port):
    ok = cite(story, site.url("/ok"))
    missing = cite(story, site.url("/missing"))
    refused = cite(story, closed_port)
    before = timezone.now()
    run("--retries", 0)
    for source in (ok, missing, refused):
        source.refresh_from_db()
        assert before <= source.checked_at <= timezone.now()
    assert (ok.check_status, ok.check_error, ok.is_broken) == (200, "", False)
    assert (missing.check_status, missing.check_error, missing.is_broken) == (404, "", True)
    assert (refused.check_status, refused.check_error) == (None, "connection refused")
    assert refused.is_broken


def test_people_sources_are_checked_too(site, db):
    source = Source.objects.create(label="Wikipedia", url=site.url("/gone"))
    run()
    source.refresh_from_db()
    assert source.check_status == 410 and source.is_broken


def test_an_address_cited_many_times_is_asked_once_and_recorded_everywhere(site, make_article):
    url = site.url("/ok")
    sources = [cite(make_article(f"Story {n}"), url) for n in range(3)]
    person_source = Source.objects.create(label="Vogue", url=url)
    out = run()
    assert site.hits("/ok") == 1
    assert "checked 1 addresses: 1 ok, 0 broken, 0 unreachable" in out
    assert "recorded on 4 sources" in out
    for source in [*sources, person_source]:
        source.refresh_from_db()
        assert source.check_status == 200


def test_sources_without_an_address_are_left_alone(site, story):
    unlinked = cite(story, "", label="Told to the Daily Mail")
    assert "checking 0 addresses" in run()
    unlinked.refresh_from_db()
    assert unlinked.checked_at is None
    assert site.requests == []


def test_the_summary_counts_and_lists_what_is_wrong(site, story, closed_port):
    cite(story, site.url("/ok"))
    cite(story, site.url("/moved"))
    cite(story, site.url("/missing"), label="People, 3 March 2022")
    cite(story, site.url("/missing"), label="Us Weekly, 3 March 2022")
    cite(story, site.url("/loop/a"), label="Page Six")
    cite(story, closed_port, label="A blog")
    out = run("--retries", 0, "--timeout", 2)
    assert "checking 5 addresses (8 at once, 2 per site, timeout 2 s, 0 retries)…" in out
    assert "checked 5 addresses: 2 ok, 2 broken, 1 unreachable" in out
    assert f"404 {site.url('/missing')} (People, 3 March 2022, and 1 more)\n" in out
    loop = site.url("/loop/a")
    assert f"--- {loop} (Page Six): redirect loop back to {loop}\n" in out
    assert f"--- {closed_port} (A blog): connection refused\n" in out
    assert site.url("/ok") not in out and site.url("/moved") not in out
    assert "recorded on 6 sources" in out


def test_every_answer_shows_at_verbosity_2(site, story):
    cite(story, site.url("/gone"))
    assert f"  410 {site.url('/gone')}\n" in run("--verbosity", 2)


def test_older_than_checks_only_the_never_or_long_ago_checked(site, story):
    now = timezone.now()
    stale = cite(story, site.url("/missing"), checked_at=now - datetime.timedelta(days=10))
    fresh = cite(story, site.url("/gone"), checked_at=now - datetime.timedelta(days=1))
    new = cite(story, site.url("/ok"))
    out = run("--older-than", 7)
    assert "checked 2 addresses" in out
    assert site.hits("/gone") == 0
    for source in (stale, fresh, new):
        source.refresh_from_db()
    assert stale.check_status == 404 and new.check_status == 200
    assert fresh.check_status is None and fresh.checked_at == now - datetime.timedelta(days=1)


def test_limit_takes_the_never_checked_first_then_the_oldest(site, story):
    now = timezone.now()
    cite(story, site.url("/gone"), checked_at=now - datetime.timedelta(days=3))
    cite(story, site.url("/missing"), checked_at=now - datetime.timedelta(days=30))
    cite(story, site.url("/ok"))
    out = run("--limit", 2)
    assert "checked 2 addresses" in out
    assert site.hits("/ok") == 1 and site.hits("/missing") == 1 and site.hits("/gone") == 0


def test_dry_run_checks_and_reports_but_writes_nothing(site, story):
    source = cite(story, site.url("/missing"))
    out = run("--dry-run")
    assert "checked 1 addresses: 0 ok, 1 broken, 0 unreachable" in out
    assert f"404 {site.url('/missing')}" in out
    assert "dry run: nothing was written" in out and "recorded" not in out
    source.refresh_from_db()
    assert (source.checked_at, source.check_status, source.check_error) == (None, None, "")


def test_a_check_is_not_an_edit_of_the_story(site, story):
    source = cite(story, site.url("/missing"))
    story.refresh_from_db()
    counts = (Article.history.count(), SourceLink.history.count())
    run()
    after = Article.objects.get(pk=story.pk)
    assert (after.updated_at, after.revision) == (story.updated_at, story.revision)
    assert (Article.history.count(), SourceLink.history.count()) == counts
    source.refresh_from_db()
    assert source.check_status == 404 and source.label == "Vogue, 9 February 2022, interview"


def test_answers_are_written_per_answer_not_per_source(site, make_article):
    stories = [make_article(f"Story {n}") for n in range(4)]
    for n in range(20):
        cite(stories[n % 4], site.url("/ok" if n % 2 else "/missing"), label=f"Source {n}")
        Source.objects.create(label=f"Person source {n}", url=site.url(f"/far/{n % 3}"))
    with CaptureQueriesContext(connection) as queries:
        out = run()
    updates = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    # Two answers (200 and 404), one UPDATE per answer and model.
    assert len(updates) == 4
    assert "recorded on 40 sources" in out
    assert SourceLink.objects.filter(check_status=404).count() == 10
    assert Source.objects.filter(check_status=200).count() == 20


def test_broken_links_are_not_a_failure_of_the_command(site, story, closed_port):
    cite(story, site.url("/missing"))
    cite(story, closed_port)
    run("--retries", 0)  # returns: exit status 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--timeout", "0"], "argument --timeout: expected a number of seconds above 0"),
        (["--timeout", "soon"], "argument --timeout: expected a number of seconds"),
        (["--concurrency", "0"], "argument --concurrency: expected a whole number, 1 or more"),
        (["--per-host", "-1"], "argument --per-host: expected a whole number, 1 or more"),
        (["--retries", "-1"], "argument --retries: expected a whole number, 0 or more"),
        (["--older-than", "week"], "argument --older-than: expected a whole number, 0 or more"),
        (["--limit", "0"], "argument --limit: expected a whole number, 1 or more"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


# Addresses that are not public, and credentials: refused before any connection


@pytest.fixture
def guard(monkeypatch):
    return ConnectionGuard(monkeypatch)


@pytest.fixture
def local():
    """A server on 127.0.0.1 that is not on the allow-list: it must see no connection."""
    with LocalSite() as site:
        yield site


@pytest.fixture
def resolver(monkeypatch):
    """Names of an intranet and a cloud's metadata service, answered without a name server."""
    names = {"intranet.example": "10.0.0.5", "metadata.example": "169.254.169.254"}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, f"unknown in this test: {host}")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "[::1]", "0.0.0.0", "2130706433", "0x7f.1", "[::ffff:7f00:1]"],
)
def test_a_source_on_this_machine_is_refused_without_a_connection(local, guard, story, host):
    source = cite(story, f"http://{host}:{local.port}/ok")
    out = run("--retries", 0)
    source.refresh_from_db()
    assert (source.check_status, source.check_error) == (None, NOT_PUBLIC)
    assert source.is_broken
    assert (
        f"--- http://{host}:{local.port}/ok (Vogue, 9 February 2022, interview): {NOT_PUBLIC}"
        in out
    )
    assert "checked 1 addresses: 0 ok, 1 broken, 0 unreachable" in out
    assert local.connections == 0 and guard.attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://172.16.5.4:8080/",
        "http://192.168.1.1/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00::1]/",
        "http://[fe80::1]/",
        "http://intranet.example/wiki/",
        "https://metadata.example/latest/meta-data/",
    ],
)
def test_a_source_on_a_private_network_is_refused_without_a_connection(guard, resolver, story, url):
    source = cite(story, url)
    run("--retries", 0)
    source.refresh_from_db()
    assert (source.check_status, source.check_error) == (None, NOT_PUBLIC)
    assert guard.attempts == []


@pytest.mark.parametrize("path", ["/to-metadata", "/to-intranet"])
def test_a_redirect_to_a_private_address_is_refused_at_the_hop(site, guard, resolver, path):
    url = site.url(path)
    assert check_urls([url], retries=0)[url] == Result(None, NOT_PUBLIC, url)
    assert site.requests == [("HEAD", path)]
    assert guard.beyond_loopback == []


def test_an_address_with_credentials_is_refused_without_sending_them(site, guard):
    url = site.url("/ok").replace("http://", "http://editor:secret@")
    assert check_urls([url])[url] == Result(None, CREDENTIALS, url)
    assert site.requests == [] and guard.attempts == []


def test_a_redirect_to_an_address_with_credentials_is_not_followed(site, guard):
    url = site.url("/to-credentials")
    assert check_urls([url], retries=0)[url] == Result(None, CREDENTIALS, url)
    assert site.requests == [("HEAD", "/to-credentials")]
    assert site.authorizations == []


def test_an_address_with_credentials_is_refused_by_the_story_form_and_never_sent(
    site, guard, admin_client, db
):
    add = reverse("admin:articles_article_add")
    form = form_data(admin_client.get(add).content.decode(), "article_form")
    url = site.url("/ok").replace("http://", "http://editor:secret@")
    form.update(
        {
            "title": "Kim Kardashian On Life After Divorce",
            "slug": "kim-kardashian-on-life-after-divorce",
            "published_on": "2022-03-03",
            "sources-0-label": "Vogue, 3 March 2022, interview",
            "sources-0-url": url,
            "_save": "Save",
        }
    )
    response = admin_client.post(add, form)
    assert response.status_code == 200
    assert NO_CREDENTIALS in error_messages(response)
    assert not Article.objects.exists() and not SourceLink.objects.exists()
    run()
    assert site.requests == [] and site.authorizations == [] and guard.attempts == []


def test_the_admin_shows_an_open_and_a_closed_internal_port_alike(
    local, guard, story, admin_client
):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    cite(story, local.url("/ok"), label="Open")
    cite(story, f"http://127.0.0.1:{closed}/", label="Closed")
    run("--retries", 0)
    response = admin_client.get(reverse("admin:articles_article_change", args=[quote(story.pk)]))
    saved_sources = page(response).select("tr.has_original")
    shown = [
        [text(row.select_one(f"td.field-{name}")) for name in ("check_status", "check_error")]
        for row in saved_sources
    ]
    assert shown == [["-", NOT_PUBLIC], ["-", NOT_PUBLIC]]
    assert local.connections == 0 and guard.attempts == []


# The admin filter

NOW = datetime.datetime(2026, 1, 5, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def stories(make_article):
    """One story per state of its sources, by headline."""

    def story(title, *checks):
        article = make_article(title)
        for n, (url, status, checked) in enumerate(checks):
            SourceLink.objects.create(
                article=article,
                label=f"{title} source {n}",
                url=url,
                check_status=status,
                checked_at=NOW if checked else None,
            )
        return article

    url = "https://www.vogue.com/article/kim"
    story("Broken", (url, 200, True), (url + "/gone", 404, True))
    story("Twice broken", (url, 500, True), (url, 410, True), (url, 200, True))
    story("Timed out", (url, None, True))
    story("Unchecked", (url, 200, True), (url, None, False))
    story("All fine", (url, 200, True), (url, 301, True), ("", None, False))
    story("Label only", ("", None, False))
    story("No sources")


def filtered(value):
    request = SimpleNamespace(GET={}, user=None)
    model_admin = admin.site._registry[Article]
    health = SourceHealthFilter(request, {"sources": [value]}, Article, model_admin)
    return sorted(health.queryset(request, Article.objects.all()).values_list("title", flat=True))


def test_filter_broken_stories(stories):
    assert filtered("broken") == ["Broken", "Timed out", "Twice broken"]


def test_filter_stories_with_unchecked_sources(stories):
    assert filtered("unchecked") == ["Unchecked"]


def test_filter_stories_whose_sources_all_answer(stories):
    assert filtered("ok") == ["All fine"]


@pytest.fixture
def source_filter_in_admin(monkeypatch):
    """The filter in the story list, whether or not articles/admin.py lists it yet."""
    article_admin = type(admin.site._registry[Article])
    if SourceHealthFilter not in article_admin.list_filter:
        monkeypatch.setattr(
            article_admin, "list_filter", [*article_admin.list_filter, SourceHealthFilter]
        )


@pytest.mark.parametrize(
    "value, titles",
    [
        ("broken", ["Broken", "Timed out", "Twice broken"]),
        ("unchecked", ["Unchecked"]),
        ("ok", ["All fine"]),
        (
            None,
            [
                "All fine",
                "Broken",
                "Label only",
                "No sources",
                "Timed out",
                "Twice broken",
                "Unchecked",
            ],
        ),
    ],
)
def test_the_story_list_filters_by_sources(
    admin_client, stories, source_filter_in_admin, value, titles
):
    response = admin_client.get(CHANGELIST, {"sources": value} if value else {})
    assert response.status_code == 200
    listed = [article.title for article in response.context["cl"].result_list]
    assert sorted(listed) == titles  # each story once, however many broken sources
    assert "By sources" in response.text


def test_the_story_list_counts_each_choice(admin_client, stories, source_filter_in_admin):
    response = admin_client.get(CHANGELIST, {"_facets": "1"})
    assert "Broken (3)" in response.text
    assert "Unchecked (1)" in response.text
    assert "All answering (1)" in response.text


def test_the_filtered_story_list_costs_the_same_however_many_broken_stories(
    admin_client, stories, source_filter_in_admin, make_article, django_assert_num_queries
):
    admin_client.get(CHANGELIST, {"sources": "broken"})  # session and permissions cached
    with CaptureQueriesContext(connection) as few:
        admin_client.get(CHANGELIST, {"sources": "broken"})
    for n in range(5):
        story = make_article(f"More broken {n}")
        SourceLink.objects.create(
            article=story, label="x", url="https://x.test/", check_status=404, checked_at=NOW
        )
    with django_assert_num_queries(len(few)):
        response = admin_client.get(CHANGELIST, {"sources": "broken"})
    assert len(response.context["cl"].result_list) == 8


def test_checking_works_from_a_thread_that_already_runs_an_event_loop(site):
    """The browser tests keep an event loop running for the whole session; so do async
    callers. The checker then runs its own loop in a worker thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside_a_loop():
        return check_urls([site.url("/ok")], timeout=2)

    # A thread of its own for the outer loop: this one may already run one (browser tests).
    with ThreadPoolExecutor(max_workers=1) as thread:
        results = thread.submit(asyncio.run, inside_a_loop()).result()
    assert results[site.url("/ok")].status == 200


# Queued for the workers


def test_queued_checks_are_one_job_per_address_and_record_like_the_command(site, story, settings):
    settings.JOBS_IN_PROCESS_AT_COMMIT = True  # they wait: this test's transaction never commits
    ok = cite(story, site.url("/ok"))
    cite(story, site.url("/ok"), label="The same interview, quoted again")
    missing = cite(story, site.url("/missing"))
    out = run("--queue", "--retries", 0)
    assert "queued 2 address checks" in out
    assert site.hits("/ok") == site.hits("/missing") == 0  # nothing asked yet: workers do
    assert "queued 0 address checks for the workers (2 already waiting)" in run("--queue")
    jobs = Job.objects.filter(kind=CHECK_SOURCE).order_by("target")
    assert [job.target for job in jobs] == sorted([ok.url, missing.url])
    for job in jobs:
        assert execute(job.pk).state == "done"  # what a worker does
    ok.refresh_from_db()
    missing.refresh_from_db()
    assert (ok.check_status, missing.check_status) == (200, 404)
    assert ok.checked_at is not None
    assert Job.objects.get(target=ok.url).result == "200 ok (on 2 sources)"


def test_queued_checks_cannot_be_a_dry_run(story):
    with pytest.raises(CommandError, match="--queue and --dry-run"):
        run("--queue", "--dry-run")
