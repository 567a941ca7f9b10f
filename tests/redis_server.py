"""A Redis server of a test's own — redis-server on a free loopback port, its files in a
temporary folder, stopped afterwards — to stop, freeze or fill under the site: never the
machine's own Redis."""

import os
import signal
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from bench.processes import free_port
from tests.faults.conftest import needs_tool


@dataclass
class RedisServer:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def wait_until_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited:\n{self.log_path.read_text()}")
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer within {timeout} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        """Stopped, not gone: connections are accepted by the kernel and never answered."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def fill(self) -> None:
        """Full as a capped Redis that evicts nothing gets — every write refused: a megabyte
        stored, then a cap below what is used (a cap just reached lets small writes through
        as buffers come and go)."""
        client = self.client()
        for n in range(10):
            client.set(f"filler:{n}", b"x" * 100_000)
        used = client.info("memory")["used_memory"]
        client.config_set("maxmemory-policy", "noeviction")
        client.config_set("maxmemory", used - 200_000)
        try:
            client.set("filler:probe", b"x")
        except redis.exceptions.OutOfMemoryError:
            return
        raise AssertionError("the full Redis still took a write")

    def empty(self) -> None:
        """Room again: no cap, nothing stored."""
        client = self.client()
        client.config_set("maxmemory", 0)
        client.flushdb()


@contextmanager
def redis_server(folder: Path):
    """A running redis-server of its own in `folder`, killed on the way out."""
    executable = needs_tool("redis-server", "redis-server")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = folder / "redis.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                executable,
                "--port", str(port),
                "--bind", "127.0.0.1",
                "--dir", str(folder),
                "--save", "",
                "--appendonly", "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = RedisServer(process, port, log_path)
    try:
        server.wait_until_ready()
        yield server
    finally:
        if server.process.poll() is None:
            server.thaw()  # a frozen process would not die of SIGTERM, but does of SIGKILL
        server.stop()
