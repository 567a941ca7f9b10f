from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from articles.importer import ImportFailed, import_stories
from articles.models import Article, Publication


class Command(BaseCommand):
    help = (
        "Import story text files (or folders of .txt files) in the archive's story format. "
        "All or nothing: if any file is bad, nothing is written and every problem is listed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be created or updated, and write nothing.",
        )
        parser.add_argument(
            "--status",
            choices=Article.Status.values,
            default=Article.Status.PUBLISHED,
            help="Status of newly created stories (default: published). Stories already in "
            "the archive keep theirs.",
        )
        parser.add_argument(
            "--publication",
            metavar="SLUG",
            help="Outlet of newly created stories, by slug (e.g. vogue).",
        )

    def handle(
        self,
        *args: Any,
        paths: list[Path],
        dry_run: bool,
        status: str,
        publication: str | None,
        **options: Any,
    ) -> None:
        outlet = None
        if publication:
            outlet = Publication.objects.filter(slug=publication).first()
            if outlet is None:
                raise CommandError(f"--publication: no outlet with the slug “{publication}”")

        def progress(number: int, total: int, path: Path) -> None:
            self.stdout.write(f"writing {number}/{total}: {path}")
            self.stdout.flush()

        verbose = options["verbosity"] >= 2
        try:
            outcomes = import_stories(
                paths,
                status=status,
                publication=outlet,
                dry_run=dry_run,
                progress=progress if verbose else None,
            )
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(failure.problems)} problem(s) found; nothing was imported."
            ) from None

        prefix = "would be " if dry_run else ""
        to_check = 0
        queued = sum(1 for outcome in outcomes if outcome.queued)
        for outcome in outcomes:
            article = outcome.article
            self.stdout.write(
                f"{prefix}{outcome.action}: {outcome.path} → {article.published_on} "
                f"“{article.title}”"
            )
            if outcome.found:
                to_check += 1
                self.stdout.write(f"    found, to check: {outcome.found.summary()}")
        counts = {action: 0 for action in ("created", "updated", "unchanged")}
        for outcome in outcomes:
            counts[outcome.action] += 1
        summary = ", ".join(f"{n} {action}" for action, n in counts.items())
        if to_check:
            summary += (
                f"; {to_check} with quotes or people to check "
                "(admin: stories, filter “found by the archive”)"
            )
        if queued:
            summary += (
                f"; the finder reads {'them' if queued > 1 else 'it'} in {queued} job(s) "
                + ("once written" if dry_run else "now (admin: Background jobs)")
            )
        if dry_run:
            summary += " (dry run: nothing was written)"
        self.stdout.write(self.style.SUCCESS(summary))
