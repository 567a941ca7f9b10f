from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from common.paging import EstimatedPaginator

from .models import Job
from .queue import send_again


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """What the workers were asked to do and how it went; read-only but for “run again”."""

    list_display = [
        "kind",
        "target",
        "state",
        "attempts",
        "short_error",
        "result",
        "queued_at",
        "started_at",
        "finished_at",
    ]
    list_filter = ["state", "kind"]
    search_fields = ["=target"]
    date_hierarchy = "queued_at"
    actions = ["run_again"]
    paginator = EstimatedPaginator
    show_full_result_count = False
    fields = [
        ("kind", "target"),
        "arguments",
        ("state", "attempts"),
        "result",
        "last_error",
        ("queued_at", "retry_at"),
        ("started_at", "finished_at"),
    ]
    readonly_fields = [
        "kind",
        "target",
        "arguments",
        "state",
        "attempts",
        "result",
        "last_error",
        "queued_at",
        "retry_at",
        "started_at",
        "finished_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False

    def has_run_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("jobs.change_job")

    @admin.display(description="last error")
    def short_error(self, job: Job) -> str:
        lines = job.last_error.strip().splitlines()
        return lines[-1][:120] if lines else "—"

    @admin.action(description="Run the selected failed or stuck jobs again", permissions=["run"])
    def run_again(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        sent = send_again(list(queryset))
        messages.success(request, f"Queued again: {sent} job(s). Running ones are left alone.")
