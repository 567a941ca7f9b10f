from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from .models import Article, SourceLink

# What `manage.py check_sources` recorded, as conditions on a source (see Citation.is_broken).
UNCHECKED = Q(checked_at__isnull=True)
BROKEN = Q(checked_at__isnull=False) & (Q(check_status__isnull=True) | Q(check_status__gte=400))
NOT_OK = UNCHECKED | Q(check_status__isnull=True) | Q(check_status__gte=400)


class SourceHealthFilter(admin.SimpleListFilter):
    """Stories by what their linked sources answered when last checked.

    Only sources with an address count: a source cited by its label alone cannot break.
    """

    title = "sources"
    parameter_name = "sources"

    def lookups(
        self, request: HttpRequest, model_admin: "ModelAdmin[Article]"
    ) -> list[tuple[str, str]]:
        return [
            ("broken", "Broken"),
            ("unchecked", "Unchecked"),
            ("ok", "All answering"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        # Subqueries rather than joins: a story with three broken sources is listed once.
        linked = SourceLink.objects.filter(article=OuterRef("pk")).exclude(url="")
        match self.value():
            case "broken":
                return queryset.filter(Exists(linked.filter(BROKEN)))
            case "unchecked":
                return queryset.filter(Exists(linked.filter(UNCHECKED)))
            case "ok":
                return queryset.filter(Exists(linked), ~Exists(linked.filter(NOT_OK)))
        return queryset
