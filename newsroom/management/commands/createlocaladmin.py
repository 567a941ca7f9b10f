import secrets
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "On a developer's machine (DEBUG on): create or reset the superuser “admin” with a "
        "fresh random password, and print how to log in. Refused in production."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args: Any, username: str, url: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "refused: DEBUG is off. In production create accounts with "
                "`python manage.py createsuperuser`."
            )
        password = secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"Log in at {url} as “{username}” with the password {password}\n"
            "(a local account; the password is new each time `make run` starts)."
        )
