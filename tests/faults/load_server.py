"""The site as production serves it — gunicorn, DEBUG off, hashed static files collected — on a
scratch database, for the load and database-restart tests; and the probes they share."""

import os
import subprocess
from contextlib import contextmanager

import pytest

from bench.processes import free_port, get, gunicorn_arguments, running

WORKERS = 2


def machine_to_itself():
    """Skip when pytest-xdist runs other tests beside this one: they would share the CPUs with
    the servers under load."""
    if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
        pytest.skip("needs the machine to itself: run without pytest-xdist's -n")


def fetch(url, timeout=3):
    """The status of a GET, or the name of the error when there was no HTTP answer at all."""
    return get(url, timeout=timeout)[0]


def prepare_site(scratch):
    scratch.manage("collectstatic", "--no-input", "-v0")
    scratch.manage("loaddata", "demo", "-v0")


@contextmanager
def gunicorn(scratch, log_path, *options):
    """gunicorn with two workers on a free loopback port, with the repository's
    gunicorn.conf.py as deployed, stopped (killed if need be) on exit."""
    port = free_port()
    with open(log_path, "w") as log:
        process = scratch.popen(
            *gunicorn_arguments(
                "newsroom.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", *options
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    with running(process, port, log_path, "/healthz", WORKERS) as site:
        yield site
