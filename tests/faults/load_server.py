"""The site as production serves it — gunicorn, DEBUG off, hashed static files collected — on a
scratch database, for the load and database-restart tests; and the probes they share."""

import http.client
import os
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from bench.processes import child_pids, free_port, stop

WORKERS = 2


def machine_to_itself():
    """Skip when pytest-xdist runs other tests beside this one: they would share the CPUs (and
    the PostgreSQL server a restart takes down) with the servers under test."""
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
        pytest.skip("needs the machine to itself: run without pytest-xdist's -n")


def fetch(url, timeout=3):
    """The status of a GET, or the name of the error when there was no HTTP answer at all."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__


class Site:
    def __init__(self, process, port, log_path):
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path

    def workers(self):
        return child_pids(self.process.pid)

    def log_tail(self, size=4000):
        return self.log_path.read_text(errors="replace")[-size:]

    def wait_until_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            if fetch(self.url + "/healthz", timeout=2) == 200 and len(self.workers()) == WORKERS:
                return
            time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer /healthz within {timeout} s:\n{self.log_tail()}")


def prepare_site(scratch):
    scratch.manage("collectstatic", "--no-input", "-v0")
    scratch.manage("loaddata", "demo", "-v0")


@contextmanager
def gunicorn(scratch, log_path, *options):
    """gunicorn with two workers on a free loopback port, stopped (killed if need be) on exit."""
    port = free_port()
    with open(log_path, "w") as log:
        process = scratch.popen(
            "-m",
            "gunicorn",
            "newsroom.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            *options,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        site = Site(process, port, log_path)
        workers = []
        try:
            site.wait_until_ready()
            workers = site.workers()
            yield site
        finally:
            workers = sorted({*workers, *site.workers()})
            stop(process, workers)
