"""Settings for Newsroom, read from the environment.

`DATABASE_URL` (default: the SQLite file `db.sqlite3` at the repository root), `SECRET_KEY`,
`DEBUG` and `ALLOWED_HOSTS` are the knobs an operator turns; see docs/operations.md.
"""

import logging
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# The site-wide templates, static files and fixtures: at the top of a checkout, or inside this
# package when it was installed from a wheel (setup.py).
SITE_DIR = (
    BASE_DIR if (BASE_DIR / "templates").is_dir() else Path(__file__).resolve().parent / "site"
)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# Only good for a developer's machine: the `newsroom.E001` check refuses it when DEBUG is off.
DEVELOPMENT_SECRET_KEY = "django-insecure-newsroom-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# This project's own apps (the code of a release: see `caching.pagecache.release`).
PROJECT_APPS = [
    "newsroom",
    "common",
    "history",
    "caching",
    "jobs",
    "pictures",
    "people",
    "articles",
    "opendata",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "taggit",
    "simple_history",
    "csp",
    "axes",
    # The read API (opendata/api.py); listed so its docs page uses the Swagger UI files served
    # from this site's own static files, not from a CDN the CSP would refuse.
    "ninja",
    "corsheaders",
    *PROJECT_APPS,
]

MIDDLEWARE = [
    # Outermost: every answer carries its request's id (X-Request-ID), and every line logged
    # while it is answered (newsroom/requestid.py).
    "newsroom.requestid.RequestIdMiddleware",
    # Then: which database the request reads, a replica or the primary, decided before the
    # page cache reads the edition that keys the page (newsroom/replica_reads.py).
    "newsroom.replica_reads.ReplicaReadsMiddleware",
    # Then: the API's cross-origin headers (CORS_* below) go on every answer under /api/,
    # 304s and pages from the cache included, and it answers browsers' preflight requests.
    "corsheaders.middleware.CorsMiddleware",
    # Then: anonymous readers' pages answered with a 304 for a known ETag, or as cached, with
    # the headers the middleware below gave them when they were rendered (pagecache.py).
    "caching.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The admin's filters hand query values to PostgreSQL unchecked (nulbytes.py).
    "newsroom.nulbytes.RefuseNulBytesInAdmin",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An admin action's selected rows that cannot be ids: a message, not a server error.
    "newsroom.adminids.RefuseOddSelections",
    # Records who made each change kept in the version history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: answers a locked-out login attempt (see AXES_* below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

# The readers' pages are Jinja2 templates (each app's `jinja2/` folder; the site's frame in
# newsroom's; newsroom/templating.py); the admin's are Django's (`templates/` folders). A name is
# looked up in that order.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "newsroom.templating.environment",
            "context_processors": ["newsroom.context_processors.canonical"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.canonical",
            ],
            # Django's `date` filter, remembered for plain days.
            "builtins": ["common.datefilter"],
        },
    },
]

# --- Databases: see docs/operations.md ------------------------------------------------------

# Connections kept open between requests (seconds), when there is no pool.
CONN_MAX_AGE = 600
# DATABASE_POOL_MAX > 0: each process keeps a pool of at most that many connections to each
# database (Django's psycopg pool), shared by its threads, instead of one persistent connection
# per thread. Persistent connections and a pool exclude each other: with the pool,
# connections go back to it at the end of each request (CONN_MAX_AGE 0).
DATABASE_POOL_MAX = int(os.environ.get("DATABASE_POOL_MAX") or 0)
DATABASE_POOL_MIN = int(os.environ.get("DATABASE_POOL_MIN") or 1)
# How long a request waits for a free connection of the pool before failing.
DATABASE_POOL_TIMEOUT = float(os.environ.get("DATABASE_POOL_TIMEOUT") or 10)
# A connection idle in the pool for longer is closed (down to DATABASE_POOL_MIN).
DATABASE_POOL_MAX_IDLE = float(os.environ.get("DATABASE_POOL_MAX_IDLE") or 300)
# DATABASE_TRANSACTION_POOLING=1: the database URLs name PgBouncer in transaction mode, not
# PostgreSQL itself (docs/operations.md).
# The queries of the pages that look rows up by their keys (a story, the front page) are
# prepared on each connection (common/prepared.py): not through PgBouncer in transaction mode,
# unless it keeps prepared statements itself (1.21 or later, max_prepared_statements).
DATABASE_PREPARED_STATEMENTS = env_bool(
    "DATABASE_PREPARED_STATEMENTS", not env_bool("DATABASE_TRANSACTION_POOLING")
)

