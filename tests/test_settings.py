import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from newsroom.checks import secret_key_is_set

ROOT = Path(__file__).resolve().parents[1]


def test_the_development_key_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    assert [error.id for error in secret_key_is_set(None)] == ["newsroom.E001"]
    settings.SECRET_KEY = "a-real-and-long-secret-key-from-the-environment-0123456789"
    assert secret_key_is_set(None) == []


def test_the_wsgi_application_refuses_to_start_without_a_secret_key():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import newsroom.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set and DEBUG is off" in result.stderr
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    result = subprocess.run(
        [sys.executable, "-c", "import newsroom.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_the_database_comes_from_database_url():
    code = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": "postgres://someone@db.internal:5432/archive",
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "archive"
    del env["DATABASE_URL"]
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().endswith("db.sqlite3")


def test_the_local_admin_is_refused_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused: DEBUG is off"):
        call_command("createlocaladmin", stdout=StringIO())
    assert not get_user_model().objects.exists()


def test_the_local_admin_gets_a_fresh_random_password(db, settings, client):
    settings.DEBUG = True
    passwords = []
    for _ in range(2):
        out = StringIO()
        call_command("createlocaladmin", stdout=out)
        passwords.append(out.getvalue().split("with the password ")[1].split()[0])
    assert passwords[0] != passwords[1] and len(passwords[1]) >= 16
    user = get_user_model().objects.get(username="admin")
    assert user.check_password(passwords[1]) and not user.check_password(passwords[0])
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": passwords[1]}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
