"""Faults need real processes: commands killed midway, servers under load, a database that
restarts. Each test here runs the app as separate processes against a scratch database of its
own, made for it and dropped after: never the test database of this pytest run, never the
developer's own."""

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

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
        import psycopg

        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchone()[0]


def postgres_server_url():
    """The PostgreSQL server of this run's settings, or the local one."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return os.environ.get("FAULTS_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def postgres_available(server):
    try:
        import psycopg

        with psycopg.connect(server + "/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


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
        yield from postgres_scratch(postgres_server_url(), tmp_path)
    else:
        url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        database = Scratch(url, base_env(url, STATIC_ROOT=str(tmp_path / "static")))
        database.manage("migrate", "--no-input", "-v0")
        yield database


@pytest.fixture
def postgres_scratch_db(tmp_path):
    """A migrated scratch PostgreSQL database, whatever database this run uses."""
    server = postgres_server_url()
    if not postgres_available(server):
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is not answering at {server} (CI=true: an error)")
        pytest.skip(f"needs a PostgreSQL server at {server}")
    yield from postgres_scratch(server, tmp_path)


def postgres_scratch(server, tmp_path):
    import psycopg

    name = f"newsroom_scratch_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}"
    database = Scratch(url, base_env(url, STATIC_ROOT=str(tmp_path / "static")))
    try:
        database.manage("migrate", "--no-input", "-v0")
        yield database
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def needs_tool(name, package):
    path = shutil.which(name)
    if path is None:
        message = f"`{name}` is not installed (Debian package `{package}`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true: an error")
        pytest.skip(message)
    return path
