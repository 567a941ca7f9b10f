"""`make run` for real: from an empty database to a site answering on the port asked for,
and a second start that keeps what an editor changed meanwhile."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.html import page, text

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.prefix)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def make_run(port: int, database_url: str, log: Path):
    """`PORT=… make run` with this test's Python environment and a database of its own."""
    env = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "VENV": str(VENV),
        "PYTHONUNBUFFERED": "1",
    }
    # -o: the environment is installed already; do not install it again.
    return subprocess.Popen(
        ["make", "--no-print-directory", "-o", f"{VENV}/.installed", "run"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(url: str, server, log: Path, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"make run stopped ({server.returncode}):\n{log.read_text()}")
        try:
            return read(url)
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"nothing answered at {url} within {seconds} s:\n{log.read_text()}")


def stop(server) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def test_make_run_serves_on_the_port_asked_for_and_keeps_editors_changes(tmp_path):
    if not (VENV / "bin" / "python").exists():
        pytest.skip("runs inside a virtual environment only")
    database_url = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    port = free_port()
    site = f"http://127.0.0.1:{port}"

    first = make_run(port, database_url, tmp_path / "first.log")
    try:
        person = page(wait_for(f"{site}/people/kim-kardashian/", first, tmp_path / "first.log"))
        assert text(person.find("h1")) == "Kim Kardashian"
    finally:
        stop(first)
    log = (tmp_path / "first.log").read_text()
    assert f"Log in at {site}/admin/" in log

    # An editor changes a demo record between two starts.
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from people.models import Person; "
            "kim = Person.objects.get(slug='kim-kardashian'); "
            "kim.bio = 'Rewritten by an editor.'; kim.save()",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"},
        check=True,
        timeout=60,
    )

    port = free_port()
    second_log = tmp_path / "second.log"
    second = make_run(port, database_url, second_log)
    try:
        person = page(
            wait_for(f"http://127.0.0.1:{port}/people/kim-kardashian/", second, second_log)
        )
        assert text(person.find("p", "bio")) == "Rewritten by an editor."
    finally:
        stop(second)
    assert "not loaded again" in second_log.read_text()
