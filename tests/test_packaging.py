"""What `pip install .` ships: a wheel that works away from the checkout.

Builds the wheel, installs it with its dependencies into a fresh virtual environment and runs
the site from a folder that is not the checkout: every installed app is in it (`check`,
`migrate`), and so are the site's templates, static files and fixtures (the demo data loads,
the front page renders)."""

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from django.db import connection

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


@pytest.mark.slow
def test_the_wheel_installs_and_runs_away_from_the_checkout(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("builds and installs a wheel: once is enough, in the SQLite pass")
    # Built from a copy: a build leaves its scratch folders beside the sources.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_BEHIND))
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source, cwd=tmp_path)
    (wheel,) = dist.glob("newsroom-*.whl")
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel, cwd=tmp_path)

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
