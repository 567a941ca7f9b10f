"""What is defended, tested: headers, production settings, login throttling, redirects and
hostile text on every page, feed and JSON-LD block it reaches (docs/security.md)."""

import datetime
import json
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client

from articles.models import Article, Mention, Publication, Quote, SourceLink
from people.models import Alias, Person, Relationship, Source
from tests.html import headings

ROOT = Path(__file__).resolve().parents[1]


# --- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/people/",
        "/feeds/latest/",
        "/healthz",
        "/no-such-page/",
        "/admin/login/",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_every_response_carries_the_security_headers(client, db, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in str(policy)
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"


def test_pages_use_no_inline_script(client, demo):
    for url in [
        "/",
        Article.objects.get().get_absolute_url(),
        "/people/kim-kardashian/",
        "/search/?q=kim",
        "/admin/login/",
    ]:
        content = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", content):
            assert 'type="application/ld+json"' in tag or "src=" in tag, (url, tag)


# --- production settings ---------------------------------------------------------------------


def manage(*args, **env):
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(**extra):
    return {
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "archive.example.org",
        **extra,
    }


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", ["", "django-insecure-abc", "short", "a" * 60])
def test_a_missing_default_or_weak_key_fails_the_deploy_check(key):
    result = manage("check", "--deploy", **production(SECRET_KEY=key))
    assert result.returncode != 0 and "newsroom.E001" in result.stderr


def test_https_turns_on_hsts_secure_cookies_and_the_redirect():
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = manage("shell", "-c", code, **production())
    assert result.stdout.split()[-4:] == ["True", "True", "True", "31536000"]
    result = manage("shell", "-c", code, **production(HTTPS="0"))
    assert result.stdout.split()[-4:] == ["False", "False", "False", "0"]


def test_with_https_plain_http_is_redirected_but_health_checks_are_not(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/people/")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    secure = client.get("/people/", secure=True)
    assert secure.status_code == 200 and "max-age=31536000" in secure["Strict-Transport-Security"]


def test_without_https_the_site_serves_plain_http(client, db):
    response = client.get("/people/")
    assert response.status_code == 200 and "Strict-Transport-Security" not in response


# --- login throttling ------------------------------------------------------------------------

RIGHT = "the right password 123"
HOME, AWAY = "203.0.113.7", "198.51.100.9"


@pytest.fixture
def quick_hashing(settings):
    """What is tested is the counting, not the hashing: a cheap hasher keeps tens of sign-ins
    quick (Django hashes even for an unknown account)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db, quick_hashing):
    return User.objects.create_user("sam", password=RIGHT, is_staff=True)


@pytest.fixture
def superuser(db, quick_hashing):
    return User.objects.create_superuser("boss", password="the boss's own password 456")


def sign_in(client, username, password, address=HOME, **headers):
    """The admin's sign-in form, posted as a browser does."""
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def test_signing_in_to_ones_own_account_does_not_reset_a_guess_at_another(editor, superuser):
    """Four wrong passwords for the superuser, then the editor's right one for the editor's own
    account, from the same address, over and over: the guesses add up and lock the superuser."""
    answers = []
    for _ in range(3):
        answers += [sign_in(Client(), "boss", f"guess {n}").status_code for n in range(4)]
        assert sign_in(Client(), "sam", RIGHT).status_code == 302
    assert answers[:5] == [200, 200, 200, 200, 429] and set(answers[5:]) == {429}
    assert AccessAttempt.objects.filter(username="boss", ip_address=HOME).exists()
    assert sign_in(Client(), "boss", "the boss's own password 456").status_code == 429


def test_an_account_is_locked_from_the_address_that_guessed_not_everywhere(client, editor):
    for _ in range(4):
        assert sign_in(client, "sam", "wrong").status_code == 200
    assert sign_in(client, "sam", "wrong").status_code == 429
    locked = sign_in(client, "sam", RIGHT)
    assert locked.status_code == 429
    assert headings(locked.content) == ["Sign-in locked for now"]
    assert "even with the right password" in locked.content.decode()
    # The owner, elsewhere, signs in; the lock stays on the guessing address.
    assert sign_in(Client(), "sam", RIGHT, address=AWAY).status_code == 302
    assert sign_in(Client(), "sam", RIGHT).status_code == 429


def test_an_address_trying_many_accounts_is_locked_whatever_the_account(editor, settings):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):  # one guess each: no account reaches its own limit
        assert sign_in(Client(), f"user{n}", "123456").status_code == 200
    assert sign_in(Client(), "sam", RIGHT).status_code == 302  # still under the address's limit
    assert sign_in(Client(), f"user{limit}", "123456").status_code == 429
    assert sign_in(Client(), "sam", RIGHT).status_code == 429
    assert sign_in(Client(), "sam", RIGHT, address=AWAY).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, editor, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=3)
    for _ in range(5):
        sign_in(client, "sam", "wrong")
    assert sign_in(client, "sam", RIGHT).status_code == 429
    time.sleep(3.2)
    assert sign_in(client, "sam", RIGHT).status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, editor, settings):
    settings.BEHIND_PROXY = True
    for n in range(5):  # a client forging X-Forwarded-For still has the proxy's last entry
        sign_in(
            client,
            "sam",
            "wrong",
            address="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.50",
        )
    blocked = sign_in(client, "sam", RIGHT, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert blocked.status_code == 429
    other = sign_in(Client(), "sam", RIGHT, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.51")
    assert other.status_code == 302


def test_no_open_redirect_after_signing_in(client, editor):
    response = client.post(
        "/admin/login/?next=https://evil.example/steal",
        {
            "username": "sam",
            "password": RIGHT,
            "next": "https://evil.example/steal",
        },
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


# --- hostile text everywhere it reaches --------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "</script><script>alert(3)</script>",
    "javascript:alert(4)",
    "{{ request.META }}{% debug %}",
    "' onmouseover='alert(5)",
    "]]><!--",
]
HOSTILE = " ".join(PAYLOADS)
RAW = [p for p in PAYLOADS if "<" in p]  # what must never appear unescaped in HTML


@pytest.fixture
def hostile(db, make_article):
    outlet = Publication.objects.create(name=f"Outlet {HOSTILE}", slug="outlet")
    person = Person.objects.create(
        name=f"Person {HOSTILE}", slug="hostile", bio=HOSTILE, full_name=HOSTILE, pronouns="she/her"
    )
    Alias.objects.create(person=person, name=f"Alias {HOSTILE}")
    other = Person.objects.create(name=f"Other {HOSTILE}", slug="other")
    relationship = Relationship.objects.create(
        person_a=person, person_b=other, kind="married", place=HOSTILE, note=HOSTILE
    )
    source = Source.objects.create(label=f"Source {HOSTILE}")
    relationship.sources.add(source)
    person.sources.add(source)
    story = make_article(
        f"Story {HOSTILE}",
        slug="hostile-story",
        dek=HOSTILE,
        body=f"{HOSTILE}\n\n{HOSTILE}",
        byline=HOSTILE,
        publication=outlet,
    )
    story.tags.add(f"t {PAYLOADS[0]}{PAYLOADS[1]}")  # tag names are at most 100 characters
    Mention.objects.create(article=story, person=person, role="subject")
    quote = Quote.objects.create(
        article=story, speaker=person, text=f"Quote {HOSTILE}", context=HOSTILE
    )
    SourceLink.objects.create(
        article=story, label=f"Label {HOSTILE}", quote=quote, publication=outlet
    )
    return story, person, quote


def pages(story, person, quote):
    tag = story.tags.get().slug
    return [
        "/",
        "/articles/",
        "/articles/2022/",
        "/articles/2022/02/",
        "/articles/2022/02/09/",
        story.get_absolute_url(),
        "/people/",
        person.get_absolute_url(),
        "/people/other/",
        "/quotes/",
        quote.get_absolute_url(),
        f"/tags/{tag}/",
        "/publications/outlet/",
        "/search/?q=Person",
        "/search/?q=" + HOSTILE,
    ]


def test_hostile_text_is_shown_literally_on_every_page(client, hostile):
    for url in pages(*hostile):
        content = client.get(url).content.decode()
        for raw in RAW:
            assert raw not in content, (url, raw)
        assert 'href="javascript' not in content.replace(" ", "").lower(), url
        # Template syntax in the data is text: never evaluated, nothing of the request leaks.
        assert "{{ request.META }}{% debug %}" in content, url
        assert "wsgi." not in content and "sql_queries" not in content, url


def test_hostile_text_in_json_ld_stays_data(client, hostile):
    story, person, quote = hostile
    for url in [story.get_absolute_url(), person.get_absolute_url(), quote.get_absolute_url()]:
        content = client.get(url).content.decode()
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
        assert len(blocks) == 1, url
        assert "</script" not in blocks[0].lower() and "<!--" not in blocks[0]
        assert any(HOSTILE in value for value in strings(json.loads(blocks[0]))), url


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def test_hostile_text_in_feeds_and_the_sitemap_stays_text(client, hostile):
    story, person, _ = hostile
    tag = story.tags.get().slug
    for url in [
        "/feeds/latest/",
        f"/people/{person.slug}/feed/",
        f"/tags/{tag}/feed/",
        "/sitemap-stories.xml",
        "/sitemap-people.xml",
        "/sitemap-tags.xml",
    ]:
        content = client.get(url).content.decode()
        for raw in RAW:
            assert raw not in content, (url, raw)
    feed = client.get("/feeds/latest/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in feed
