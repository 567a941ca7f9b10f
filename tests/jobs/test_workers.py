"""Workers against a real broker: RabbitMQ on this machine (a queue of the test's own,
deleted afterwards) and a Redis server of the test's own. A worker is killed with SIGKILL in
the middle of a job; a second worker finishes it: nothing lost, nothing done twice.

The job is a source check whose address is a server of the test's own that hangs on the first
request until the worker is dead, so the worker is known to be mid-job when it is killed."""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg
import pytest
import redis
from kombu import Connection

from tests.faults.conftest import ROOT, Scratch
from tests.redis_server import redis_server
from tests.servers import unavailable

RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


class Outlet(ThreadingHTTPServer):
    """Answers 200 to every request, except that while `hanging` is set a request waits."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), OutletHandler)
        self.requests: list[str] = []
        self.arrived = threading.Event()
        self.hanging = threading.Event()
        self.released = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class OutletHandler(BaseHTTPRequestHandler):
    server: Outlet

    def do_HEAD(self) -> None:
        self.server.requests.append(self.path)
        self.server.arrived.set()
        if self.server.hanging.is_set():
            self.server.released.wait(120)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def outlet() -> Iterator[Outlet]:
    server = Outlet()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.released.set()
    server.shutdown()
    server.server_close()


def answers(url: str) -> bool:
    try:
        with Connection(url, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1, timeout=3)
    except Exception:
        return False
    return True


@pytest.fixture(params=["rabbitmq", "redis"])
def broker(request, tmp_path) -> Iterator[str]:
    """The broker's URL; the test's queue on it is removed afterwards."""
    if request.param == "rabbitmq":
        if not answers(RABBITMQ_URL):
            unavailable(f"no RabbitMQ answers at {RABBITMQ_URL} (set TEST_RABBITMQ_URL)")
        yield RABBITMQ_URL
        return
    with redis_server(tmp_path / "redis") as server:
        yield f"redis://127.0.0.1:{server.port}/0"


def delete_queue(url: str, name: str) -> None:
    with Connection(url, connect_timeout=3) as connection:
        channel = connection.channel()
        channel.queue_delete(name)
        channel.exchange_delete(name)


def messages_left(url: str, name: str) -> int:
    """Messages of the queue waiting, or taken and not acknowledged (Redis keeps those apart;
    RabbitMQ gives a dead consumer's back to the queue)."""
    if url.startswith("redis://"):
        client = redis.Redis.from_url(url)
        return client.llen(name) + client.hlen("unacked")
    with Connection(url, connect_timeout=3) as connection:
        _, count, _ = connection.channel().queue_declare(name, passive=True)
        return count


def start_worker(scratch: Scratch, env: dict, log: Path) -> subprocess.Popen:
    with open(log, "a") as output:
        return subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--concurrency=1", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool's children die with it
        )


def kill(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


def wait_for(condition, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {seconds} s; worker log:\n{log.read_text()}")


def test_a_worker_killed_mid_job_loses_nothing_and_does_nothing_twice(
    broker, outlet, postgres_scratch_db, tmp_path
):
    scratch = postgres_scratch_db
    queue = f"newsroom-test-{uuid.uuid4().hex[:10]}"
    env = {
        **scratch.env,
        "JOB_BROKER_URL": broker,
        "JOB_QUEUE": queue,
        "OUTBOUND_ALLOWED_ADDRESSES": "127.0.0.1",
        # Redis hands a dead worker's message out again after this long (RabbitMQ at once).
        "JOB_VISIBILITY_TIMEOUT": "3",
    }
    address = f"{outlet.url}/interview"
    scratch.manage("loaddata", "demo", "-v0")
    with psycopg.connect(scratch.url, autocommit=True) as database:
        # One source cites the outlet; no other address is checked (no traffic leaves here).
        database.execute("UPDATE articles_sourcelink SET url = ''")
        database.execute("UPDATE people_source SET url = ''")
        database.execute(
            "UPDATE articles_sourcelink SET url = %s "
            "WHERE id = (SELECT min(id) FROM articles_sourcelink)",
            [address],
        )
    log = tmp_path / "workers.log"
    first = second = None
    try:
        outlet.hanging.set()
        first = start_worker(scratch, env, log)
        queued = subprocess.run(
            [sys.executable, "manage.py", "check_sources", "--queue"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert queued.returncode == 0, queued.stderr
        assert "queued 1 address checks" in queued.stdout

        job = "SELECT state || ' ' || attempts FROM jobs_job WHERE kind = 'check_source'"
        wait_for(outlet.arrived.is_set, 120, "the first worker asks the outlet", log)
        assert scratch.scalar(job) == "running 1"

        kill(first)  # mid-job: the outlet has not answered
        outlet.hanging.clear()
        outlet.released.set()
        assert scratch.scalar(job) == "running 1"

        second = start_worker(scratch, env, log)
        wait_for(lambda: scratch.scalar(job) == "done 2", 120, "the second worker finishes", log)
        assert outlet.requests == ["/interview", "/interview"]
        assert scratch.scalar("SELECT check_status FROM articles_sourcelink WHERE url <> ''") == 200

        # Stopped as an operator stops it (SIGTERM: the job in hand is finished first): the
        # broker holds nothing more of this job to do again.
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
        assert messages_left(broker, queue) == 0
        assert outlet.requests == ["/interview", "/interview"]
        assert scratch.scalar("SELECT count(*) FROM jobs_job") == 1
    finally:
        for worker in (first, second):
            if worker is not None:
                kill(worker)
        delete_queue(broker, queue)
