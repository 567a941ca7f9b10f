"""A PostgreSQL cluster of the suite's own, thrown away afterwards.

`ThrowawayCluster` runs `initdb` in a new temporary folder and serves it on a free port of
127.0.0.1, with its unix socket in that folder too: tests may restart it, stop it, fill it or
start a streaming hot standby of it, and nothing they do reaches a server the developer runs.
Durability is switched off (a quick start matters, a crash loses nothing worth keeping). The
folder and every server started from it go with `destroy()`, at the latest when the Python
process ends (atexit) or is sent SIGTERM.

The server's programs are looked up in `PG_BINDIR` when it is set, then in `pg_config --bindir`,
then in Debian's /usr/lib/postgresql/<version>/bin (newest first), then next to `initdb` on
PATH. initdb and the server refuse to run as root: as root, they run as the `postgres` system
account, which then owns the temporary folder; anyone else runs them as themselves.

(pytest-postgresql starts such a cluster too, but cannot run as root, CI's case, and starts no
standby.)
"""

from __future__ import annotations

import atexit
import datetime
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg

from bench.processes import free_port

PROGRAMS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
SERVER_ACCOUNT = "postgres"  # the system account servers run as when this process is root
SUPERUSER = "postgres"  # the database superuser initdb creates, trusted without a password
HOST = "127.0.0.1"
START_SECONDS = 60

# Appended to postgresql.conf: a test server keeps nothing worth an fsync, and starts faster
# with little shared memory. Replication needs nothing more than the defaults
# (wal_level = replica, max_wal_senders = 10, hot_standby = on).
SETTINGS = {
    "listen_addresses": HOST,
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "16MB",
}

# Anyone on this machine may connect as anyone, replication included: the server listens on
# loopback and its socket is in a folder only its owner can enter.
HBA = """\
local all all trust
local replication all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
"""


class Unavailable(Exception):
    """This machine cannot start a throwaway cluster; the message says why."""


class ServerFailed(Exception):
    """A server command failed; the message holds its output and the end of the server's log."""


def find_bindir() -> Path:
    """The folder holding initdb, pg_ctl, pg_basebackup and postgres."""
    override = os.environ.get("PG_BINDIR")
    if override:
        if not has_programs(Path(override)):
            raise Unavailable(f"PG_BINDIR={override} does not hold {', '.join(PROGRAMS)}")
        return Path(override)
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            found = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found:
            candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if has_programs(folder):
            return folder
    raise Unavailable(
        "PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) were not found "
        "(Debian package `postgresql`; PG_BINDIR names the folder holding them)"
    )


def has_programs(folder: Path) -> bool:
    return all(os.access(folder / name, os.X_OK) for name in PROGRAMS)


def version(bindir: Path) -> tuple[int, ...]:
    """(15,) for /usr/lib/postgresql/15/bin; () when the folder names no version."""
    name = bindir.parent.name
    return tuple(int(part) for part in name.split(".")) if name.replace(".", "").isdigit() else ()


