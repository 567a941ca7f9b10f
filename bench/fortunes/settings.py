"""As little Django as serves a page from the database: no middleware, no other app.

`SECRET_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL` come from the environment, as in Newsroom.
"""

import os

import dj_database_url

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = [host for host in os.environ.get("ALLOWED_HOSTS", "").split(",") if host]

INSTALLED_APPS = ["bench.fortunes"]
MIDDLEWARE = []
ROOT_URLCONF = "bench.fortunes.urls"
WSGI_APPLICATION = "bench.fortunes.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
    }
]

# The same persistent connections as Newsroom's settings, so both pay the same per request.
DATABASES = {"default": dj_database_url.config(conn_max_age=600, conn_health_checks=True)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
