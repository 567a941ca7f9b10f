from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Run a worker: take jobs from the broker (JOB_BROKER_URL) and do them, until stopped "
        "(SIGTERM finishes the jobs in hand first). Start as many as the work needs, on any "
        "machine that reaches the broker and the database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--concurrency",
            type=int,
            default=2,
            metavar="N",
            help="Jobs done at once by this worker (default: 2).",
        )
        parser.add_argument(
            "--pool",
            choices=["prefork", "threads", "solo"],
            default="prefork",
            help="Processes (default: the finder is CPU work), threads (for many source "
            "checks, which mostly wait), or solo (one job at a time, in this process).",
        )
        parser.add_argument("--loglevel", default="INFO", help="Default: INFO.")

    def handle(
        self, *args: Any, concurrency: int, pool: str, loglevel: str, **options: Any
    ) -> None:
        if not settings.JOB_BROKER_URL:
            raise CommandError(
                "JOB_BROKER_URL is not set: with no broker, jobs run in the process that asks "
                "for them and no worker is needed (e.g. JOB_BROKER_URL=redis://127.0.0.1:6379/3)."
            )
        if concurrency < 1:
            raise CommandError("--concurrency: at least 1.")
        from jobs.worker import app

        app.worker_main(
            [
                "worker",
                f"--concurrency={concurrency}",
                f"--pool={pool}",
                f"--loglevel={loglevel}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        )
