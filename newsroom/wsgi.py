import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve with the development secret key.
from newsroom.checks import secret_key_is_set  # noqa: E402

if _errors := secret_key_is_set(None):
    raise ImproperlyConfigured(f"{_errors[0].msg} {_errors[0].hint}")
