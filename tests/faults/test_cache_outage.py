"""Redis full, then down, under gunicorn as deployed (two workers, production settings, the
page cache in a Redis of the test's own): readers' pages still answer, uncached, the failure
is in the server's log, and the health pages say which dependency failed."""

import dataclasses
import json
import time
import urllib.request

import pytest

from caching.pagecache import RETRY_SECONDS
from tests.faults.load_server import fetch, gunicorn, prepare_site
from tests.redis_server import redis_server

pytestmark = pytest.mark.slow  # starts gunicorn and redis-server

STORY = (
    "/articles/2022/02/09/"
    "kim-kardashian-admits-shes-kanyes-biggest-cheerleader-in-front-of-the-kids-even-when-feuding/"
)


def health(site, path):
    """The status and the states a health page reports (both answer 200 here)."""
    with urllib.request.urlopen(site.url + path, timeout=30) as response:
        return response.status, json.loads(response.read())


def test_reader_pages_answer_while_redis_is_full_and_then_down(scratch, tmp_path):
    prepare_site(scratch)
    log_path = tmp_path / "gunicorn.log"
    with redis_server(tmp_path / "redis") as redis:
        env = {**scratch.env, "REDIS_URL": redis.url}
        with gunicorn(dataclasses.replace(scratch, env=env), log_path) as site:
            assert [fetch(site.url + path) for path in ["/", STORY]] == [200, 200]

            redis.fill()  # pages not asked for yet: each worker must try to keep them
            full = ["/people/", "/people/kim-kardashian/", "/quotes/", "/articles/2022/"]
            assert [fetch(site.url + path) for path in full] == [200] * len(full)
            assert "could not write the shared cache (OutOfMemoryError" in site.log_tail(20_000)

            redis.stop()
            time.sleep(RETRY_SECONDS + 0.5)  # the workers leave a failed cache alone that long
            down = ["/articles/", "/people/kanye-west/", "/search/?q=kim", "/tags/co-parenting/"]
            assert [fetch(site.url + path) for path in down] == [200] * len(down)
            assert "could not read the shared cache (ConnectionError" in site.log_tail(20_000)
            assert "Internal Server Error" not in site.log_tail(20_000)
            degraded = {"status": "degraded", "database": "ok", "cache": "unavailable"}
            assert health(site, "/healthz") == (200, degraded)
            assert health(site, "/readyz") == (200, degraded)
