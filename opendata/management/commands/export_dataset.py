from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobs.queue import enqueue
from opendata.dataset import ExportError, export
from opendata.jobs import EXPORT_DATASET


class Command(BaseCommand):
    help = (
        "Write the public archive into DIR as a new dump: gzipped JSON Lines of people, "
        "relationships, stories, quotes, sources, outlets and tags, CSV of people and "
        "relationships, and a manifest (counts, date, edition, licences, checksums). The dump "
        "appears whole or not at all; DIR/latest points to the newest."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            metavar="DIR",
            help="Where the dumps live (default: DATASET_ROOT, the folder /data/ serves).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.DATASET_KEEP,
            help="How many dumps to keep in DIR, the new one included (default: DATASET_KEEP).",
        )

        parser.add_argument(
            "--queue",
            action="store_true",
            help="Write nothing here: queue the dump for a worker (manage.py worker). Asked "
            "again while it waits, it is written once.",
        )

    def handle(self, *args: Any, directory: Path | None, keep: int, **options: Any) -> None:
        if keep < 1:
            raise CommandError("--keep: at least 1 (the dump being written).")
        root = directory or settings.DATASET_ROOT
        if options["queue"]:
            job = enqueue(EXPORT_DATASET, str(Path(root).resolve()), keep=keep)
            self.stdout.write(self.style.SUCCESS(f"queued: {job.kind} {job.target}"))
            return

        def report(line: str) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(line)
                self.stdout.flush()

        try:
            written = export(root, keep=keep, report=report)
        except ExportError as error:
            raise CommandError(f"{error} Nothing was written.") from None
        except OSError as error:
            raise CommandError(
                f"{error.filename or root}: {error.strerror or error}. The dump was abandoned; "
                "earlier dumps are as they were."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"written: {written}"))
