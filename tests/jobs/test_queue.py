"""The queue's rules, in this process (no broker): one queued job per kind and target, retries
with backoff, failure with the error kept, work that waits for the commit, and a job a live
worker holds left alone."""

import time

import psycopg
import pytest
from django.db import connection, transaction

from jobs import queue
from jobs.models import Job
from jobs.queue import backoff, enqueue, enqueue_many, execute, pending, send_again
from jobs.registry import UnknownKind, job

done: list[tuple[str, dict]] = []
failures = {"left": 0}


@job("test_note")
def note(target: str, **arguments) -> str:
    done.append((target, arguments))
    return f"noted {target}"


@job("test_flaky")
def flaky(target: str) -> str:
    if failures["left"] > 0:
        failures["left"] -= 1
        raise ConnectionError("the outlet hung up")
    return "fine at last"


@pytest.fixture(autouse=True)
def fresh():
    done.clear()
    failures["left"] = 0


def test_a_job_runs_and_reports_to_its_row(db):
    ran = enqueue("test_note", "7", size=3)
    ran.refresh_from_db()
    assert done == [("7", {"size": 3})]
    assert (ran.state, ran.attempts, ran.result, ran.last_error) == ("done", 1, "noted 7", "")
    assert ran.started_at and ran.finished_at and ran.finished_at >= ran.started_at


def test_enqueuing_the_same_work_twice_while_it_waits_queues_it_once(db, settings):
    settings.JOBS_IN_PROCESS_AT_COMMIT = True  # nothing runs: the test never commits
    first = enqueue("test_note", "42", size=1)
    second = enqueue("test_note", "42", size=2)
    assert first.pk == second.pk
    assert Job.objects.filter(kind="test_note", target="42").count() == 1
    assert Job.objects.get(pk=first.pk).arguments == {"size": 2}  # the newer arguments
    assert pending("test_note", "42")
    other = enqueue("test_note", "43")
    assert other.pk != first.pk


def test_many_jobs_are_queued_at_once_and_each_once(db, settings):
    settings.JOBS_IN_PROCESS_AT_COMMIT = True
    enqueue("test_note", "2")
    assert enqueue_many("test_note", ["1", "2", "3", "3"], size=1) == 2
    assert enqueue_many("test_note", ["1", "2", "3", "4"], size=1) == 1
    assert sorted(Job.objects.values_list("target", flat=True)) == ["1", "2", "3", "4"]
    assert Job.objects.get(target="1").arguments == {"size": 1}


def test_work_asked_for_while_the_same_job_runs_is_queued_again(db, settings):
    settings.JOBS_IN_PROCESS_AT_COMMIT = True
    running = enqueue("test_note", "5")
    Job.objects.filter(pk=running.pk).update(state=Job.State.RUNNING)
    again = enqueue("test_note", "5")
    assert again.pk != running.pk and again.state == Job.State.QUEUED


def test_a_failing_job_is_retried_then_done(db, settings):
    settings.JOB_MAX_ATTEMPTS = 5
    failures["left"] = 2
    flaky_job = enqueue("test_flaky", "x")
    flaky_job.refresh_from_db()
    assert (flaky_job.state, flaky_job.attempts, flaky_job.result) == ("done", 3, "fine at last")
    assert "ConnectionError: the outlet hung up" in flaky_job.last_error


def test_a_job_failing_every_attempt_is_failed_with_its_error(db, settings):
    settings.JOB_MAX_ATTEMPTS = 3
    failures["left"] = 10
    failed = enqueue("test_flaky", "y")
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("failed", 3)
    assert failed.last_error == "ConnectionError: the outlet hung up"
    assert failed.finished_at is not None
    assert not pending("test_flaky", "y")
    # An operator runs it again once the outlet is back.
    failures["left"] = 0
    assert send_again([failed]) == 1
    failed.refresh_from_db()
    assert (failed.state, failed.result) == ("done", "fine at last")


