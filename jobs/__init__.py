"""Slow and retryable work done outside the request: the finder after a save, source checks,
dataset dumps — and whatever else registers a kind of job.

To add a kind of work (the hook other apps use):

    from jobs.registry import job

    @job("render_image")              # the kind, a name of its own
    def render_image(target: str, **arguments) -> str | None:
        ...                           # idempotent: run twice, it does no harm
        return "3 renditions"         # a short result for the operators (or None)

and, wherever the work becomes due (the module is imported in the app's `ready()`):

    from jobs.queue import enqueue

    enqueue("render_image", str(image.pk), width=800)

`enqueue` is idempotent: while a job of that kind and target waits in the queue, enqueuing it
again adds nothing (its arguments become the newer ones). Jobs are rows of `jobs.Job`, which
operators see in the admin; a broker (RabbitMQ or Redis, `JOB_BROKER_URL`) carries their ids
to the workers (`manage.py worker`). With no broker, the work runs in the same process once
the transaction that asked for it commits. docs/operations.md says how to run the workers.
"""
