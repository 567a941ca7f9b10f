"""Servers started for a measurement or a fault test: a free port, the workers of a master,
their CPU time and memory, and a stop that leaves nothing behind. Linux (/proc) only."""

import os
import signal
import socket
import subprocess
from pathlib import Path


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stat_fields(pid):
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces)."""
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


def child_pids(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat_fields(stat.parent.name)[1])
        except OSError:
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def cpu_ticks(pid):
    """User and system time of a process, in clock ticks (fields 14 and 15 of its stat)."""
    try:
        fields = stat_fields(pid)
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


def rss_kb(pid):
    """Resident memory of a process in kB; None once it has gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def stop(process, workers):
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
