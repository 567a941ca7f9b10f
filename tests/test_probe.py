"""The container's health check (newsroom/probe.py), against a live server."""

from urllib.parse import urlsplit

import pytest

from bench.processes import free_port
from newsroom import probe


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("archive.example.org,www.example.org", "archive.example.org"),
        (" .example.org ", "example.org"),
        ("*", "localhost"),
        ("", "localhost"),
        ("*,archive.example.org", "archive.example.org"),
    ],
)
def test_the_probe_asks_with_a_host_the_site_accepts(allowed_hosts, host):
    assert probe.host_name(allowed_hosts) == host


@pytest.fixture
def site(live_server, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["archive.example.org"]
    monkeypatch.setenv("ALLOWED_HOSTS", "archive.example.org")
    monkeypatch.setenv("PORT", str(urlsplit(live_server.url).port))
    return live_server


def test_a_server_that_answers_its_health_page_is_healthy(site):
    assert probe.main(["probe", "/healthz"]) == 0
    assert probe.main(["probe"]) == 0


def test_another_answer_is_unhealthy(site, capsys):
    assert probe.main(["probe", "/no-such-page/"]) == 1
    assert "/no-such-page/: 404" in capsys.readouterr().err


def test_a_host_the_site_refuses_would_make_every_probe_fail(site, monkeypatch):
    """What the probe's host name is for: Django answers 400 to a host it does not serve."""
    monkeypatch.setenv("ALLOWED_HOSTS", "elsewhere.example.com")
    assert probe.main(["probe", "/healthz"]) == 1


def test_no_server_is_unhealthy(monkeypatch, capsys):
    monkeypatch.setenv("PORT", str(free_port()))
    assert probe.main(["probe", "/healthz"]) == 1
    assert "/healthz:" in capsys.readouterr().err
