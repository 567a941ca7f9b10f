import argparse
import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.jobs import CHECK_SOURCE
from articles.models import SourceLink
from articles.sourcecheck import ERROR_MAX_LENGTH, Result, check_urls
from jobs.queue import enqueue_many
from people.models import Source

# Stories' sources and people's: both are citations with the same check fields.
CITATION_MODELS: list[type[SourceLink] | type[Source]] = [SourceLink, Source]

# Addresses checked, then recorded in one transaction: an interrupted run keeps what it did.
BATCH_SIZE = 200

Number = TypeVar("Number", int, float)


def positive_int(text: str) -> int:
    return _number(text, int, lambda n: n >= 1, "a whole number, 1 or more")


def whole_number(text: str) -> int:
    return _number(text, int, lambda n: n >= 0, "a whole number, 0 or more")


def positive_seconds(text: str) -> float:
    return _number(text, float, lambda n: 0 < n <= 300, "a number of seconds above 0, at most 300")


def _number(
    text: str,
    kind: Callable[[str], Number],
    acceptable: Callable[[Number], bool],
    expected: str,
) -> Number:
    number: Number | None
    try:
        number = kind(text)
    except ValueError:
        number = None
    if number is None or not acceptable(number):
        raise argparse.ArgumentTypeError(f"expected {expected}, got “{text}”")
    return number


@dataclass
class Address:
    """One web address and the sources that cite it."""

    url: str
    labels: list[str] = field(default_factory=list)
    never_checked: bool = False
    oldest_check: datetime.datetime | None = None

    def cite(self, label: str, checked_at: datetime.datetime | None) -> None:
        self.labels.append(label)
        if checked_at is None:
            self.never_checked = True
        elif self.oldest_check is None or checked_at < self.oldest_check:
            self.oldest_check = checked_at

    @property
    def label(self) -> str:
        others = len(self.labels) - 1
        return self.labels[0] + (f", and {others} more" if others else "")


