"""The container's health check: `python -m newsroom.probe [PATH]` asks this container's
server for PATH (`/healthz`) and exits 0 on a 200, 1 otherwise.

It asks with a host name the site accepts (the first of `ALLOWED_HOSTS`), or Django would
answer 400. It imports nothing of Django: it runs every few seconds.
"""

import http.client
import os
import sys


def host_name(allowed_hosts: str) -> str:
    """A name that `ALLOWED_HOSTS` accepts: its first entry (`.example.org` stands for
    example.org and its subdomains), or `localhost` when any name is allowed."""
    for entry in allowed_hosts.split(","):
        entry = entry.strip()
        if entry and entry != "*":
            return entry.lstrip(".")
    return "localhost"


def probe(path: str, port: int, host: str, timeout: float = 4) -> int:
    """The status the server answers `GET path` with."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "/healthz"
    host = host_name(os.environ.get("ALLOWED_HOSTS", ""))
    try:
        status = probe(path, int(os.environ.get("PORT", "8000")), host)
    except OSError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"{path}: {status}", file=sys.stderr)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
