"""The deployment (Dockerfile, compose.yaml, deploy/): its structure checked here everywhere,
with a YAML parser; `docker compose config` and `docker build` where the tools are."""

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
NGINX = ROOT / "deploy" / "nginx" / "newsroom.conf"

# Names the app's environment sets that the site will read once the work on read replicas and
# on the job queue is in; until then nothing reads them.
NOT_READ_YET = {"JOB_BROKER_URL"}
# Read by gunicorn itself (workers), gunicorn.conf.py and the container's probe.
READ_BY_THE_SERVER = {"WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS", "PORT"}
# What values may be without being a secret given from outside.
SECRET_NAME = re.compile(r"PASSWORD|SECRET|_KEY$|TOKEN")
FROM_OUTSIDE = re.compile(r"^\$\{[A-Z_]+(:?[?-][^}]*)?\}$")
URL_CREDENTIALS = re.compile(r"^[a-z]+://[^:/@]+:([^@]*)@")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def final_stage(dockerfile: str) -> list[str]:
    """The instructions of the image's last stage, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    lines = [line.strip() for line in joined.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    last_from = max(i for i, line in enumerate(lines) if line.upper().startswith("FROM "))
    return lines[last_from:]


def settings_environment_names() -> set[str]:
    """The environment variables newsroom/settings.py and gunicorn.conf.py read."""
    names = {"DATABASE_URL"}  # dj_database_url.config()'s default
    for path in (ROOT / "newsroom" / "settings.py", ROOT / "gunicorn.conf.py"):
        text = path.read_text()
        names |= set(
            re.findall(r"(?:environ\.get|getenv|env_bool|env_list)\(\s*\"([A-Z_]+)\"", text)
        )
        names |= set(re.findall(r"environ\[\"([A-Z_]+)\"\]", text))
    return names


def test_the_services_are_the_whole_system(services):
    assert set(services) == {
        "proxy", "app", "worker", "migrate", "primary", "replica", "redis", "rabbitmq"
    }  # fmt: skip
    assert services["app"]["deploy"]["replicas"] == 2, "two app servers"
    assert services["worker"]["command"] == ["python", "manage.py", "worker"]


def test_every_service_is_checked_or_waits_for_what_it_needs(services):
    """A health check of its own (or the image's), or `depends_on` — and whatever is waited for
    with `service_healthy` has a health check to wait on."""
    image_checked = "HEALTHCHECK" in DOCKERFILE.read_text()
    for name, service in services.items():
        check = service.get("healthcheck", {})
        checked = bool(check.get("test")) or (
            "build" in service and image_checked and not check.get("disable")
        )
        assert checked or service.get("depends_on"), f"{name}: no health check, no depends_on"
        for needed, condition in service.get("depends_on", {}).items():
            if condition["condition"] == "service_healthy":
                theirs = services[needed].get("healthcheck", {})
                assert theirs.get("test") or (
                    "build" in services[needed] and not theirs.get("disable")
                ), f"{name} waits for {needed} to be healthy, which has no health check"


def test_migrations_run_once_before_any_app_server_or_worker(services):
    migrate = services["migrate"]
    assert migrate["command"][:3] == ["python", "manage.py", "migrate"]
    assert migrate["restart"] == "no"
    assert "deploy" not in migrate, "one migrating container"
    for name in ("app", "worker"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name
    assert "migrate" not in " ".join(map(str, services["app"].get("command", [])))


def test_no_secret_is_written_into_the_files(services):
    for name, service in services.items():
        environment = service.get("environment", {})
        assert isinstance(environment, dict), f"{name}: environment as a mapping"
        for key, value in environment.items():
            value = str(value)
            if SECRET_NAME.search(key):
                assert FROM_OUTSIDE.match(value), f"{name}: {key} is written in, not given"
            if credentials := URL_CREDENTIALS.match(value):
                assert FROM_OUTSIDE.match(credentials[1]), f"{name}: {key} holds a password"
    for instruction in final_stage(DOCKERFILE.read_text()):
        if instruction.upper().startswith(("ENV ", "ARG ")):
            assert not SECRET_NAME.search(instruction), instruction
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "*.sqlite3*"} <= set(ignored)
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_the_image_runs_as_a_user_that_is_not_root():
    stage = final_stage(DOCKERFILE.read_text())
    users = [line.split(None, 1)[1] for line in stage if line.upper().startswith("USER ")]
    assert users, "the runtime stage names no USER: it would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    last_user = max(i for i, line in enumerate(stage) if line.upper().startswith("USER "))
    assert not any(line.upper().startswith("RUN ") for line in stage[last_user:])
    assert any(line.upper().startswith("HEALTHCHECK ") and "/healthz" in line for line in stage)
    assert any("collectstatic" in line for line in stage if line.upper().startswith("RUN "))
    assert "gunicorn.conf.py" in stage[-1] and stage[-1].upper().startswith("CMD ")


def test_the_image_is_built_in_two_stages_from_the_wheel():
    stages = [line for line in DOCKERFILE.read_text().splitlines() if line.startswith("FROM ")]
    assert len(stages) == 2 and stages[0].endswith(" AS build")
    assert "pip wheel" in DOCKERFILE.read_text()


def test_the_apps_environment_names_what_the_settings_read(services):
    read = settings_environment_names()
    given = set(services["app"]["environment"])
    unknown = given - read - NOT_READ_YET - READ_BY_THE_SERVER
    assert not unknown, f"set but read by nothing: {sorted(unknown)}"
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "LOG_FORMAT"} <= given
    assert services["app"]["environment"] == services["worker"]["environment"]


def test_the_proxy_is_the_only_way_in_and_sets_the_forwarded_headers(services):
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    app = services["app"]["environment"]
    assert app["BEHIND_PROXY"] == "1" and app["LOG_FORMAT"] == "json"
    proxy_address = services["proxy"]["networks"]["backend"]["ipv4_address"]
    assert app["FORWARDED_ALLOW_IPS"] == proxy_address, "gunicorn believes the proxy only"

    conf = NGINX.read_text()
    set_headers = dict(re.findall(r"proxy_set_header\s+(\S+)\s+(\S+);", conf))
    # Overwritten by the proxy, never passed on from the client (docs/security.md).
    assert set_headers["X-Forwarded-For"] == "$remote_addr"
    assert set_headers["X-Forwarded-Proto"] == "$scheme"
    assert set_headers["X-Request-ID"] == "$newsroom_request_id"
    assert "add_header X-Request-ID $newsroom_request_id always;" in conf
    (upstream,) = re.findall(r"^\s*server\s+(\S+?):8000\b", conf, re.MULTILINE)
    assert upstream in services and services[upstream].get("expose") == ["8000"]


def test_the_proxys_id_rule_is_the_sites():
    from newsroom.requestid import LOOKS_LIKE_AN_ID

    (pattern,) = re.findall(r'"~\^(.+)\$"\s+\$http_x_request_id;', NGINX.read_text())
    assert pattern == LOOKS_LIKE_AN_ID.pattern


def test_the_replica_is_a_streaming_copy_of_the_primary(services):
    primary, replica = services["primary"], services["replica"]
    assert primary["image"] == replica["image"] and primary["image"].startswith("postgres:")
    assert replica["depends_on"]["primary"]["condition"] == "service_healthy"
    entrypoint = (ROOT / "deploy" / "postgres" / "replica-entrypoint.sh").read_text()
    assert "pg_basebackup" in entrypoint and "--write-recovery-conf" in entrypoint
    init = (ROOT / "deploy" / "postgres" / "primary-init.sh").read_text()
    slot = replica["environment"]["REPLICATION_SLOT"]
    assert f"pg_create_physical_replication_slot('{slot}')" in init
    assert "pg_is_in_recovery()" in " ".join(replica["healthcheck"]["test"])


def test_every_file_mounted_from_the_repository_exists(services):
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                path = ROOT / source
                assert path.is_file(), f"{name} mounts {source}, which is not in the repository"
                if path.suffix == ".sh":
                    assert path.stat().st_mode & stat.S_IXUSR, f"{source} is not executable"


def test_media_and_dumps_are_shared_volumes(compose, services):
    for name in ("app", "worker"):
        volumes = services[name]["volumes"]
        assert "media:/app/media" in volumes and "datasets:/app/datasets" in volumes
    assert {"media", "datasets"} <= set(compose["volumes"])


# --- With the tools --------------------------------------------------------------------------

# Throwaway values for the secrets compose insists on.
COMPOSE_ENV = {
    "SECRET_KEY": "x" * 50,
    "POSTGRES_PASSWORD": "pg-throwaway",
    "REPLICATION_PASSWORD": "repl-throwaway",
    "RABBITMQ_PASSWORD": "mq-throwaway",
}


def compose_command() -> list[str]:
    """`docker compose` (or a v2 `docker-compose`), or a skip saying what is missing."""
    for command in (["docker", "compose"], ["docker-compose"]):
        if not shutil.which(command[0]):
            continue
        result = subprocess.run([*command, "version"], capture_output=True, text=True)
        if result.returncode == 0 and re.search(r"v?2\.\d", result.stdout):
            return command
    pytest.skip("docker compose (v2) is not installed: the compose file is checked only above")


def docker_daemon() -> None:
    if not shutil.which("docker"):
        pytest.skip("docker is not installed")
    result = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no answer"])[-1]
        pytest.skip(f"no Docker daemon answers here ({reason})")


def test_docker_compose_accepts_the_file(tmp_path):
    command = compose_command()
    env = {**os.environ, **COMPOSE_ENV}
    result = subprocess.run(
        [*command, "-f", COMPOSE, "config", "--quiet"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    without = {key: value for key, value in env.items() if key != "SECRET_KEY"}
    refused = subprocess.run(
        [*command, "-f", COMPOSE, "config", "--quiet"], capture_output=True, text=True, env=without
    )
    assert refused.returncode != 0 and "set SECRET_KEY" in refused.stderr


@pytest.mark.slow
def test_the_image_builds_runs_as_newsroom_and_carries_its_static_files():
    docker_daemon()
    tag = "newsroom:test-build"
    build = subprocess.run(["docker", "build", "-t", tag, ROOT], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-3000:]
    try:
        run = subprocess.run(
            [
                "docker",
                "run",
                "--rm",
                tag,
                "sh",
                "-c",
                "id -u; ls /app/staticfiles/staticfiles.json",
            ],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, run.stderr
        uid, manifest = run.stdout.split()
        assert uid != "0" and manifest.endswith("staticfiles.json")
        check = subprocess.run(
            ["docker", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", tag],
            capture_output=True,
            text=True,
        )
        assert "newsroom.probe" in check.stdout and "/healthz" in check.stdout
    finally:
        subprocess.run(["docker", "image", "rm", "-f", tag], capture_output=True)