class Command(BaseCommand):
    help = (
        "Check that the web addresses of sources (stories' and people's) still answer, and "
        "record on each source the answer and when it was checked. Each address is asked "
        "once, politely. Broken links are reported, not treated as a failure."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--timeout",
            type=positive_seconds,
            default=5.0,
            metavar="S",
            help="Seconds to wait for each answer, at most 300 (default: 5).",
        )
        parser.add_argument(
            "--concurrency",
            type=positive_int,
            default=8,
            metavar="N",
            help="Requests in flight at once, in all (default: 8).",
        )
        parser.add_argument(
            "--per-host",
            type=positive_int,
            default=2,
            metavar="N",
            help="Requests in flight at once to one site (default: 2).",
        )
        parser.add_argument(
            "--retries",
            type=whole_number,
            default=2,
            metavar="N",
            help="Extra attempts after a timeout, a refused connection or a “try later” "
            "answer (429, 502, 503, 504), spaced out (default: 2).",
        )
        parser.add_argument(
            "--older-than",
            type=whole_number,
            metavar="DAYS",
            help="Only addresses never checked, or last checked more than DAYS days ago.",
        )
        parser.add_argument(
            "--limit",
            type=positive_int,
            metavar="N",
            help="Check at most N addresses: the never checked first, then the oldest checks.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report, but record nothing.",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Check nothing here: queue one job per address for the workers "
            "(manage.py worker), which record the answers as they come. An address already "
            "queued is not queued twice.",
        )

    def handle(
        self,
        *args: Any,
        timeout: float,
        concurrency: int,
        per_host: int,
        retries: int,
        older_than: int | None,
        limit: int | None,
        **options: Any,
    ) -> None:
        dry_run = options["dry_run"]
        verbosity = options["verbosity"]
        addresses = self.addresses_due(older_than)[:limit]
        if options["queue"]:
            if dry_run:
                raise CommandError("--queue and --dry-run: the workers record what they check.")
            self.queue(addresses, timeout=timeout, retries=retries)
            return
        self.stdout.write(
            f"checking {len(addresses)} addresses ({concurrency} at once, {per_host} per site, "
            f"timeout {timeout:g} s, {retries} retries)…"
        )

        def progress(url: str, result: Result) -> None:
            if verbosity >= 2:
                self.stdout.write(f"  {describe(result)} {url}")

        results: dict[str, Result] = {}
        recorded = 0
        for start in range(0, len(addresses), BATCH_SIZE):
            batch = [address.url for address in addresses[start : start + BATCH_SIZE]]
            checked = check_urls(
                batch,
                timeout=timeout,
                concurrency=concurrency,
                per_host=per_host,
                retries=retries,
                on_result=progress,
            )
            if not dry_run:
                recorded += record(checked)
            results.update(checked)
            if len(addresses) > BATCH_SIZE:
                self.stdout.write(f"checked {len(results)}/{len(addresses)} addresses")

        self.report(addresses, results)
        if dry_run:
            self.stdout.write("dry run: nothing was written")
        else:
            self.stdout.write(f"recorded on {recorded} sources")

    def queue(self, addresses: list[Address], *, timeout: float, retries: int) -> None:
        queued = enqueue_many(
            CHECK_SOURCE, [address.url for address in addresses], timeout=timeout, retries=retries
        )
        waiting = len(addresses) - queued
        self.stdout.write(
            self.style.SUCCESS(
                f"queued {queued} address checks for the workers"
                + (f" ({waiting} already waiting)" if waiting else "")
                + " (admin: Background jobs, kind “check_source”)"
            )
        )

    def addresses_due(self, older_than: int | None) -> list[Address]:
        """Distinct addresses to check: the never checked first, then the longest unchecked."""
        addresses: dict[str, Address] = {}
        for model in CITATION_MODELS:
            sources = model.objects.exclude(url="")
            if older_than is not None:
                cutoff = timezone.now() - datetime.timedelta(days=older_than)
                sources = sources.filter(Q(checked_at__isnull=True) | Q(checked_at__lt=cutoff))
            rows = sources.order_by("pk").values_list("url", "label", "checked_at")
            for url, label, checked_at in rows.iterator(chunk_size=2000):
                addresses.setdefault(url, Address(url)).cite(label, checked_at)
        oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        return sorted(
            addresses.values(),
            key=lambda a: (not a.never_checked, a.oldest_check or oldest, a.url),
        )

    def report(self, addresses: list[Address], results: dict[str, Result]) -> None:
        counts = {"ok": 0, "broken": 0, "unreachable": 0}
        for result in results.values():
            counts[result.outcome] += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"checked {len(results)} addresses: {counts['ok']} ok, "
                f"{counts['broken']} broken, {counts['unreachable']} unreachable"
            )
        )
        for address in sorted(addresses, key=lambda a: a.url):
            result = results[address.url]
            if not result.ok:
                line = f"{describe(result)} {address.url} ({address.label})"
                if result.error:
                    line += f": {result.error}"
                self.stdout.write(self.style.WARNING(line))


def describe(result: Result) -> str:
    return "---" if result.status is None else str(result.status)


def record(results: dict[str, Result]) -> int:
    """Write the answers on every source citing each address; returns how many sources.

    One UPDATE per distinct answer and model (all the addresses that answered 200 at once),
    never one per row, and never `save()`: a check is not an edit, so neither the story's
    revision nor its version history moves.
    """
    by_answer: defaultdict[tuple[int | None, str], list[str]] = defaultdict(list)
    for url, result in results.items():
        by_answer[(result.status, result.error[:ERROR_MAX_LENGTH])].append(url)
    checked_at = timezone.now()
    updated = 0
    with transaction.atomic():
        for (status, error), urls in by_answer.items():
            for model in CITATION_MODELS:
                updated += model.objects.filter(url__in=urls).update(
                    check_status=status, check_error=error, checked_at=checked_at
                )
    return updated
