"""What `pip install .` ships: a wheel that works away from the checkout.

Builds the wheel, installs it with its dependencies into a fresh virtual environment and runs
the site from a folder that is not the checkout: every installed app is in it (`check`,
`migrate`), and so are the site's templates, static files and fixtures (the demo data loads,
the front page renders)."""

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench.processes import free_port, get

ROOT = Path(__file__).resolve().parents[1]
# What a checkout holds that is not the project's source.
LEFT_BEHIND = (".git", ".venv", "build", "*.egg-info", "staticfiles", "*.sqlite3*", "__pycache__")

FRONT_PAGE = """
import django
django.setup()
from django.test import Client
response = Client().get("/")
assert response.status_code == 200, response.status_code
assert b"Kim Kardashian" in response.content
print("front page rendered")
"""


def run(*command, cwd, env=None):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(map(str, command))}:\n{result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from a copy of the checkout, installed with its dependencies into a
    fresh virtual environment: that environment's python."""
    if connection.vendor != "sqlite":
        pytest.skip("builds and installs a wheel: once is enough, in the SQLite pass")
    tmp_path = tmp_path_factory.mktemp("wheel")
    # Built from a copy: a build leaves its scratch folders beside the sources.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_BEHIND))
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source, cwd=tmp_path)
    (wheel,) = dist.glob("newsroom-*.whl")
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel, cwd=tmp_path)
    return python


@pytest.mark.slow
def test_the_wheel_installs_and_runs_away_from_the_checkout(installed, tmp_path):
    python = installed
    elsewhere = tmp_path / "site"
    elsewhere.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'archive.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "staticfiles"),
        "SECRET_KEY": "a-throwaway-key-for-the-wheel-test-" + "x" * 20,
        "ALLOWED_HOSTS": "testserver",
    }
    imported = run(
        python, "-c", "import newsroom; print(newsroom.__file__)", cwd=elsewhere, env=env
    )
    assert str(ROOT) not in imported, "the wheel's package must be imported, not the checkout"
    for command in (["check"], ["migrate", "--no-input", "-v0"], ["loaddata", "demo", "-v0"]):
        run(python, "-m", "django", *command, cwd=elsewhere, env=env)
    run(python, "-m", "django", "collectstatic", "--no-input", "-v0", cwd=elsewhere, env=env)
    assert "front page rendered" in run(python, "-c", FRONT_PAGE, cwd=elsewhere, env=env)


def dockerfile_runtime() -> tuple[dict[str, str], list[str]]:
    """The runtime stage's environment (its ENV) and command (its CMD), from the Dockerfile."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    stage = text.rsplit("\nFROM ", 1)[1]
    environment = {}
    for line in stage.splitlines():
        if line.startswith("ENV "):
            environment.update(item.split("=", 1) for item in shlex.split(line[4:]))
        if line.startswith("CMD "):
            command = json.loads(line[4:])
    return environment, command


@pytest.mark.slow
def test_the_images_steps_serve_the_site_without_docker(installed, tmp_path):
    """What the Dockerfile's runtime stage does, done here with the installed wheel: a folder
    with only gunicorn.conf.py and manage.py, the image's environment, static files collected
    there, then its command — gunicorn with the repository's settings — answering the image's
    health check, serving hashed static files, and writing nothing but JSON lines."""
    python = installed
    app = tmp_path / "app"
    app.mkdir()
    for name in ("gunicorn.conf.py", "manage.py"):
        shutil.copy(ROOT / name, app / name)
    image_env, command = dockerfile_runtime()
    port = free_port()
    env = {
        "PATH": f"{python.parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        **{key: value.replace("/app", str(app)) for key, value in image_env.items()},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'archive.sqlite3'}",
        "SECRET_KEY": "a-throwaway-key-for-the-image-test-" + "x" * 20,
        "ALLOWED_HOSTS": "archive.example.org,127.0.0.1",
        "PORT": str(port),
    }
    assert env["LOG_FORMAT"] == "json" and env["DJANGO_SETTINGS_MODULE"] == "newsroom.settings"
    run(python, "manage.py", "collectstatic", "--no-input", "-v0", cwd=app, env=env)
    run(python, "manage.py", "migrate", "--no-input", "-v0", cwd=app, env=env)

    assert command[0] == "gunicorn" and "0.0.0.0:8000" in command
    arguments = [f"127.0.0.1:{port}" if part == "0.0.0.0:8000" else part for part in command]
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [python.parent / arguments[0], *arguments[1:]],
            cwd=app,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        probe = [python, "-m", "newsroom.probe", "/healthz"]
        deadline = time.monotonic() + 120
        while subprocess.run(probe, cwd=app, env=env, capture_output=True).returncode != 0:
            assert server.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, "gunicorn never answered /healthz"
            time.sleep(0.5)
        manifest = json.loads((app / "staticfiles" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["css/site.css"]
        status, _ = get(f"http://127.0.0.1:{port}/static/{hashed}")
        assert status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = log_path.read_text().splitlines()
    assert lines and all(json.loads(line) for line in lines), "a line that is not JSON"
    assert {json.loads(line)["logger"] for line in lines} >= {"gunicorn.error", "newsroom.requests"}


def test_the_wheel_carries_every_app_of_the_project():
    """setup.py names the packages without importing the settings (a build has no Django):
    its list is the settings' own."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    listed = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["APPS"]
    )
    assert listed == settings.PROJECT_APPS
