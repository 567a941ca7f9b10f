"""`LOG_FORMAT=json`: one JSON object per line, whatever the record holds (common/logs.py)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from common.logs import JsonFormatter, RequestIdFilter, request_id

ROOT = Path(__file__).resolve().parents[2]


def record(message, *args, **extra):
    made = logging.makeLogRecord(
        {"name": "articles.imports", "levelno": logging.WARNING, "levelname": "WARNING"}
    )
    made.msg, made.args = message, args
    made.__dict__.update(extra)
    return made


def test_a_record_is_one_line_of_json_with_its_fields():
    line = JsonFormatter().format(
        record("imported %d stories\nfrom %s", 3, "a\tfolder", path="/x", count=3)
    )
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "imported 3 stories\nfrom a\tfolder"
    assert (entry["level"], entry["logger"]) == ("WARNING", "articles.imports")
    assert (entry["path"], entry["count"]) == ("/x", 3)
    assert entry["time"].endswith("+00:00")
    assert "request_id" not in entry, "no request, no id"


def test_the_current_requests_id_goes_on_every_record():
    token = request_id.set("req-12345678")
    try:
        made = record("hello")
        assert RequestIdFilter().filter(made) is True
    finally:
        request_id.reset(token)
    assert made.request_id == "req-12345678"
    assert json.loads(JsonFormatter().format(made))["request_id"] == "req-12345678"


def test_an_exception_is_kept_and_a_value_json_cannot_hold_is_written_as_text():
    class Opaque:
        def __str__(self):
            return "<opaque thing>"

    try:
        raise ValueError("bad row 7")
    except ValueError:
        made = record("failed", thing=Opaque(), exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(made))
    assert entry["thing"] == "<opaque thing>"
    assert "ValueError: bad row 7" in entry["exception"]
    assert "Traceback" in entry["exception"]


def run_site(tmp_path, **env):
    """A request answered by the site in a process of its own, configured from `env`."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz', headers={'X-Request-ID': 'abcdef12-from-proxy'})\n"
        "print(response.status_code, response['X-Request-ID'])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver",
            # A database that cannot be opened: the health check logs an error.
            "DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'archive.sqlite3'}",
            **env,
        },
    )


def test_with_log_format_json_every_line_the_site_writes_is_json(tmp_path):
    result = run_site(tmp_path, LOG_FORMAT="json", BEHIND_PROXY="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "abcdef12-from-proxy"]
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    loggers = {line["logger"]: line for line in lines}
    assert "the database does not answer" in loggers["common.health"]["message"]
    assert loggers["newsroom.requests"]["status"] == 200
    assert {line["request_id"] for line in lines} == {"abcdef12-from-proxy"}


def test_by_default_lines_are_text_and_requests_are_not_logged(tmp_path):
    result = run_site(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "health: the database does not answer" in result.stderr
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stderr.splitlines()[0])
    assert "GET /healthz" not in result.stderr


def test_an_unknown_log_format_stops_the_site_with_a_message(tmp_path):
    result = run_site(tmp_path, LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT is 'xml': it may be 'text' or 'json'." in result.stderr