def test_a_retry_waits_longer_each_time_up_to_a_limit(db, settings):
    settings.JOB_RETRY_BACKOFF = 10
    settings.JOB_RETRY_BACKOFF_MAX = 60
    assert [backoff(n) for n in range(1, 6)] == [10, 20, 40, 60, 60]
    settings.JOBS_IN_PROCESS_AT_COMMIT = True
    failures["left"] = 1
    waiting = enqueue("test_flaky", "z")
    outcome = execute(waiting.pk)
    waiting.refresh_from_db()
    assert outcome == queue.Outcome("queued", retry_in=10)
    assert waiting.state == "queued" and waiting.retry_at is not None


def test_a_message_delivered_twice_runs_the_job_once(db, settings):
    settings.JOBS_IN_PROCESS_AT_COMMIT = True
    once = enqueue("test_note", "9")
    assert execute(once.pk).state == "done"
    assert execute(once.pk).state == "done"
    assert done == [("9", {})]


def test_an_unknown_kind_is_refused_when_asked_for(db):
    with pytest.raises(UnknownKind, match="no_such_work"):
        enqueue("no_such_work", "1")
    assert not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_job_runs_once_its_transaction_commits(settings):
    settings.JOBS_IN_PROCESS_AT_COMMIT = True
    with transaction.atomic():
        waiting = enqueue("test_note", "after-commit")
        assert done == []
        assert Job.objects.get(pk=waiting.pk).state == "queued"
    assert done == [("after-commit", {})]
    assert Job.objects.get(pk=waiting.pk).state == "done"


@pytest.mark.django_db(transaction=True)
def test_work_asked_for_by_a_rolled_back_transaction_is_never_done(settings):
    settings.JOBS_IN_PROCESS_AT_COMMIT = True
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("test_note", "rolled-back")
        raise RuntimeError("the save failed")
    assert done == [] and not Job.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_work_asked_for_at_the_commit_is_asked_once_per_target_and_never_after_a_rollback():
    with transaction.atomic():
        for target in ["a", "b", "a", None, "b"]:
            queue.enqueue_at_commit("test_note", [target])
        assert done == [] and not Job.objects.exists()
    assert sorted(target for target, _ in done) == ["a", "b"]
    assert Job.objects.filter(kind="test_note").count() == 2

    with pytest.raises(RuntimeError), transaction.atomic():
        queue.enqueue_at_commit("test_note", ["c"])
        raise RuntimeError("the save failed")
    # The next transaction's batch is its own, not the rolled-back one's.
    with transaction.atomic():
        queue.enqueue_at_commit("test_note", ["d"])
    assert sorted(target for target, _ in done) == ["a", "b", "d"]

    queue.enqueue_at_commit("test_note", ["outside"])  # no transaction: at once
    assert done[-1] == ("outside", {})
    with pytest.raises(UnknownKind):
        queue.enqueue_at_commit("no_such_kind", ["x"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_a_live_worker_holds_is_left_to_it():
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's (SQLite runs one process, for development)")
    # Taken by a worker: running, its first attempt.
    held = Job.objects.create(kind="test_note", target="held", state="running", attempts=1)
    params = connection.get_connection_params()
    other = psycopg.connect(
        **{k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port")},
        autocommit=True,
    )
    try:
        # Another worker's session holds the job's lock: that worker is alive and at work.
        other.execute("SELECT pg_advisory_lock(%s)", [(queue.LOCK_SPACE << 40) | held.pk])
        assert execute(held.pk) == queue.Outcome("busy", retry_in=queue.BUSY_WAIT)
        assert done == []
        backend = other.info.backend_pid
        other.close()  # the worker dies: its session, and so its lock, is gone
        gone_within(10, backend)
        assert execute(held.pk).state == "done"
        assert done == [("held", {})]
        assert Job.objects.get(pk=held.pk).attempts == 2
    finally:
        if not other.closed:
            other.close()


def gone_within(seconds: float, backend: int) -> None:
    """Wait until the server has ended the session of `backend` (it ends it just after the
    client goes)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError(f"the session {backend} was still there after {seconds} s")
