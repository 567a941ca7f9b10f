"""The API's limit for anonymous clients (opendata/ratelimit.py): who a client is, which header
is believed, the 429, and one count shared by every worker through Redis."""

import subprocess
import sys

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from opendata.ratelimit import Rate, client_key, parse_rate

URL = "/api/v1/outlets/"


@pytest.fixture
def limited(api_settings, archive):
    # A day's window: a count never restarts between two requests of a test (a minute's could,
    # on a busy machine, and the test would then see one request too few).
    api_settings.API_RATE_LIMIT = "3/day"
    cache.clear()
    yield api_settings
    cache.clear()


def ask(client, times, **meta):
    return [client.get(URL, **meta).status_code for _ in range(times)]


def test_past_the_limit_a_client_gets_429_with_retry_after(client, limited):
    assert ask(client, 3) == [200, 200, 200]
    refused = client.get(URL)
    assert refused.status_code == 429 and refused.json() == {"detail": "Too many requests."}
    assert 0 < int(refused["Retry-After"]) <= 86400
    assert "ETag" not in refused


def test_each_address_has_its_own_count(client, limited):
    assert ask(client, 4, REMOTE_ADDR="192.0.2.1")[-1] == 429
    assert ask(client, 1, REMOTE_ADDR="192.0.2.2") == [200]


def test_a_forwarded_header_is_not_believed_unless_behind_a_proxy(client, limited):
    # Directly exposed, a client that writes X-Forwarded-For itself is still its address.
    answers = [
        client.get(URL, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(4)
    ]
    assert answers[-1].status_code == 429
    # Behind a proxy, the address the proxy added (the last) is the client's.
    limited.BEHIND_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert ask(client, 4, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", **proxy)[-1] == 429
    assert ask(client, 1, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy) == [200]


def test_an_ipv6_client_is_its_64_network():
    factory = RequestFactory()
    one = factory.get(URL, REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    same = factory.get(URL, REMOTE_ADDR="2001:db8:1:2:bbbb::2")
    other = factory.get(URL, REMOTE_ADDR="2001:db8:1:3::1")
    mapped = factory.get(URL, REMOTE_ADDR="::ffff:192.0.2.1")
    assert client_key(one) == client_key(same) == "2001:db8:1:2::/64"
    assert client_key(other) != client_key(one)
    assert client_key(mapped) == "192.0.2.1"
    assert client_key(factory.get(URL, REMOTE_ADDR="")) == "unknown"


def test_signed_in_staff_and_answers_from_the_cache_are_not_counted(client, admin_client, limited):
    assert ask(admin_client, 5) == [200] * 5
    limited.PAGE_CACHE_SECONDS = 300
    assert ask(client, 6) == [200] * 6  # the first is rendered, the next ones are the cache's


def test_no_limit_when_the_setting_is_empty(client, limited):
    limited.API_RATE_LIMIT = ""
    assert ask(client, 5) == [200] * 5


def test_rates_are_read_or_refused_clearly(settings):
    assert parse_rate("120/min") == Rate(120, 60)
    assert parse_rate(" 5 / s ") == Rate(5, 1)
    assert parse_rate("1000/day") == Rate(1000, 86400)
    assert parse_rate("") is None
    for wrong in ("120", "0/min", "ten/min", "5/week"):
        with pytest.raises(ImproperlyConfigured, match="API_RATE_LIMIT"):
            parse_rate(wrong)
    settings.API_RATE_LIMIT = "lots"
    assert [error.id for error in run_checks()] == ["opendata.E001"]


COUNT_FROM_ANOTHER_PROCESS = """
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
django.setup()
from django.test import RequestFactory
from opendata.ratelimit import AnonymousRate
request = RequestFactory().get("/api/v1/outlets/", REMOTE_ADDR="192.0.2.50")
from django.contrib.auth.models import AnonymousUser
request.user = AnonymousUser()
print(sum(AnonymousRate().allow_request(request) for _ in range(int(sys.argv[1]))))
"""


def test_every_worker_counts_together_through_redis(client, redis_url, limited):
    """Another process — another worker, or another server — counting in the same Redis uses
    up the same client's allowance."""
    limited.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        }
    }
    environment = {"REDIS_URL": redis_url, "API_RATE_LIMIT": "3/day", "PATH": ""}
    other = subprocess.run(
        [sys.executable, "-c", COUNT_FROM_ANOTHER_PROCESS, "2"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == "2"
    assert ask(client, 2, REMOTE_ADDR="192.0.2.50") == [200, 429]
