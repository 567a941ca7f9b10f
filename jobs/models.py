from django.db import models
from django.db.models import Q
from django.utils import timezone


class Job(models.Model):
    """One piece of work to do outside a request, and how it went: what operators see."""

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    kind = models.CharField(max_length=100, help_text="What is to be done (a registered kind).")
    target = models.CharField(
        max_length=2000, help_text="What it is done to: a story's number, an address, a folder."
    )
    arguments = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0, help_text="Runs started, retries included.")
    last_error = models.TextField(blank=True, help_text="The error of the last failed attempt.")
    result = models.CharField(max_length=300, blank=True, help_text="What the work reported.")
    queued_at = models.DateTimeField(default=timezone.now)
    retry_at = models.DateTimeField(
        null=True, blank=True, help_text="After a failed attempt: when it is tried again."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-pk"]
        constraints = [
            # What makes enqueuing idempotent: one waiting job per kind and target. A running
            # one does not count: the work it started may already have read what changed since.
            models.UniqueConstraint(
                fields=["kind", "target"],
                condition=Q(state="queued"),
                name="job_one_queued_per_target",
                violation_error_message="This job is already queued.",
            ),
        ]
        indexes = [
            # Whether a story's finder is still at work (its admin page says “finding…”).
            models.Index(fields=["kind", "target"], name="job_kind_target_idx"),
            # The admin list by state (“failed”), newest first.
            models.Index(fields=["state", "-queued_at"], name="job_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target}"

    @property
    def pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
