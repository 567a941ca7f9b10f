"""Choose the stories each story's page suggests, for stories that have never been chosen for
(an archive older than the job queue, or loaded in bulk): the pages score them in the request
until then."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from articles.models import Article
from articles.related import RELATE_AGAIN, choose
from jobs.queue import enqueue_many


class Command(BaseCommand):
    help = "Choose the related stories of the newest stories, here or on the job queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--newest",
            type=int,
            metavar="N",
            help="only the N newest published stories (the most read); all stories by default",
        )
        parser.add_argument(
            "--queue", action="store_true", help="queue the work for the workers instead"
        )
        parser.add_argument(
            "--again",
            action="store_true",
            help="choose again for stories already chosen for, too",
        )

    def handle(
        self, *args: Any, newest: int | None, queue: bool, again: bool, **options: Any
    ) -> None:
        if newest is not None and newest < 1:
            self.stderr.write("--newest must be 1 or more")
            raise SystemExit(2)
        stories = Article.objects.published().order_by("-published_on", "-id")
        if not again:
            stories = stories.filter(related_links__isnull=True)
        ids = list(stories.values_list("pk", flat=True)[:newest])
        if queue:
            queued = enqueue_many(RELATE_AGAIN, [str(pk) for pk in ids])
            self.stdout.write(f"{queued} stories queued")
            return
        changed = 0
        for number, pk in enumerate(ids, start=1):
            chosen = choose(pk)
            changed += chosen is not None and chosen[0] != chosen[1]
            if number % 1000 == 0:
                self.stdout.write(f"{number} of {len(ids)} stories…")
        self.stdout.write(f"{len(ids)} stories chosen for, {changed} changed")
