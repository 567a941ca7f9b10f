"""Count every person's public stories, as their pages count them, in one statement: for an
archive older than the job queue, or loaded in bulk (the job queue keeps the counts after each
change; until a person is counted, their page counts in the request)."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from articles.story_counts import count_all


class Command(BaseCommand):
    help = "Count every person's public stories at once (after an upgrade or a bulk load)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counted = count_all()
        self.stdout.write(f"{counted} people counted in {time.monotonic() - started:.1f} s")
