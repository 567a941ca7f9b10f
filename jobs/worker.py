"""The Celery application that carries jobs' ids from the site to the workers.

Celery only delivers: the one task, `jobs.run`, hands the id to `queue.execute`, which keeps
the rules (lock, state, retries). Messages are acknowledged after the work, not before
(`acks_late`), and a message whose worker died is given back to the broker
(`reject_on_worker_lost`): a worker killed mid-job loses nothing.
"""

from celery import Celery, Task
from django.conf import settings

app = Celery("newsroom")
app.conf.update(
    broker_url=settings.JOB_BROKER_URL or "memory://",
    task_default_queue=settings.JOB_QUEUE,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    # One message at a time per worker process: a long job does not hold others hostage.
    worker_prefetch_multiplier=1,
    # Jobs report to their rows (jobs.Job), not to a result store.
    task_ignore_result=True,
    # No remote-control or event exchanges: the broker holds the jobs' queue and nothing else.
    worker_enable_remote_control=False,
    worker_send_task_events=False,
    task_send_sent_event=False,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
    # A site whose broker is down answers at once; the job stays queued (jobs.queue.dispatch).
    broker_connection_timeout=3,
    task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
    # Redis only: a message taken by a worker that died is handed out again after this long —
    # longer than any job runs.
    broker_transport_options={"visibility_timeout": settings.JOB_VISIBILITY_TIMEOUT},
)


@app.task(name="jobs.run", bind=True, max_retries=None)
def run_job(self: Task, job_id: int) -> str:
    from .queue import execute

    outcome = execute(job_id)
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.state
