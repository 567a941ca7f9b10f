from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from common.adminids import IdsChecked
from common.search_syntax import words_of
from history.versions import Part, StaleEditGuard, VersionedAdmin

from .models import Alias, Person, Proposal, Relationship, RelationshipQuerySet, Source
from .search import find_people

RELATIONSHIP_FIELDS = [
    "started_on",
    "started_precision",
    "ended_on",
    "ended_precision",
    "end_reason",
    "sources",
]


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


RULES = {constraint.name: constraint for constraint in Relationship._meta.constraints}
# A relationship as the rules compare it: the pair (either way round), its kind, its start.
RowKey = tuple[frozenset[int], str, datetime.date | None]


class RelationshipRows(forms.BaseInlineFormSet):
    """The relationship rows of a person's page, checked against the rules that name that
    person — not related to oneself, one relationship per pair, kind and start — which
    Django's inline forms leave out (the person is the page's, not a field of the row), so
    that the database's refusal was a server error. Also refused: the same relationship
    twice on the page, in either list (`rows_on_page`, shared by the two lists)."""

    def __init__(self, *args: Any, rows_on_page: set[RowKey] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows_on_page = set() if rows_on_page is None else rows_on_page

    def clean(self) -> None:
        super().clean()
        if self.instance.pk is None:
            return  # a new person: nobody can be related to them yet
        deleted = [form for form in self.forms if form.cleaned_data.get(DELETION_FIELD_NAME)]
        leaving = [form.instance.pk for form in deleted if form.instance.pk]
        for form in self.forms:
            if form.errors or not form.has_changed() or form in deleted:
                continue
            row = form.instance
            pair = {row.person_a_id, row.person_b_id}
            key = (frozenset(pair), row.kind, row.started_on)
            if len(pair) == 1:
                form.add_error(None, RULES["relationship_not_self"].violation_error_message)
            elif key in self.rows_on_page:
                form.add_error(None, "This relationship is entered twice on this page.")
            elif (
                Relationship.objects.filter(
                    Q(person_a_id=row.person_a_id, person_b_id=row.person_b_id)
                    | Q(person_a_id=row.person_b_id, person_b_id=row.person_a_id),
                    kind=row.kind,
                    started_on=row.started_on,
                )
                .exclude(pk__in=[row.pk, *leaving])
                .exists()
            ):
                rule = RULES["relationship_unique_pair_kind_start"]
                form.add_error(None, rule.violation_error_message)
            self.rows_on_page.add(key)


class RelationshipAsFirstInline(IdsChecked, admin.TabularInline):
    model = Relationship
    formset = RelationshipRows
    fk_name = "person_a"
    fields = ["kind", "person_b", *RELATIONSHIP_FIELDS]
    autocomplete_fields = ["person_b", "sources"]
    extra = 0
    verbose_name = "relationship"
    verbose_name_plural = "relationships — this person first (married to…, parent of…)"


class RelationshipAsSecondInline(IdsChecked, admin.TabularInline):
    model = Relationship
    formset = RelationshipRows
    fk_name = "person_b"
    fields = ["person_a", "kind", *RELATIONSHIP_FIELDS]
    autocomplete_fields = ["person_a", "sources"]
    extra = 0
    verbose_name = "relationship"
    verbose_name_plural = "relationships — this person second (… parent of this person)"


class ProposalsToCheck(admin.SimpleListFilter):
    title = "proposed by an import"
    parameter_name = "proposals"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("yes", "values to check")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> QuerySet[Person]:
        if self.value() == "yes":
            # From the few proposals still to check (proposal_to_check_idx), not every person.
            found = Proposal.objects.to_check()
            direct = found.filter(person__isnull=False).values("person_id")
            through = found.filter(relationship__isnull=False)
            return queryset.filter(
                Q(pk__in=direct)
                | Q(pk__in=through.values("relationship__person_a_id"))
                | Q(pk__in=through.values("relationship__person_b_id"))
            )
        return queryset


@admin.register(Person)
class PersonAdmin(StaleEditGuard, VersionedAdmin):
    list_display = ["name", "other_names", "born_on", "wikidata_id", "updated_at"]
    # Names, aliases and near spellings through people/search.py (see get_search_results).
    search_fields = ["name"]
    search_help_text = "A name or an alias; a slip of the keyboard is forgiven (Kayne)."
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources", "portrait"]
    date_hierarchy = "born_on"
    list_filter = [ProposalsToCheck, "pronouns"]
    inlines = [AliasInline, RelationshipAsFirstInline, RelationshipAsSecondInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "full_name", "pronouns", "bio", "portrait"]}),
        ("Dates", {"fields": [("born_on", "born_precision"), ("died_on", "died_precision")]}),
        ("References", {"fields": ["wikidata_id", "sources"]}),
    ]
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return super().get_queryset(request).prefetch_related("aliases")

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Person],
        formsets: list[forms.BaseInlineFormSet[Any, Person, Any]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        saved = [
            row
            for formset in formsets
            if formset.model is Relationship
            for row in [*formset.new_objects, *(row for row, _ in formset.changed_objects)]
        ]
        warn_unsourced(request, saved)

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Person, inline: InlineModelAdmin[Any, Person], prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if issubclass(inline.formset, RelationshipRows):
            # One set for the page's two lists: a relationship entered in each is refused too.
            kwargs["rows_on_page"] = request.__dict__.setdefault("relationship_rows", set())
        return kwargs

    # A person's aliases and relationships are edited on their page, and a change to one is a
    # change to the person. A version of a person includes its aliases; relationships keep
    # their own history, and are not restored with the person.

    def parts(self, person: Model) -> list[Part]:
        return [self.aliases_of(person), self.relationships_of(person)]

    def restored_parts(self, person: Model) -> list[Part]:
        return [self.aliases_of(person)]

    @staticmethod
    def aliases_of(person: Model) -> Part:
        return Alias, Q(person_id=person.pk)

    @staticmethod
    def relationships_of(person: Model) -> Part:
        return Relationship, Q(person_a_id=person.pk) | Q(person_b_id=person.pk)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        terms = words_of(search_term)
        if not terms:
            return queryset, False
        by_wikidata = queryset.filter(wikidata_id__in=[t.upper() for t in terms])
        found = find_people(queryset, terms, limit=100, every_word=True)
        return queryset.filter(pk__in=[p.pk for p in found]) | by_wikidata, False

    @admin.display(description="also known as")
    def other_names(self, person: Person) -> str:
        return ", ".join(alias.name for alias in person.aliases.all())


NEEDS_A_SOURCE = (
    "{what} no source: readers do not see {it} until one is added. "
    "{It} waits in the relationships list under “needs a source”."
)


def warn_unsourced(request: HttpRequest, relationships: Iterable[Relationship]) -> None:
    """Say so when a relationship was saved with no source (every fact sourced)."""
    unsourced = [r for r in relationships if not r.sources.exists()]
    if len(unsourced) == 1:
        what = f"“{unsourced[0]}” has"
        messages.warning(request, NEEDS_A_SOURCE.format(what=what, it="it", It="It"))
    elif unsourced:
        what = ", ".join(f"“{r}”" for r in unsourced) + " have"
        messages.warning(request, NEEDS_A_SOURCE.format(what=what, it="them", It="They"))


class SourcedFilter(admin.SimpleListFilter):
    title = "sources"
    parameter_name = "sourced"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("no", "needs a source"), ("yes", "sourced")]

    def queryset(  # type: ignore[override]  # the admin's rows: a RelationshipQuerySet
        self, request: HttpRequest, queryset: RelationshipQuerySet
    ) -> RelationshipQuerySet:
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.sourced().values("pk"))
        if self.value() == "yes":
            return queryset.sourced()
        return queryset