def server_account() -> pwd.struct_passwd | None:
    """The account the servers run as: None for this process's own, unless that is root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_ACCOUNT)
    except KeyError:
        raise Unavailable(
            f"PostgreSQL refuses to run as root, and there is no `{SERVER_ACCOUNT}` system "
            "account to run the throwaway cluster as"
        ) from None


class ThrowawayCluster:
    """A PostgreSQL server in a temporary folder of its own, on a free port of 127.0.0.1.

    `start()` makes it (initdb) the first time; `stop()` and `start()` keep its data;
    `destroy()` stops it and its standbys and removes their folders. As a context manager it is
    started on entry and destroyed on exit."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.account = server_account()
        self.root: Path | None = None
        self.port: int | None = None
        self.primary: ThrowawayCluster | None = None
        self.standbys: list[ThrowawayCluster] = []

    def __enter__(self) -> ThrowawayCluster:
        try:
            self.start()
        except BaseException:
            self.destroy()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.destroy()

    def __repr__(self) -> str:
        role = "standby" if self.primary else "cluster"
        return f"<throwaway PostgreSQL {role} on {HOST}:{self.port} in {self.root}>"

    # Where things are.

    @property
    def data(self) -> Path:
        return self._root / "data"

    @property
    def socket_dir(self) -> Path:
        return self._root / "socket"

    @property
    def log(self) -> Path:
        return self._root / "server.log"

    @property
    def _root(self) -> Path:
        if self.root is None:
            raise RuntimeError(f"{self!r} has no folder: not started, or destroyed")
        return self.root

    # Its life.

    def start(self) -> None:
        """Start the server (making the cluster first if it has no folder yet); return once it
        accepts connections. A port taken meanwhile by another program is traded for a new
        one."""
        if self.root is None:
            self._make_folder()
            self._initdb()
            self._append_settings(SETTINGS)
            (self.data / "pg_hba.conf").write_text(HBA)
            self._place()
        for attempt in range(3):
            try:
                self._pg_ctl("start", "-l", str(self.log), "-w", "-t", str(START_SECONDS))
                return
            except ServerFailed:
                if attempt == 2 or "could not bind" not in self.log_tail():
                    raise
                self._place()

    def stop(self) -> None:
        """Stop the server, its data kept: fast, else immediately, else killed."""
        for mode in ("fast", "immediate"):
            if self.pid() is None:
                return
            self._pg_ctl("stop", "-m", mode, "-w", "-t", "30", check=False)
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while self.pid() is not None and time.monotonic() < deadline:
                time.sleep(0.05)

    def restart(self) -> None:
        """Stop the server (fast: connections are cut) and start it again on the same port;
        return once it accepts connections."""
        self._pg_ctl("restart", "-m", "fast", "-l", str(self.log), "-w", "-t", str(START_SECONDS))

    def destroy(self) -> None:
        """Stop the standbys and the server and remove their folders."""
        while self.standbys:
            self.standbys[-1].destroy()
        if self.primary is not None and self in self.primary.standbys:
            self.primary.standbys.remove(self)
        if self.root is None:
            return
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
            with _lock:
                _alive.discard(self)

    def pid(self) -> int | None:
        """The postmaster's process id while it runs, else None."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError, RuntimeError):
            return None
        return pid if b"postgres" in command else None

    def started_at(self) -> datetime.datetime:
        return self.scalar("SELECT pg_postmaster_start_time()")

    def log_tail(self, size: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-size:]
        except (OSError, RuntimeError):
            return ""

    # Talking to it.

    def url(self, dbname: str = "postgres") -> str:
        """A URL for libpq and DATABASE_URL alike."""
        if self.port is None:
            raise RuntimeError(f"{self!r} has no port: not started")
        return f"postgres://{SUPERUSER}@{HOST}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres", **options: Any) -> psycopg.Connection:
        options.setdefault("autocommit", True)
        options.setdefault("connect_timeout", 5)
        return psycopg.connect(self.url(dbname), **options)

    def query(self, sql: str, params: Any = None, dbname: str = "postgres") -> list[tuple]:
        with self.connect(dbname) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def scalar(self, sql: str, params: Any = None, dbname: str = "postgres") -> Any:
        rows = self.query(sql, params, dbname)
        return rows[0][0] if rows else None

    def execute(self, sql: str, params: Any = None, dbname: str = "postgres") -> None:
        self.query(sql, params, dbname)

    def create_database(self, name: str) -> str:
        """Create the database and return its URL."""
        self.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # Replication.

    def start_standby(self) -> ThrowawayCluster:
        """A streaming hot standby of this server, in a folder of its own on a port of its own,
        started; destroyed with this one. It answers reads and refuses writes."""
        if self.primary is not None:
            raise ValueError("start the standby from the primary")
        standby = ThrowawayCluster(self.bindir)
        standby.primary = self
        self.standbys.append(standby)
        try:
            standby._make_folder()
            # A copy of the primary's data and settings, with standby.signal and
            # primary_conninfo (-R): it follows the primary from the moment it starts.
            standby._run(
                [
                    *standby.program("pg_basebackup"),
                    *("-D", str(standby.data), "-R", "-X", "stream", "--checkpoint=fast"),
                    *("-h", HOST, "-p", str(self.port), "-U", SUPERUSER, "--no-sync"),
                ],
                timeout=120,
            )
            standby._place()
            standby.start()
        except BaseException:
            standby.destroy()
            raise
        return standby

    def wait_until_caught_up(self, timeout: float = 30) -> None:
        """On a standby: return once it has replayed everything its primary has written."""
        if self.primary is None:
            raise ValueError(f"{self!r} is not a standby")
        written = self.primary.scalar("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while not self.scalar("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]):
            if time.monotonic() > deadline:
                raise ServerFailed(
                    f"the standby did not replay up to {written} in {timeout} s:\n{self.log_tail()}"
                )
            time.sleep(0.05)

    # The work.

    def program(self, name: str) -> list[str]:
        return [str(self.bindir / name)]

    def _make_folder(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="newsroom-postgres-"))
        with _lock:
            _alive.add(self)
        stop_all_on_sigterm()
        self.socket_dir.mkdir()
        if self.account is not None:
            for folder in (self.root, self.socket_dir):
                os.chown(folder, self.account.pw_uid, self.account.pw_gid)

    def _initdb(self) -> None:
        for locale in ("C.UTF-8", "C"):
            result = self._run(
                [
                    *self.program("initdb"),
                    *("-D", str(self.data), "-U", SUPERUSER, "--auth=trust"),
                    *("-E", "UTF8", f"--locale={locale}", "--no-sync"),
                ],
                check=False,
            )
            if result.returncode == 0:
                return
        raise ServerFailed(f"initdb failed:\n{result.stdout}{result.stderr}")

    def _place(self) -> None:
        """A free port and the socket folder (appended: the last setting wins)."""
        self.port = free_port()
        self._append_settings({"port": str(self.port), "unix_socket_directories": self.socket_dir})

    def _append_settings(self, settings: Mapping[str, object]) -> None:
        quoted = {name: str(value).replace("'", "''") for name, value in settings.items()}
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{name} = '{value}'\n" for name, value in quoted.items())

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self._run([*self.program("pg_ctl"), "-D", str(self.data), *args], check=check)

    def _run(
        self, command: list[str], check: bool = True, timeout: float = START_SECONDS + 30
    ) -> subprocess.CompletedProcess[str]:
        """Run a server program as the server's account, without the caller's PG* variables
        (a PGPORT or PGDATA of the developer's must not steer it elsewhere)."""
        env = {name: value for name, value in os.environ.items() if not name.startswith("PG")}
        env["HOME"] = str(self.root)
        account = self.account
        result = subprocess.run(
            command,
            cwd=self.root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            user=account.pw_uid if account else None,
            group=account.pw_gid if account else None,
            extra_groups=[] if account else None,
        )
        if check and result.returncode != 0:
            raise ServerFailed(
                f"{' '.join(command)} exited with {result.returncode}:\n"
                f"{result.stdout}{result.stderr}\nserver log:\n{self.log_tail()}"
            )
        return result


# Every cluster whose folder exists, so that none outlives this process.
_alive: set[ThrowawayCluster] = set()
_lock = threading.Lock()


def destroy_all() -> None:
    with _lock:
        clusters = list(_alive)
    for cluster in clusters:
        cluster.destroy()


atexit.register(destroy_all)


def stop_all_on_sigterm() -> None:
    """On SIGTERM, which ends a process without atexit, destroy the clusters and then end as
    SIGTERM would. Left alone if someone else already handles SIGTERM."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return

    def destroy_then_end(signum: int, frame: object) -> None:
        destroy_all()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    signal.signal(signal.SIGTERM, destroy_then_end)
