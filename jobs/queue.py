"""Enqueue a job, and run one: the queue's rules, whoever carries the messages.

A job is a row (`Job`) before it is a message: the row is written in the transaction that asks
for the work, so work asked for by a save that is rolled back is never done, and the message
(the job's id) is sent once that transaction commits. A worker that receives it:

1. takes the job's lock — a PostgreSQL advisory lock held by the worker's own database
   session, so it goes with the worker if the worker dies. A lock held elsewhere means a live
   worker has the job: the message is tried again later;
2. skips a job already done or failed (a message delivered twice does nothing);
3. marks it running, counts the attempt, does the work, and marks it done — or, after an
   error, queued again with a growing delay (`JOB_RETRY_BACKOFF` doubled at each attempt, at
   most `JOB_RETRY_BACKOFF_MAX`), and failed after `JOB_MAX_ATTEMPTS` attempts.

A worker killed mid-job never acknowledged its message: the broker hands it to another worker,
which finds the job “running” with no lock on it and runs it again. The work itself is
idempotent, so a half-done first attempt does no harm.
"""

import logging
import threading
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone

from .models import Job
from .registry import work_for

log = logging.getLogger(__name__)

# The advisory locks of jobs live in a key space of their own: (this << 40) | the job's id.
LOCK_SPACE = 0x6A6F62
# A message for a job a live worker holds is tried again after this many seconds.
BUSY_WAIT = 30.0


@dataclass(frozen=True)
class Outcome:
    """What one delivery of a job's message came to. `retry_in`: seconds before the message
    is to be delivered again (a retry, or a job another worker holds), else None."""

    state: str
    retry_in: float | None = None


def enqueue(kind: str, target: str, **arguments: object) -> Job:
    """Ask for `kind` of work on `target`, once: a job of that kind and target already waiting
    is reused (with these arguments). Sent to the workers when the current transaction
    commits; with no broker, run in this process then."""
    work_for(kind)  # an unknown kind is refused at once, not found out by a worker
    target = str(target)
    with transaction.atomic():
        job = (
            Job.objects.select_for_update()
            .filter(kind=kind, target=target, state=Job.State.QUEUED)
            .first()
        )
        if job is not None:
            if job.arguments != arguments:
                job.arguments = arguments
                job.save(update_fields=["arguments"])
            return job
        try:
            with transaction.atomic():
                job = Job.objects.create(kind=kind, target=target, arguments=arguments)
        except IntegrityError:
            # Queued by another process between the look and the insert: theirs is ours.
            return Job.objects.get(kind=kind, target=target, state=Job.State.QUEUED)
    send_at_commit(job.pk)
    return job


def enqueue_many(kind: str, targets: "list[str]", **arguments: object) -> int:
    """`enqueue` for many targets at once (10,000 source checks): a few queries in all, not a
    few per job. Targets already waiting are left as they are. Returns how many were queued."""
    work_for(kind)
    wanted = list(dict.fromkeys(str(target) for target in targets))
    queued = 0
    with transaction.atomic():
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            waiting = Job.objects.filter(kind=kind, target__in=batch, state=Job.State.QUEUED)
            known = set(waiting.values_list("target", flat=True))
            Job.objects.bulk_create(
                [Job(kind=kind, target=t, arguments=arguments) for t in batch if t not in known],
                ignore_conflicts=True,  # queued meanwhile by another process: theirs stands
            )
            fresh = list(waiting.exclude(target__in=known).values_list("pk", flat=True))
            for job_id in fresh:
                send_at_commit(job_id)
            queued += len(fresh)
    return queued


BATCH = 1000


class AtCommit:
    """The jobs one transaction asks for once it commits, by kind: each target once."""

    def __init__(self) -> None:
        self.targets: dict[str, set[str]] = {}
        self.done = False

    def commit(self) -> None:
        self.done = True
        for kind, targets in self.targets.items():
            enqueue_many(kind, sorted(targets))


_at_commit = threading.local()


def enqueue_at_commit(kind: str, targets: "Iterable[object]") -> None:
    """Ask for `kind` of work on `targets` once the current transaction commits (at once
    outside one): a story saved with its people and tags, or an import of a thousand, asks
    once for each target, in one batch. Nothing is asked if the transaction rolls back."""
    work_for(kind)
    wanted = {str(target) for target in targets if target is not None}
    if not wanted:
        return
    connection = transaction.get_connection()
    batch: AtCommit | None = getattr(_at_commit, "current", None)
    if (
        batch is None
        or batch.done
        or not connection.in_atomic_block
        or not any(func == batch.commit for _, func, _ in connection.run_on_commit)
    ):
        batch = _at_commit.current = AtCommit()
        batch.targets.setdefault(kind, set()).update(wanted)
        transaction.on_commit(batch.commit, robust=True)
    else:
        batch.targets.setdefault(kind, set()).update(wanted)