# Read replicas: streaming hot standbys of the primary, comma-separated URLs. Readers' pages,
# feeds, the API and search read from one of them (the same for a whole request); everything
# else uses the primary (common/replicas.py).
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
# A replica further behind the primary than this is skipped until it has caught up.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS") or 5)
# How long a replica's state (up, lag) is trusted by a process before it is checked again.
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS") or 5)
# A replica that does not accept a connection within this is taken as down.
REPLICA_CONNECT_TIMEOUT = int(os.environ.get("REPLICA_CONNECT_TIMEOUT") or 2)
# After a browser's request wrote to the primary, its requests read the primary for this long
# (read-your-writes): longer than a replica may lag and be trusted.
READ_YOUR_WRITES_SECONDS = int(os.environ.get("READ_YOUR_WRITES_SECONDS") or 30)
READ_YOUR_WRITES_COOKIE = "newsroom_primary"


def database(url: str, *, replica: bool = False) -> dict[str, Any]:
    """Django's settings for the database at `url`: the primary, or a replica of it."""
    settings: dict[str, Any] = {}
    settings |= dj_database_url.parse(
        url,
        conn_max_age=CONN_MAX_AGE,
        # A persistent connection that died with a database restart is replaced, not reused
        # (with a pool: the pool checks a connection before handing it out).
        conn_health_checks=True,
    )
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        settings["CONN_MAX_AGE"] = 0
        settings["OPTIONS"] = {
            # Take the write lock when a transaction starts, so two writers queue instead of
            # failing with "database is locked" halfway through an import.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        return settings
    # Django's backend, with prepared statements where a view asks for them (common/prepared.py).
    settings["ENGINE"] = "common.postgresql"
    options = settings.setdefault("OPTIONS", {})
    # Web requests are short: starting parallel workers costs more than it saves, and they
    # would take the cores the application's own workers need (docs/performance.md).
    options["options"] = "-c max_parallel_workers_per_gather=0"
    # Behind PgBouncer in transaction mode a cursor cannot outlive its transaction's server.
    settings["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_TRANSACTION_POOLING")
    if replica:
        # A replica that does not answer is skipped, quickly; the tests' databases are the
        # primary's (a replica's copy of the test database is the test database).
        options.setdefault("connect_timeout", REPLICA_CONNECT_TIMEOUT)
        settings["TEST"] = {"MIRROR": "default"}
    if DATABASE_POOL_MAX > 0:
        settings["CONN_MAX_AGE"] = 0
        options["pool"] = {
            "min_size": min(DATABASE_POOL_MIN, DATABASE_POOL_MAX),
            "max_size": DATABASE_POOL_MAX,
            "timeout": REPLICA_CONNECT_TIMEOUT if replica else DATABASE_POOL_TIMEOUT,
            "max_idle": DATABASE_POOL_MAX_IDLE,
        }
    return settings


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# replica_1, replica_2…: the aliases common/replicas.py chooses among.
DATABASES.update(
    (f"replica_{number}", database(url, replica=True))
    for number, url in enumerate(DATABASE_REPLICA_URLS, start=1)
)
DATABASE_ROUTERS = ["common.replicas.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses any login, right password or not, while an account or address is locked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [SITE_DIR / "static"]

# --- Pictures and other uploads: see docs/pictures.md -----------------------------------------

# Uploads (pictures and their renditions) go to a folder by default — one every app server and
# worker shares (a volume in compose.yaml); with MEDIA_S3_BUCKET set,
# to an S3-compatible object store through django-storages (MEDIA_S3_ENDPOINT_URL for one that
# is not Amazon's; credentials from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")


def media_storage(bucket: str) -> dict[str, Any]:
    """The default storage: a folder, or the S3-compatible bucket `bucket`."""
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        # Pictures are public; their addresses are plain, not signed for an hour.
        "querystring_auth": False,
        "file_overwrite": False,
        "default_acl": None,
    }
    for option, variable in [
        ("endpoint_url", "MEDIA_S3_ENDPOINT_URL"),
        ("region_name", "MEDIA_S3_REGION"),
        ("custom_domain", "MEDIA_S3_CUSTOM_DOMAIN"),
        ("location", "MEDIA_S3_PREFIX"),
    ]:
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(MEDIA_S3_BUCKET),
    # Hashed, compressed names, cached for ever by browsers; with DEBUG on, plain names.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The largest upload kept, and the most pixels it may open to (a decompression bomb is a small
# file that opens to billions): both refused with a form error.
PICTURE_MAX_BYTES = int(os.environ.get("PICTURE_MAX_BYTES", 15_000_000))
PICTURE_MAX_PIXELS = int(os.environ.get("PICTURE_MAX_PIXELS", 50_000_000))

# --- Security: see docs/security.md ---------------------------------------------------------

# HTTPS=1 in production: HSTS, secure cookies, and plain HTTP redirected. Without it the site
# still serves plain HTTP, as on a developer's machine.
HTTPS = env_bool("HTTPS")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers probe over plain HTTP
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Only behind a proxy that sets X-Forwarded-Proto and X-Forwarded-For itself.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Addresses or networks the server may fetch although they are not public (common/outbound.py),
# such as 127.0.0.1 for a test server. Empty: only public addresses, on the usual web ports.
OUTBOUND_ALLOWED_ADDRESSES = env_list("OUTBOUND_ALLOWED_ADDRESSES")

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True


def media_origin(media_url: str) -> list[str]:
    """The origin of MEDIA_URL when it is on another host (https://media.example.com/)."""
    scheme, sep, rest = media_url.partition("://")
    if not sep:
        return []
    return [f"{scheme}://{rest.split('/')[0]}"]


# No inline script anywhere (JSON-LD data blocks are not scripts that run). Inline styles are
# allowed: the admin's widgets write them; scripts are the danger.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # Pictures come from the site itself, or from the media host when MEDIA_URL names one.
        "img-src": ["'self'", "data:", *media_origin(MEDIA_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Admin logins: five failures for one account from one address lock that account from that
# address, and twenty from one address (whatever the accounts) lock the address — further
# attempts refused, even with the right password, for fifteen minutes (common/signin.py).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", 20))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = "common.signin.lockout_parameters"
# With the parameters above, a success clears only its own account's failures from its address.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "common.clientip.client_ip"

# Versions are restored through the compare page (history/versions.py), which restores a story
# with its quotes, people, sources and corrections; the library's own revert form would not.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Jobs: slow work outside the request, see docs/operations.md ----------------------------

# The broker carrying jobs to `manage.py worker`: amqp://user:password@host:5672/vhost (RabbitMQ)
# or redis://host:6379/N. Unset: each job runs in the process that asked for it, once the
# transaction that asked commits — nothing to install or start.
JOB_BROKER_URL = os.environ.get("JOB_BROKER_URL", "")
# The broker's queue of this site's jobs: sites sharing a broker each need their own.
JOB_QUEUE = os.environ.get("JOB_QUEUE", "newsroom-jobs")
# Attempts before a job is marked failed; seconds before the first retry (doubled each time)
# and the longest wait between two attempts.
JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", 5))
JOB_RETRY_BACKOFF = float(os.environ.get("JOB_RETRY_BACKOFF", 10))
JOB_RETRY_BACKOFF_MAX = float(os.environ.get("JOB_RETRY_BACKOFF_MAX", 600))
# Redis only: seconds after which a job taken by a worker that died is handed to another one
# (RabbitMQ notices at once). Longer than the longest job.
JOB_VISIBILITY_TIMEOUT = int(os.environ.get("JOB_VISIBILITY_TIMEOUT", 3600))
# Without a broker, jobs wait for the commit of the transaction that asked for them. Tests
# (whose transactions never commit) run them at once instead.
JOBS_IN_PROCESS_AT_COMMIT = True
# An import of this many stories or more leaves the finder's reading to jobs, one per story.
FINDER_JOBS_FROM = int(os.environ.get("FINDER_JOBS_FROM", 20))

# --- Caching: see docs/performance.md -------------------------------------------------------

# Redis, shared by every worker, when REDIS_URL is set; otherwise each process's own memory.
REDIS_URL = os.environ.get("REDIS_URL", "")


def caches(redis_url: str) -> dict[str, dict[str, Any]]:
    """The cache settings for a Redis at `redis_url`, or each process's memory without one."""
    if not redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "OPTIONS": {"MAX_ENTRIES": 5000},
            }
        }
    return {
        "default": {
            # Django's, keeping its clients (caching/redis.py).
            "BACKEND": "caching.redis.RedisCache",
            "LOCATION": redis_url,
            # A Redis that does not answer within a second is taken as down: pages are served
            # without it (pagecache.py) rather than wait for it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


CACHES: dict[str, dict[str, Any]] = caches(REDIS_URL)

# How long a rendered page is kept for anonymous readers (a day): a change renews the pages that
# show what it changed at once whatever this says (caching/topics.py), so this only bounds how
# long an unchanged page waits for its next reader. 0 turns the page cache off (conditional
# GET stays on).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 0 if DEBUG else 86400))
# Pages each process also keeps in its own memory, in front of the shared cache: at most this
# many, and at most this many megabytes of them (a story's page is some 13 KB, kept deflated in
# some 1.5 KB beside 2 KB of what is kept with it: the megabytes bind first). A page kept there
# is served without a round trip to Redis (caching/watch.py).
PAGE_CACHE_RECENT = int(os.environ.get("PAGE_CACHE_RECENT", 10000))
PAGE_CACHE_RECENT_MB = int(os.environ.get("PAGE_CACHE_RECENT_MB", 24))
# What the code of a release is called (a commit, a version), the same on every server; when
# not set, a digest of the code deployed stands for it.
RELEASE = os.environ.get("RELEASE", "")

# --- Open data: see docs/open-data.md ---------------------------------------------------------

# The read API (/api/v1/): what one anonymous client may ask for, counted per address (IPv6
# per /64) in the cache — shared by every worker with REDIS_URL. "N/s", "N/min", "N/hour" or
# "N/day"; empty turns the limit off. Signed-in staff are not limited.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/min")
# Any site may read the API from a browser: GET only, never with cookies.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "if-none-match", "if-modified-since")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified", "Retry-After")
# Where `export_dataset` writes the dumps that /data/ lists and serves.
DATASET_ROOT = Path(os.environ.get("DATASET_ROOT", BASE_DIR / "datasets"))
# How many dumps /data/ keeps: `export_dataset` removes older ones once a new one is complete.
DATASET_KEEP = int(os.environ.get("DATASET_KEEP", 3))
# The licence of the archive's own material in the dumps and the API: people, relationships,
# stories, sources, outlets, tags. Quotes are not ours to license (opendata/licences.py).
DATA_LICENCE = os.environ.get("DATA_LICENCE", "CC BY 4.0")
DATA_LICENCE_URL = os.environ.get(
    "DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)

# --- Wikidata: `manage.py import_wikidata`, see docs/open-data.md ----------------------------

WIKIDATA_API_URL = os.environ.get("WIKIDATA_API_URL", "https://www.wikidata.org/w/api.php")
# Where an imported fact's source links: the entity's page, at the property (…/Q186304#P26).
WIKIDATA_ENTITY_URL = os.environ.get("WIKIDATA_ENTITY_URL", "https://www.wikidata.org/wiki/")
# Names and aliases taken in these languages; a new person is named in the first that has one.
WIKIDATA_LANGUAGES = env_list("WIKIDATA_LANGUAGES", "en")
# Wikimedia asks every client to say who it is and how to reach its operator: set a contact.
WIKIDATA_USER_AGENT = os.environ.get(
    "WIKIDATA_USER_AGENT",
    "NewsroomArchive/1.0 (celebrity news archive; people import) httpx",
)
WIKIDATA_TIMEOUT = float(os.environ.get("WIKIDATA_TIMEOUT", 10))
# The longest wait a `Retry-After` may ask before the import gives up for now.
WIKIDATA_MAX_WAIT = float(os.environ.get("WIKIDATA_MAX_WAIT", 60))

FIXTURE_DIRS = [SITE_DIR / "fixtures"]

TAGGIT_CASE_INSENSITIVE = True

# --- Logs: see docs/operations.md ------------------------------------------------------------

# "json": one JSON object per line, each with the id of the request it was written for, and
# one line per request (common/logs.py, newsroom/requestid.py). "text": lines as Python writes
# them, for a developer's terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT is {LOG_FORMAT!r}: it may be 'text' or 'json'.")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """The logging settings for a format ("text" or "json") and the root logger's level."""
    json_lines = log_format == "json"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "common.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "common.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                **({"formatter": "json"} if json_lines else {}),
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # A line per request where a log collector reads them; on a developer's terminal
        # runserver writes its own.
        "loggers": {"newsroom.requests": {"level": "INFO"}} if json_lines else {},
    }


LOGGING = logging_config(LOG_FORMAT, LOG_LEVEL)
if LOG_FORMAT == "json":
    # Python's warnings (a library's deprecation, a missing folder) as log records, so that
    # they too are JSON lines rather than text in between.
    logging.captureWarnings(True)
