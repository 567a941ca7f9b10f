from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from people.wikidata.api import Client, UnknownEntities, WikidataUnavailable, gather
from people.wikidata.entities import QID, MalformedAnswer, WikidataRefused
from people.wikidata.importer import Outcome, import_entities

NOTES_SHOWN = 20


class Command(BaseCommand):
    help = (
        "People and their relationships from Wikidata, by item id (Q186304). Blanks are "
        "filled and every fact cites its Wikidata statement; a value that differs from what "
        "an editor entered is proposed for an editor to check, never written over it. One "
        "transaction: on any error nothing is written."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("qids", nargs="+", metavar="QID", help="Wikidata item ids.")
        parser.add_argument(
            "--depth",
            type=int,
            choices=[0, 1],
            default=0,
            help="1: also bring the people at the other end of their relationships "
            "(spouses, partners, parents, children, siblings). Default 0: only relationships "
            "with people already in the archive.",
        )
        parser.add_argument(
            "--languages",
            metavar="LANG,LANG",
            help="Languages of the names and aliases taken, the name from the first that has "
            "one (default: the WIKIDATA_LANGUAGES setting, "
            f"{','.join(settings.WIKIDATA_LANGUAGES)}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )

    def handle(
        self,
        *args: Any,
        qids: list[str],
        depth: int,
        languages: str | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        wanted = []
        for qid in qids:
            if not QID.match(qid.strip().upper()):
                raise CommandError(f"“{qid}” is not a Wikidata item id (like Q186304).")
            wanted.append(qid.strip().upper())
        codes = (
            [code.strip() for code in languages.split(",") if code.strip()]
            if languages
            else list(settings.WIKIDATA_LANGUAGES)
        )
        if not codes:
            raise CommandError("--languages: give at least one language code (en).")
        client = Client(
            url=settings.WIKIDATA_API_URL,
            user_agent=settings.WIKIDATA_USER_AGENT,
            languages=codes,
            timeout=settings.WIKIDATA_TIMEOUT,
            max_wait=settings.WIKIDATA_MAX_WAIT,
        )
        try:
            gathered = gather(client, list(dict.fromkeys(wanted)), depth)
        except UnknownEntities as unknown:
            raise CommandError(f"{unknown}. Nothing was written.") from None
        except (WikidataUnavailable, WikidataRefused) as failure:
            raise CommandError(f"{failure}. Nothing was written.") from None
        except MalformedAnswer as failure:
            raise CommandError(
                f"Wikidata's answer is malformed: {failure}. Nothing was written."
            ) from None
        self.stdout.write(
            f"Read {len(gathered.entities)} entities from Wikidata in {client.requests} request(s)."
        )
        try:
            with transaction.atomic():
                outcome = import_entities(
                    gathered.entities, entity_url=settings.WIKIDATA_ENTITY_URL, depth=depth
                )
                if dry_run:
                    transaction.set_rollback(True)
        except (ValidationError, DatabaseError, ValueError) as failure:
            raise CommandError(f"The import failed: {failure}. Nothing was written.") from None
        self.report(outcome, gathered.notes, dry_run, options["verbosity"])

    def report(self, outcome: Outcome, notes: list[str], dry_run: bool, verbosity: int) -> None:
        would = "would be " if dry_run else ""
        for title, lines in (
            (f"People {would}created", outcome.people_created),
            (f"People {would}updated", outcome.people_updated),
            (
                f"{'Would be proposed' if dry_run else 'Proposed'} for an editor to check "
                "(admin › Proposals)",
                outcome.proposals,
            ),
        ):
            if lines:
                self.stdout.write(f"{title}: {len(lines)}")
                for line in lines:
                    self.stdout.write(f"  {line}")
        if outcome.relationships_created or outcome.relationships_updated:
            self.stdout.write(
                f"Relationships {would}created: {outcome.relationships_created}, "
                f"{would}updated: {outcome.relationships_updated}"
            )
        left_out = [*notes, *outcome.notes]
        if left_out:
            self.stdout.write(f"Left out: {len(left_out)}")
            shown = left_out if verbosity >= 2 else left_out[:NOTES_SHOWN]
            for line in shown:
                self.stdout.write(f"  {line}")
            if len(shown) < len(left_out):
                self.stdout.write(f"  … and {len(left_out) - len(shown)} more (-v 2 lists all)")
        if not outcome.changed_anything:
            self.stdout.write(self.style.SUCCESS("Nothing changed: the archive already agrees."))
        elif dry_run:
            self.stdout.write(self.style.SUCCESS("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS("Done."))
