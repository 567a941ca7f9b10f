"""Faults need real processes: commands killed midway, servers under load, a database that
restarts. Each test here runs the app as separate processes against a scratch database of its
own, made for it and dropped after: never the test database of this pytest run.

Where the scratch database lives:
- `scratch`, a database of this run's kind: a SQLite file, or, when DATABASE_URL names a
  PostgreSQL server, a new database on that server (the developer pointed the suite at it).
- `postgres_scratch_db`, PostgreSQL whatever the run: always on the suite's own throwaway
  cluster (`throwaway_postgres`), because its tests restart the server or fill it with
  thousands of stories. Never on a server the developer runs, configured or not.
"""

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection

from tests.servers import unavailable

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Scratch:
    url: str
    env: dict

    def manage(self, *args, timeout=300, check=True):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=check,
        )

    def popen(self, *args, **kwargs):
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=self.env, text=True, **kwargs
        )

    def scalar(self, sql):
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                return db.execute(sql).fetchone()[0]
        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchone()[0]


def configured_server_url(dbname: str) -> str:
    """The URL of a database `dbname` on the PostgreSQL server this run was pointed at
    (DATABASE_URL, with its user, password and options; in the spelling libpq reads too)."""
    server = urlsplit(os.environ["DATABASE_URL"])
    return server._replace(scheme="postgres", path=f"/{dbname}").geturl()


def base_env(url, **extra):
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
        **extra,
    }


@pytest.fixture
def scratch(tmp_path):
    """A migrated scratch database of the kind this run uses (SQLite or PostgreSQL)."""
    if connection.vendor == "postgresql":
        yield from postgres_scratch(configured_server_url, tmp_path)
    else:
        url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        database = Scratch(url, base_env(url, STATIC_ROOT=str(tmp_path / "static")))
        database.manage("migrate", "--no-input", "-v0")
        yield database


@pytest.fixture
def postgres_scratch_db(throwaway_postgres, tmp_path):
    """A migrated scratch PostgreSQL database on the suite's own cluster, whatever database
    this run uses."""
    yield from postgres_scratch(throwaway_postgres.url, tmp_path)


def postgres_scratch(server_url, tmp_path) -> Iterator[Scratch]:
    """A new database on the server whose URLs `server_url(dbname)` gives, migrated, dropped
    afterwards (its connections cut)."""
    name = f"newsroom_scratch_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = server_url(name)
    database = Scratch(url, base_env(url, STATIC_ROOT=str(tmp_path / "static")))
    try:
        database.manage("migrate", "--no-input", "-v0")
        yield database
    finally:
        with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def needs_tool(name, package):
    path = shutil.which(name)
    if path is None:
        unavailable(f"`{name}` is not installed (Debian package `{package}`)")
    return path