@admin.register(Relationship)
class RelationshipAdmin(StaleEditGuard, VersionedAdmin):
    list_display = ["__str__", "kind", "started_display", "ended_display", "end_reason"]
    list_filter = [SourcedFilter, "kind", "end_reason"]
    list_select_related = ["person_a", "person_b"]
    # Either person, by name, alias or near spelling, through people/search.py (see
    # get_search_results).
    search_fields = ["person_a__name"]
    search_help_text = "Either person's name or alias; a slip of the keyboard is forgiven."
    autocomplete_fields = ["person_a", "person_b", "sources"]
    date_hierarchy = "started_on"
    fields = ["person_a", "kind", "person_b", *RELATIONSHIP_FIELDS[:5], "place", "note", "sources"]
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Relationship], search_term: str
    ) -> tuple[QuerySet[Relationship], bool]:
        """The relationships of the people the search finds (those matching every word, when
        anyone does), on either side. `ILIKE '%…%'` over both names and the aliases, joined,
        read every relationship and every person (0.9 s for “nadia” at a million stories),
        missed the second person's aliases and forgave no slip."""
        terms = words_of(search_term)
        if not terms:
            return queryset, False
        found = find_people(Person.objects.all(), terms, limit=100, every_word=True)
        people = [person.pk for person in found]
        return queryset.filter(Q(person_a__in=people) | Q(person_b__in=people)), False

    def save_related(
        self,
        request: HttpRequest,
        form: forms.ModelForm[Relationship],
        formsets: list[forms.BaseInlineFormSet[Any, Relationship, Any]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        warn_unsourced(request, [form.instance])

    @admin.display(description="since", ordering="started_on")
    def started_display(self, relationship: Relationship) -> str:
        return relationship.started_display

    @admin.display(description="until", ordering="ended_on")
    def ended_display(self, relationship: Relationship) -> str:
        return relationship.ended_display


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["label", "outlet", "published_on", "url"]
    search_fields = ["label", "outlet", "url"]
    # What `check_sources` found; an address it refused shows only that it was refused.
    readonly_fields = ["check_status", "check_error", "checked_at"]
    date_hierarchy = "published_on"


PROPOSAL_FIELDS = ("about", "field", "archive_has", "proposed", "cited", "status", "created_at")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """The editors' queue of values an import found that differ from theirs: confirm takes
    the value (a new version of the person or relationship, citing the proposal's source);
    dismiss leaves the archive as it is, and the value is never proposed again."""

    list_display = ["about", "field", "archive_has", "proposed", "cited", "status", "created_at"]
    list_filter = ["status", "field"]
    list_select_related = ["person", "relationship__person_a", "relationship__person_b", "source"]
    actions = ["confirm", "dismiss"]
    fields = readonly_fields = PROPOSAL_FIELDS
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by imports only

    @admin.display(description="about")
    def about(self, proposal: Proposal) -> str:
        target = proposal.target
        meta = target._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
        return format_html('<a href="{}">{}</a>', url, target)

    @admin.display(description="the archive has")
    def archive_has(self, proposal: Proposal) -> str:
        return proposal.current_display

    @admin.display(description="proposed")
    def proposed(self, proposal: Proposal) -> str:
        return proposal.value_display

    @admin.display(description="source")
    def cited(self, proposal: Proposal) -> str:
        source = proposal.source
        if source.url:
            return format_html('<a href="{}" rel="noopener">{}</a>', source.url, source.label)
        return source.label

    @admin.action(description="Confirm: take the proposed values", permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[Proposal]) -> None:
        confirmed = 0
        # One by one, so each change is a version of its person or relationship, with its
        # editor; a value that breaks a rule is refused and named.
        for proposal in queryset.filter(status=Proposal.Status.FOUND):
            try:
                proposal.confirm()
            except ValidationError as refusal:
                messages.error(request, f"Not taken — {proposal}: {'; '.join(refusal.messages)}")
            else:
                confirmed += 1
        if confirmed:
            messages.success(request, f"Confirmed {confirmed} proposed value(s).")

    @admin.action(description="Dismiss: keep the archive's values", permissions=["change"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[Proposal]) -> None:
        dismissed = 0
        for proposal in queryset.filter(status=Proposal.Status.FOUND):
            proposal.dismiss()
            dismissed += 1
        messages.success(request, f"Dismissed {dismissed} proposed value(s).")
