from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from common import health

        from .broker import broker_state

        # Reported by /readyz when a broker is configured, never a 503: pages are served
        # without it, and the jobs asked for meanwhile wait in the database (jobs/queue.py).
        health.register("queue", broker_state, required=False, subject="the job broker")
