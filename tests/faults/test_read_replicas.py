"""The site on a primary and a real streaming replica of it (the suite's throwaway cluster and a
hot standby made with pg_basebackup, each on its own port), served by gunicorn as deployed.

Where each query ran is read from the servers themselves: both log every statement with the
name of its database, so a page's SELECT of the stories shows in the replica's log or in the
primary's, never guessed from the application's side."""

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.faults.conftest import Scratch, postgres_scratch
from tests.faults.load_server import gunicorn, prepare_site
from tests.forms import form_data
from tests.html import headings

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PASSWORD = "a-long-editor-password-for-the-replica-tests"
STORY_TABLE = '"articles_article"'
CATCH_UP_SECONDS = 30  # a bound on waiting for replication, never a measured duration


LOGGED = re.compile(r"(?:statement|execute [^:]+): (.*)")


@dataclass
class StatementLog:
    """The statements one server logged for one database, from a mark on."""

    log: Path
    dbname: str
    offset: int = field(default=0)

    def mark(self):
        self.offset = self.log.stat().st_size

    def statements(self):
        with open(self.log, errors="replace") as log:
            log.seek(self.offset)
            text = log.read()
        prefix = f"{self.dbname}|"
        # "statement: …" for a query sent whole, "execute <name>: …" for a prepared one.
        return [
            found[1]
            for line in text.splitlines()
            if line.startswith(prefix) and (found := LOGGED.search(line))
        ]

    def read_stories(self):
        return any(
            STORY_TABLE in sql and sql.lstrip().upper().startswith("SELECT")
            for sql in self.statements()
        )


def log_every_statement(cluster):
    cluster.execute("ALTER SYSTEM SET log_statement = 'all'")
    cluster.execute("ALTER SYSTEM SET log_line_prefix = '%d|'")
    cluster.execute("SELECT pg_reload_conf()")


def stop_logging_statements(cluster):
    cluster.execute("ALTER SYSTEM RESET log_statement")
    cluster.execute("ALTER SYSTEM RESET log_line_prefix")
    cluster.execute("SELECT pg_reload_conf()")


@pytest.fixture(scope="module")
def primary(throwaway_postgres):
    log_every_statement(throwaway_postgres)
    yield throwaway_postgres
    stop_logging_statements(throwaway_postgres)


@pytest.fixture(scope="module")
def database(primary, tmp_path_factory):
    """The demo archive and an editor in a scratch database on the primary."""
    generator = postgres_scratch(primary.url, tmp_path_factory.mktemp("replicas"))
    scratch = next(generator)
    prepare_site(scratch)
    Scratch(scratch.url, {**scratch.env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}).manage(
        "createsuperuser", "--no-input", "--username", "editor", "--email", "e@example.com"
    )
    try:
        yield scratch
    finally:
        generator.close()  # drops the database


@pytest.fixture(scope="module")
def replica(primary, database):
    standby = primary.start_standby()
    log_every_statement(standby)
    standby.wait_until_caught_up()
    yield standby
    standby.destroy()


@pytest.fixture(scope="module")
def site(database, replica, tmp_path_factory):
    """gunicorn reading from the replica. A replica's state is trusted for an hour, so a
    replica that stops is found out by a request failing on it; and it may lag ten minutes, so
    a replica whose replay is paused is still read."""
    env = {
        **database.env,
        "DATABASE_REPLICA_URLS": replica.url(dbname_of(database)),
        "REPLICA_CHECK_SECONDS": "3600",
        "REPLICA_MAX_LAG_SECONDS": "600",
        "READ_YOUR_WRITES_SECONDS": "3600",
        "PAGE_CACHE_SECONDS": "0",
    }
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with gunicorn(Scratch(database.url, env), log) as server:
        yield server


def dbname_of(scratch):
    return scratch.url.rsplit("/", 1)[1]


@pytest.fixture
def logs(primary, replica, database):
    name = dbname_of(database)
    on_primary, on_replica = StatementLog(primary.log, name), StatementLog(replica.log, name)
    on_primary.mark()
    on_replica.mark()
    return on_primary, on_replica


def story(database):
    found = database.scalar(
        "SELECT id || ' ' || to_char(published_on, 'YYYY/MM/DD') || '/' || slug "
        "FROM articles_article WHERE slug LIKE 'kim-kardashian-admits%'"
    )
    pk, path = found.split(" ")
    return int(pk), f"/articles/{path}/"


def headline(response):
    return headings(response)[0]


def sign_in(client, site):
    client.get("/admin/login/")
    answer = client.post(
        "/admin/login/",
        data={
            "username": "editor",
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
            "next": "/admin/",
        },
        headers={"Referer": f"{site.url}/admin/login/"},
    )
    assert answer.status_code == 302, answer.text[:2000]


