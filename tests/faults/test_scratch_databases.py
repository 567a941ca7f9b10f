"""Where the fault tests make their PostgreSQL databases: on the suite's own throwaway cluster,
never on a server the developer runs. A plain `make test` used to create them, and restart the
server, on whatever answered at 127.0.0.1:5432."""

from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg.conninfo import conninfo_to_dict

pytestmark = pytest.mark.postgres


class ReachedAnotherServer(BaseException):
    """Raised instead of connecting. Not an Exception, so that no `except Exception` on the
    way (a probe asking whether a server answers) can swallow it."""


def test_fault_databases_are_made_on_the_suites_own_cluster(request, monkeypatch):
    """Every connection made while the fault tests' database is set up goes to the throwaway
    cluster: none to PostgreSQL's usual port, where a developer's own server listens, none to
    the server DATABASE_URL names, none through a local socket. A connection anywhere else is
    refused before it is made, so that this test, failing, touches nothing either."""
    forbidden_ports = {5432}
    if connection.vendor == "postgresql":
        forbidden_ports.add(int(connection.settings_dict["PORT"] or 5432))
    reached = []
    connect = psycopg.connect

    def connect_to_loopback_only(conninfo="", **kwargs):
        params = conninfo_to_dict(conninfo, **kwargs)
        host, port = params.get("host", ""), int(params.get("port") or 5432)
        reached.append(port)
        if host != "127.0.0.1" or port in forbidden_ports:
            raise ReachedAnotherServer(f"{host or 'the local socket'} port {port}")
        return connect(conninfo, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(psycopg, "connect", connect_to_loopback_only)
        try:
            scratch = request.getfixturevalue("postgres_scratch_db")
        except ReachedAnotherServer as server:
            pytest.fail(f"the fault tests' database was to be made on {server}")

    cluster = request.getfixturevalue("throwaway_postgres")
    assert set(reached) == {cluster.port}
    assert scratch.scalar("SELECT inet_server_port()") == cluster.port
    assert Path(scratch.scalar("SHOW data_directory")).is_relative_to(cluster.root)
