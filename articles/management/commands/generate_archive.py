from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from articles.generator import Generator


class Command(BaseCommand):
    help = (
        "Fill the archive with N synthetic stories over 20 years (people, relationships, "
        "quotes, tags, outlets, sources, some drafts), reproducibly, for benchmarks."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--articles", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args: Any, articles: int, seed: int, batch_size: int, **options: Any) -> None:
        if articles < 1:
            raise CommandError("--articles: give a number of stories, 1 or more")
        if batch_size < 1:
            raise CommandError("--batch-size: 1 or more")
        Generator(articles, seed=seed, batch_size=batch_size, report=self.stdout.write).run()
