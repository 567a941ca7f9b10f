"""Servers started for a measurement or a fault test: a free port, the workers of a master,
their CPU time and memory, waiting until they answer or go idle, and a stop that leaves
nothing behind. Linux (/proc) only."""

import http.client
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from typing import Any

# The server's own settings, as deployed: which forwarded headers gunicorn believes.
GUNICORN_CONFIG = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def gunicorn_arguments(app: str, *options: str) -> list[str]:
    """The arguments after `python` that start gunicorn on `app` as deployed, with the
    repository's gunicorn.conf.py whatever the folder it starts in."""
    return ["-m", "gunicorn", "--config", str(GUNICORN_CONFIG), app, *options]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stat_fields(pid: int | str) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


def child_pids(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat_fields(stat.parent.name)[1])
        except OSError:
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def cpu_ticks(pid: int) -> int | None:
    """User and system time of a process, in clock ticks (fields 14 and 15 of its stat)."""
    try:
        fields = stat_fields(pid)
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def rss_kb(pid: int) -> int | None:
    """Resident memory of a process in kB; None once it has gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def stop(process: subprocess.Popen[Any], workers: Iterable[int]) -> None:
    """Stop a gunicorn master (killed if it will not go) and whichever of its workers remain."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    # A worker outlives a killed master only until it notices; do not wait for that.
    for pid in workers:
        try:
            if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)
        except (FileNotFoundError, ProcessLookupError):
            pass


def get(
    url: str, headers: dict[str, str] | None = None, timeout: float = 60
) -> tuple[int | str, Message | dict[str, str]]:
    """The status and headers of one GET (a 304 or an error page included), or the name of
    the error when there was no HTTP answer at all."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__, {}


class ServerFailed(Exception):
    pass


class Server:
    """A gunicorn master started on 127.0.0.1:`port`, ready once `ready_path` answers 200 and
    all its `worker_count` workers have started."""

    def __init__(
        self,
        process: subprocess.Popen[Any],
        port: int,
        log_path: Path,
        ready_path: str,
        worker_count: int,
    ) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.ready_path = ready_path
        self.worker_count = worker_count

    def workers(self) -> list[int]:
        return child_pids(self.process.pid)

    def log_tail(self, size: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-size:]

    def wait_until_ready(self, timeout: float = 60) -> None:
        url = self.url + self.ready_path
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(
                    f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            if get(url, timeout=5)[0] == 200 and len(self.workers()) == self.worker_count:
                return
            time.sleep(0.2)
        raise ServerFailed(f"gunicorn did not answer {url} within {timeout} s:\n{self.log_tail()}")

    def wait_until_idle(self, timeout: float = 600) -> None:
        """wrk stops with requests still queued, and the workers go on serving them to nobody:
        on a slow page, for long enough to slow the next row down. Idle: the ready page has
        answered (all queued before it were taken) and the workers' CPU time stands still."""
        get(self.url + self.ready_path, timeout=timeout)
        deadline = time.monotonic() + timeout
        before = self.cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.cpu_ticks()
            if now == before:
                return
            before = now

    def cpu_ticks(self) -> list[int | None]:
        return [cpu_ticks(pid) for pid in self.workers()]


@contextmanager
def running(
    process: subprocess.Popen[Any], port: int, log_path: Path, ready_path: str, worker_count: int
) -> Iterator[Server]:
    """The started gunicorn `process` once it is ready; stopped (killed if need be) on the way
    out, whether what ran ended, failed or was interrupted."""
    server = Server(process, port, log_path, ready_path, worker_count)
    workers = []
    try:
        server.wait_until_ready()
        workers = server.workers()
        yield server
    finally:
        stop(process, sorted({*workers, *server.workers()}))
