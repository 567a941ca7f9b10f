import json
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from newsroom.checks import replicas_are_postgresql, secret_key_is_set

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


def databases_for(**env):
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_each_replica_url_is_a_database_the_tests_mirror_and_the_pool_comes_from_the_env():
    databases = databases_for(
        DATABASE_URL="postgres://someone@db.internal:5432/archive",
        DATABASE_REPLICA_URLS="postgres://someone@r1.internal/archive, postgres://someone@r2/archive",
    )
    assert list(databases) == ["default", "replica_1", "replica_2"]
    assert [db["HOST"] for db in databases.values()] == ["db.internal", "r1.internal", "r2"]
    assert databases["replica_1"]["TEST"]["MIRROR"] == "default"
    assert databases["replica_1"]["OPTIONS"]["connect_timeout"] == 2
    assert databases["default"]["CONN_MAX_AGE"] == 600
    assert "pool" not in databases["default"]["OPTIONS"]
    assert databases["default"]["DISABLE_SERVER_SIDE_CURSORS"] is False

    databases = databases_for(
        DATABASE_URL="postgres://someone@db.internal:5432/archive",
        DATABASE_REPLICA_URLS="postgres://someone@r1.internal/archive",
        DATABASE_POOL_MAX="8",
        DATABASE_POOL_MIN="2",
        DATABASE_POOL_TIMEOUT="5",
        DATABASE_TRANSACTION_POOLING="1",
    )
    for alias in ("default", "replica_1"):
        # A pool excludes persistent connections: connections go back to it after a request.
        assert databases[alias]["CONN_MAX_AGE"] == 0
        assert databases[alias]["CONN_HEALTH_CHECKS"] is True
        assert databases[alias]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert databases["default"]["OPTIONS"]["pool"] == {
        "min_size": 2,
        "max_size": 8,
        "timeout": 5.0,
        "max_idle": 300.0,
    }
    # A replica that hands out no connection within its connect timeout is taken as down.
    assert databases["replica_1"]["OPTIONS"]["pool"]["timeout"] == 2


# The check reads DATABASES only: no connection is made to the databases named here.
@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_replicas_need_postgresql_and_read_your_writes_must_outlast_their_lag(settings):
    settings.DATABASES = {
        **settings.DATABASES,
        "replica_1": {"ENGINE": "django.db.backends.sqlite3"},
    }
    assert "newsroom.E003" in [error.id for error in replicas_are_postgresql(None)]
    postgres = {"ENGINE": "django.db.backends.postgresql"}
    settings.DATABASES = {"default": postgres, "replica_1": postgres}
    settings.REPLICA_MAX_LAG_SECONDS, settings.REPLICA_CHECK_SECONDS = 5, 5
    settings.READ_YOUR_WRITES_SECONDS = 9
    assert [error.id for error in replicas_are_postgresql(None)] == ["newsroom.W001"]
    settings.READ_YOUR_WRITES_SECONDS = 10
    assert replicas_are_postgresql(None) == []
    # The site's own engine (newsroom/settings.py): Django's, preparing statements when asked.
    site = {"ENGINE": "common.postgresql"}
    settings.DATABASES = {"default": site, "replica_1": site}
    assert replicas_are_postgresql(None) == []


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


def test_the_site_s_postgresql_engine_is_one_the_replica_check_accepts():
    from newsroom import settings as site_settings
    from newsroom.checks import POSTGRESQL_ENGINES

    primary = site_settings.database("postgres://newsroom@db.example.org:5432/newsroom")
    replica = site_settings.database("postgres://newsroom@r1.example.org/newsroom", replica=True)
    assert {primary["ENGINE"], replica["ENGINE"]} <= POSTGRESQL_ENGINES
