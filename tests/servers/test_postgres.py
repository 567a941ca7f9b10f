"""The suite's own PostgreSQL cluster: its own folder, port and socket; restarted, replicated and
thrown away without leaving a process or a file behind."""

import os
import pwd
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.servers import unavailable
from tests.servers.postgres import ThrowawayCluster, Unavailable, find_bindir, server_account

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


def running(pid):
    """Whether the process runs (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def owner_uid(pid):
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    return int(next(line for line in status if line.startswith("Uid:")).split()[1])


@pytest.fixture
def clusters_can_start():
    try:
        ThrowawayCluster()  # finds the programs and the account to run them as; starts nothing
    except Unavailable as reason:
        unavailable(str(reason))


def test_the_cluster_is_a_server_of_its_own_in_a_temporary_folder(throwaway_postgres):
    cluster = throwaway_postgres
    assert Path(cluster.root).parent == Path(tempfile.gettempdir())
    assert cluster.scalar("SELECT inet_server_port()") == cluster.port
    assert cluster.port != 5432
    if connection.vendor == "postgresql":
        assert cluster.port != int(connection.settings_dict["PORT"] or 5432)
    assert Path(cluster.scalar("SHOW data_directory")) == cluster.data
    assert cluster.scalar("SHOW listen_addresses") == "127.0.0.1"
    assert Path(cluster.scalar("SHOW unix_socket_directories")) == cluster.socket_dir
    assert cluster.socket_dir.is_relative_to(cluster.root)
    assert cluster.scalar("SHOW fsync") == "off"
    # initdb and postgres refuse root: as root the server runs as the `postgres` account.
    expected = pwd.getpwnam("postgres").pw_uid if os.geteuid() == 0 else os.geteuid()
    assert owner_uid(cluster.pid()) == expected


def test_a_restart_cuts_connections_and_the_cluster_comes_back(throwaway_postgres):
    cluster = throwaway_postgres
    started = cluster.started_at()
    pid = cluster.pid()
    with cluster.connect() as held:
        cluster.restart()
        with pytest.raises(psycopg.OperationalError):
            held.execute("SELECT 1")
    assert cluster.started_at() > started
    assert cluster.pid() != pid and not running(pid)
    assert cluster.scalar("SELECT 1") == 1


def test_a_row_written_on_the_primary_shows_on_the_standby_which_refuses_writes(
    throwaway_postgres, throwaway_standby
):
    primary, standby = throwaway_postgres, throwaway_standby
    assert standby.port not in {primary.port, 5432}
    assert standby.scalar("SELECT pg_is_in_recovery()") is True
    assert primary.scalar("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")
    name = f"replica_check_{uuid.uuid4().hex[:10]}"
    primary.create_database(name)
    try:
        primary.execute("CREATE TABLE said (line text)", dbname=name)
        primary.execute("INSERT INTO said VALUES ('written on the primary')", dbname=name)
        standby.wait_until_caught_up()
        assert standby.query("SELECT line FROM said", dbname=name) == [("written on the primary",)]
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            standby.execute("INSERT INTO said VALUES ('written on the standby')", dbname=name)
        assert primary.scalar("SELECT count(*) FROM said", dbname=name) == 1
    finally:
        primary.drop_database(name)


def test_a_standby_destroyed_leaves_its_primary_serving(throwaway_postgres):
    standby = throwaway_postgres.start_standby()
    pid, folder = standby.pid(), standby.root
    standby.destroy()
    assert not running(pid) and not folder.exists()
    assert throwaway_postgres.standbys == []
    deadline = time.monotonic() + 10  # the primary's sender notices the standby is gone
    while throwaway_postgres.scalar("SELECT count(*) FROM pg_stat_replication"):
        assert time.monotonic() < deadline, "the primary still streams to the destroyed standby"
        time.sleep(0.05)
    assert throwaway_postgres.scalar("SELECT 1") == 1


def test_destroy_stops_the_servers_and_removes_their_folders(clusters_can_start):
    with ThrowawayCluster() as cluster:
        standby = cluster.start_standby()
        pids = [cluster.pid(), standby.pid()]
        folders = [cluster.root, standby.root]
        assert all(running(pid) for pid in pids)
    assert not any(running(pid) for pid in pids)
    assert not any(folder.exists() for folder in folders)


LEFT_RUNNING = """
import sys, time
from tests.servers.postgres import ThrowawayCluster
cluster = ThrowawayCluster()
cluster.start()
standby = cluster.start_standby()
print(cluster.pid(), standby.pid(), cluster.root, standby.root, flush=True)
if sys.argv[1] == "wait":
    time.sleep(300)
"""


@pytest.mark.slow
@pytest.mark.parametrize("ending", ["exit", "sigterm"])
def test_servers_left_running_go_when_the_python_process_ends(clusters_can_start, ending):
    """A test run that ends without stopping its clusters (an error, SIGTERM from a CI's
    timeout) stops them on its way out: atexit, or the SIGTERM handler."""
    mode = "exit" if ending == "exit" else "wait"
    child = subprocess.Popen(
        [sys.executable, "-c", LEFT_RUNNING, mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        if ending == "sigterm":
            child.send_signal(signal.SIGTERM)
        _, errors = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert line, errors
    primary_pid, standby_pid, *folders = line.split()
    assert child.returncode == (0 if ending == "exit" else -signal.SIGTERM), errors
    assert not running(int(primary_pid)) and not running(int(standby_pid))
    assert not any(Path(folder).exists() for folder in folders)


def test_the_programs_folder_can_be_named_and_a_wrong_one_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv("PG_BINDIR", str(tmp_path))
    with pytest.raises(Unavailable, match=f"PG_BINDIR={tmp_path} does not hold initdb"):
        find_bindir()
    try:
        monkeypatch.delenv("PG_BINDIR")
        found = find_bindir()
    except Unavailable as reason:
        unavailable(str(reason))
    monkeypatch.setenv("PG_BINDIR", str(found))
    assert find_bindir() == found


def test_as_root_without_a_postgres_account_the_reason_is_given(monkeypatch):
    def no_such_account(name):
        raise KeyError(name)

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(pwd, "getpwnam", no_such_account)
    with pytest.raises(Unavailable, match="no `postgres` system account"):
        server_account()


def test_without_a_server_tests_skip_and_in_ci_fail(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no initdb here"):
        unavailable("no initdb here")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no initdb here"):
        unavailable("no initdb here")