def test_readers_pages_feeds_api_and_search_read_the_replica(site, logs, database):
    on_primary, on_replica = logs
    _, path = story(database)
    with httpx.Client(base_url=site.url, timeout=30) as reader:
        for address in [
            path,
            "/",
            "/people/kim-kardashian/",
            "/search/?q=sorry",
            "/api/v1/stories/",
            "/feeds/latest/",
        ]:
            assert reader.get(address).status_code == 200, address
            assert "newsroom_primary" not in reader.cookies
    assert on_replica.read_stories()
    assert not on_primary.read_stories(), on_primary.statements()


def test_the_admin_reads_and_writes_the_primary_and_the_editor_then_reads_it_too(
    site, logs, database, replica
):
    on_primary, on_replica = logs
    pk, path = story(database)
    with httpx.Client(base_url=site.url, timeout=30) as editor:
        sign_in(editor, site)
        # Signing in wrote (the session, the last login): this browser now reads the primary.
        assert "newsroom_primary" in editor.cookies
        on_primary.mark()
        on_replica.mark()
        change = f"/admin/articles/article/{pk}/change/"
        form = form_data(editor.get(change).text, "article_form")
        assert on_primary.read_stories()
        assert not on_replica.read_stories()

        # The replica stops applying what the primary sends: it has the story as it was.
        replica.execute("SELECT pg_wal_replay_pause()")
        try:
            form.update(title="Kim, as corrected by the editor", _save="Save")
            assert editor.post(change, data=form, headers={"Referer": site.url}).status_code == 302
            assert "Kim, as corrected" in database.scalar(
                f"SELECT title FROM articles_article WHERE id = {pk}"
            )

            on_primary.mark()
            on_replica.mark()
            assert headline(editor.get(path)) == "Kim, as corrected by the editor"
            assert on_primary.read_stories() and not on_replica.read_stories()

            with httpx.Client(base_url=site.url, timeout=30) as reader:
                before = reader.get(path)
                assert headline(before) != "Kim, as corrected by the editor"
                assert on_replica.read_stories()

            # The same editor without the cookie reads the replica like anyone.
            editor.cookies.delete("newsroom_primary")
            assert headline(editor.get(path)) != "Kim, as corrected by the editor"
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")
        replica.wait_until_caught_up()
        with httpx.Client(base_url=site.url, timeout=30) as reader:
            deadline = time.monotonic() + CATCH_UP_SECONDS
            while headline(page := reader.get(path)) != "Kim, as corrected by the editor":
                assert time.monotonic() < deadline, "the replica's page never caught up"
                time.sleep(0.2)
            # The page and its ETag come from the same server (without a shared cache, the
            # topics' versions are read where the page is): the ETag moved with the page.
            assert page.headers["ETag"] != before.headers["ETag"]


def test_a_write_through_the_replica_is_refused_by_it(database, replica):
    env = {**database.env, "DATABASE_REPLICA_URLS": replica.url(dbname_of(database))}
    code = (
        "from articles.models import Article\n"
        "Article.objects.using('replica_1').update(title='written on the replica')\n"
    )
    result = Scratch(database.url, env).manage("shell", "-c", code, check=False)
    assert result.returncode != 0
    assert "read-only transaction" in result.stderr
    with (
        psycopg.connect(replica.url(dbname_of(database))) as direct,
        pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
    ):
        direct.execute("DELETE FROM articles_article")
    assert not database.scalar(
        "SELECT count(*) FROM articles_article WHERE title = 'written on the replica'"
    )


def test_readyz_reports_the_replica_and_its_lag(site):
    answer = httpx.get(f"{site.url}/readyz", timeout=30).json()
    assert answer["status"] == "ok"
    assert answer["replicas"]["replica_1"]["state"] == "ok"
    assert 0 <= answer["replicas"]["replica_1"]["lag_seconds"] < 600


# Last: the replica is stopped (and started again afterwards for anything that follows).
def test_the_site_serves_every_page_from_the_primary_when_the_replica_stops(
    site, logs, database, replica
):
    on_primary, on_replica = logs
    _, path = story(database)
    with httpx.Client(base_url=site.url, timeout=30) as reader:
        assert reader.get(path).status_code == 200
        assert on_replica.read_stories()
        replica.stop()
        try:
            on_primary.mark()
            # Each worker still takes the replica for up: its first request fails there, the
            # replica is checked again, found down, and the request answered from the primary.
            statuses = [reader.get(address).status_code for address in [path, "/", path, path]]
            assert statuses == [200] * 4
            assert on_primary.read_stories()
            ready = reader.get("/readyz")
            assert ready.status_code == 200
            assert ready.json()["status"] == "degraded"
            assert ready.json()["replicas"]["replica_1"] == {
                "state": "unavailable",
                "lag_seconds": None,
            }
        finally:
            replica.start()
    assert re.search(r"failed on replica replica_1: answered from the primary", site.log_tail())
