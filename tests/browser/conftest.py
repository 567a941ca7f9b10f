"""A live site served the production way, and the system Chromium to look at it.

Playwright's own browser download cannot work on the build machines (no internet), so the
tests drive Debian's `chromium`. Where it is missing they skip, except in CI (`CI=true`),
where a missing browser is an error: CI must never silently stop checking the pages.
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an asyncio event loop running on the main thread for as long as
# the browser is open, and Django's ORM refuses to run "from an async context" while it sees
# one. The tests only touch the database from plain synchronous code (loading the demo data,
# flushing it afterwards), so the guard is a false alarm here. It has to stay off for the rest
# of the session, not just inside these tests: the browser is session-scoped.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"

NO_CHROMIUM = "Chromium is not installed (Debian package `chromium`); browser tests skipped"

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-sync",
]

VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


@pytest.fixture(scope="session")
def chromium_executable():
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{NO_CHROMIUM} (CI=true: here that is an error)", pytrace=False)
        pytest.skip(NO_CHROMIUM)
    return executable


@pytest.fixture(scope="session")
def browser(chromium_executable):
    """One Chromium for the whole session; each test gets its own context (see `open_page`)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def serve_static_through_the_app(handler):
    """Leave static files to WhiteNoise, as in production.

    Django's own live server wraps the app in StaticFilesHandler, which answers STATIC_URL from
    the finders and so 404s the hashed names the pages ask for.
    """
    return handler


@pytest.fixture(scope="session")
def site_server(django_db_setup, collected_static):
    """A live server over the test database; started after `collectstatic`, because WhiteNoise
    indexes STATIC_ROOT when the server thread builds its middleware."""
    # Like LiveServerTestCase: an in-memory SQLite database exists only inside its connection,
    # so the server thread must use the very same one. Other databases get their own.
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = LiveServerThread(
        host="127.0.0.1", static_handler=serve_static_through_the_app, connections_override=shared
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://{thread.host}:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


@pytest.fixture
def live_site(site_server, transactional_db, settings):
    """The demo data, committed so the server thread sees it; the base URL of the site."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "localhost"]
    call_command("loaddata", "demo", verbosity=0)
    return site_server


def is_favicon(url):
    return urlsplit(url).path == "/favicon.ico"


@dataclass
class LoadedPage:
    """A page as a reader gets it, with everything that went wrong while it loaded."""

    page: object
    url: str
    problems: list = field(default_factory=list)


@pytest.fixture
def open_page(browser, live_site):
    """Open a path of the live site at the `phone` or `desktop` width, in a fresh context."""
    contexts = []
    origin = urlsplit(live_site)[:2]

    def open_(path, width="desktop"):
        context = browser.new_context(**VIEWPORTS[width])
        contexts.append(context)
        page = context.new_page()
        loaded = LoadedPage(page=page, url=live_site + path)

        def on_console(message):
            # Chromium asks for /favicon.ico by itself, and only for the first page the browser
            # opens, so its 404 would fail whichever test happens to run first.
            # `test_every_link_answers` checks every page's icon instead.
            if message.type == "error" and not is_favicon(message.location.get("url", "")):
                loaded.problems.append(f"console error: {message.text} ({message.location})")

        def on_response(response):
            same_origin = urlsplit(response.url)[:2] == origin
            if response.status >= 400 and same_origin and not is_favicon(response.url):
                loaded.problems.append(f"HTTP {response.status}: {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: loaded.problems.append(f"page error: {error}"))
        page.on(
            "requestfailed",
            lambda request: loaded.problems.append(
                f"request failed: {request.url} ({request.failure})"
            ),
        )
        page.on("response", on_response)
        response = page.goto(loaded.url, wait_until="load")
        assert response is not None and response.status == 200, (
            f"{path} answered {response.status if response else 'nothing'}"
        )
        return loaded

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