def send_at_commit(job_id: int) -> None:
    if settings.JOB_BROKER_URL or settings.JOBS_IN_PROCESS_AT_COMMIT:
        transaction.on_commit(lambda: dispatch(job_id), robust=True)
    else:
        dispatch(job_id)


def dispatch(job_id: int) -> None:
    """Hand the job to the workers, or run it here when there is no broker. A broker that does
    not answer leaves the job queued (logged), for `send_again`: what asked for it stands."""
    if settings.JOB_BROKER_URL:
        from .worker import run_job

        try:
            run_job.apply_async((job_id,))
        except Exception as error:
            log.error("jobs: job %s not sent (%s: %s)", job_id, type(error).__name__, error)
        return
    outcome = execute(job_id)
    while outcome.state == Job.State.QUEUED:  # in-process retries come at once
        outcome = execute(job_id)


def send_again(jobs: "list[Job]") -> int:
    """Queue `jobs` (failed, or queued but whose message was lost) and send them again; a job
    whose kind and target already wait in the queue is left alone. Returns how many."""
    sent = 0
    for job in jobs:
        if job.state == Job.State.RUNNING:
            continue
        try:
            with transaction.atomic():
                updated = Job.objects.filter(
                    pk=job.pk, state__in=[Job.State.QUEUED, Job.State.FAILED]
                ).update(state=Job.State.QUEUED, retry_at=None, attempts=0)
        except IntegrityError:
            continue
        if updated:
            send_at_commit(job.pk)
            sent += 1
    return sent


def backoff(attempts: int) -> float:
    """Seconds before the next attempt, after `attempts` failed ones."""
    delay = settings.JOB_RETRY_BACKOFF * 2 ** max(attempts - 1, 0)
    return float(min(delay, settings.JOB_RETRY_BACKOFF_MAX))


def execute(job_id: int) -> Outcome:
    """Run job `job_id` if it is due and no live worker holds it (see the module's text)."""
    with held(job_id) as mine:
        if not mine:
            return Outcome("busy", retry_in=BUSY_WAIT)
        job = Job.objects.filter(pk=job_id).first()
        if job is None or job.state in (Job.State.DONE, Job.State.FAILED):
            return Outcome(job.state if job else "gone")
        now = timezone.now()
        Job.objects.filter(pk=job_id).update(
            state=Job.State.RUNNING, attempts=F("attempts") + 1, started_at=now, retry_at=None
        )
        job.refresh_from_db()
        try:
            result = work_for(job.kind)(job.target, **job.arguments)
        except Exception as error:
            return failed(job, error)
        Job.objects.filter(pk=job_id).update(
            state=Job.State.DONE, result=(result or "")[:300], finished_at=timezone.now()
        )
        return Outcome(Job.State.DONE)


def failed(job: Job, error: Exception) -> Outcome:
    log.exception("jobs: %s failed (attempt %s)", job, job.attempts)
    text = "".join(traceback.format_exception_only(error)).strip()
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, last_error=text, finished_at=timezone.now()
        )
        return Outcome(Job.State.FAILED)
    delay = backoff(job.attempts)
    try:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                state=Job.State.QUEUED,
                last_error=text,
                retry_at=timezone.now() + timedelta(seconds=delay),
            )
    except IntegrityError:
        # The same work was asked for again meanwhile and waits: that job will do it.
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED,
            last_error=f"{text}\n(not retried: the same job is queued again)",
            finished_at=timezone.now(),
        )
        return Outcome(Job.State.FAILED)
    return Outcome(Job.State.QUEUED, retry_in=delay)


@contextmanager
def held(job_id: int) -> Iterator[bool]:
    """Whether this process got job `job_id`'s lock, held until the block ends. On PostgreSQL
    a session's advisory lock, gone with the session when its process dies; elsewhere (SQLite,
    one machine, for development) every caller gets it."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        yield True
        return
    key = (LOCK_SPACE << 40) | job_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        mine = bool(cursor.fetchone()[0])
    try:
        yield mine
    finally:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def pending(kind: str, target: str) -> bool:
    """Whether a job of `kind` on `target` waits or runs."""
    return Job.objects.filter(
        kind=kind, target=str(target), state__in=[Job.State.QUEUED, Job.State.RUNNING]
    ).exists()
