"""The job queue, measured: an admin save with the finder in the request and out of it, and
a queue of source checks drained by one worker and by two.

    python -m bench.queue save  [--articles 50000] [--database-url URL] [--repeat 5]
    python -m bench.queue drain [--checks 10000] [--workers 1] [--database-url URL]
                                [--broker-url amqp://guest:guest@127.0.0.1:5672//]

`save` posts a story's change form in the admin, in-process (Django's test client, a staff user
`bench-editor`), on a generated archive: first with no broker, the finder read at the commit of
the save, inside the request, as before; then with a broker, the finder queued (nothing sent:
the benchmark's broker setting only makes the save queue the job). The fastest of `--repeat`
saves each way, in milliseconds; the fastest, not the median, on a shared machine.

`drain` cites `--checks` addresses of a server of its own on 127.0.0.1 (answering 200 to
every request) from a story of a scratch database, queues one check per address
(`check_sources --queue`), starts `--workers` workers (`manage.py worker --pool threads
--concurrency 8`) on a queue of its own, and times until every job is done. The workers are
stopped and the queue deleted afterwards.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from bench.common import ROOT, ensure_database, in_process

if TYPE_CHECKING:
    from django.test import Client

SAVE_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"
DRAIN_URL = "postgres://postgres@127.0.0.1:5432/newsroom_queue_drain"


def fastest_save(client: "Client", url: str, repeat: int) -> float:
    from tests.forms import form_data

    times = []
    for _ in range(repeat + 1):  # the first warms up
        data = form_data(client.get(url).content.decode(), "article_form")
        started = time.perf_counter()
        response = client.post(url, {**data, "_save": "Save"})
        times.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
    return min(times[1:]) * 1000


def save(args: argparse.Namespace) -> None:
    in_process(args.database_url, args.articles)
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from articles.models import Article

    settings.ALLOWED_HOSTS = ["testserver"]
    user, _ = User.objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    # The story whose reading costs most: the one naming the most people of a big archive.
    story = Article.objects.order_by("-pk").first()
    url = reverse("admin:articles_article_change", args=[story.pk])
    settings.JOB_BROKER_URL = ""
    inside = fastest_save(client, url, args.repeat)
    settings.JOB_BROKER_URL = "amqp://bench.invalid//"
    import jobs.queue

    # The save queues the job; sending it is the broker's affair, not timed here.
    jobs.queue.dispatch = lambda job_id: None
    outside = fastest_save(client, url, args.repeat)
    print(f"admin save of story {story.pk} ({Article.objects.count():,} stories)")
    print(f"  finder inside the request: {inside:,.0f} ms")
    print(f"  finder queued:             {outside:,.0f} ms")


class Answer(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def drain(args: argparse.Namespace) -> None:
    ensure_database(args.database_url)
    outlet = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    outlet.daemon_threads = True
    threading.Thread(target=outlet.serve_forever, daemon=True).start()
    queue = f"newsroom-bench-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "JOB_BROKER_URL": args.broker_url,
        "JOB_QUEUE": queue,
        "OUTBOUND_ALLOWED_ADDRESSES": "127.0.0.1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True)
    port = outlet.server_address[1]
    subprocess.run(
        [*manage, "shell", "-c", CITE.format(checks=args.checks, port=port)], env=env, check=True
    )
    started = time.perf_counter()
    subprocess.run([*manage, "check_sources", "--queue"], env=env, check=True)
    queued = time.perf_counter() - started
    workers = [
        subprocess.Popen(
            [*manage, "worker", "--pool=threads", "--concurrency=8", "--loglevel=WARNING"],
            env=env,
            start_new_session=True,
        )
        for _ in range(args.workers)
    ]
    import psycopg

    try:
        with psycopg.connect(args.database_url, autocommit=True) as database:
            while True:
                (left,) = database.execute(
                    "SELECT count(*) FROM jobs_job WHERE state IN ('queued', 'running')"
                ).fetchone()
                if not left:
                    break
                time.sleep(0.2)
            (failed,) = database.execute(
                "SELECT count(*) FROM jobs_job WHERE state = 'failed'"
            ).fetchone()
        drained = time.perf_counter() - started - queued
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(60)
        from kombu import Connection

        with Connection(args.broker_url) as connection:
            connection.channel().queue_delete(queue)
            connection.channel().exchange_delete(queue)
        outlet.shutdown()
    print(
        f"{args.checks:,} checks queued in {queued:.1f} s, drained by {args.workers} "
        f"worker(s) in {drained:.1f} s ({args.checks / drained:,.0f} a second), {failed} failed"
    )


# The scratch database's one story citing every address; earlier runs' jobs and sources go.
CITE = """
from articles.models import Article, SourceLink
from jobs.models import Job
import datetime
Job.objects.all().delete()
SourceLink.objects.all().delete()
story, _ = Article.objects.get_or_create(
    slug="bench-sources",
    published_on=datetime.date(2024, 1, 1),
    defaults={{"title": "Bench sources", "body": "A story citing many sources."}},
)
SourceLink.objects.bulk_create(
    SourceLink(article=story, label=f"source {{n}}", url=f"http://127.0.0.1:{port}/s/{{n}}")
    for n in range({checks})
)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("save")
    saving.add_argument("--articles", type=int, default=50_000)
    saving.add_argument("--database-url", default=SAVE_URL)
    saving.add_argument("--repeat", type=int, default=5)
    draining = commands.add_parser("drain")
    draining.add_argument("--checks", type=int, default=10_000)
    draining.add_argument("--workers", type=int, default=1)
    draining.add_argument("--database-url", default=DRAIN_URL)
    draining.add_argument("--broker-url", default="amqp://guest:guest@127.0.0.1:5672//")
    args = parser.parse_args()
    {"save": save, "drain": drain}[args.command](args)


if __name__ == "__main__":
    main()
