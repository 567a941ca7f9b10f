from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q

from .models import Alias, Person, Relationship, Source
from .search import find_people, terms_of
from .versions import StaleEditGuard, VersionedAdmin

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


class RelationshipRowForm(forms.ModelForm):
    """A relationship row on a person's page. Django leaves the constraints that name the
    person whose page it is (not self-related; one relationship per pair, kind and start) out
    of an inline row's checks, so they were met only by the database, as a server error; they
    are checked here, once the row is otherwise valid, with the person in place."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.instance.person_a_id is None or self.instance.person_b_id is None:
            return
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)


class RelationshipRowsFormSet(forms.BaseInlineFormSet):
    """Two new rows for the same relationship on one page would pass each its own check
    (neither is in the database yet): refused here, before either is saved."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or form.errors:
                continue
            row = form.instance
            key = (
                frozenset({row.person_a_id, row.person_b_id}),
                row.kind,
                row.started_on,
            )
            if key in seen:
                form.add_error(None, "This relationship is entered twice on this page.")
            seen.add(key)


class RelationshipAsFirstInline(admin.TabularInline):
    model = Relationship
    form = RelationshipRowForm
    formset = RelationshipRowsFormSet
    fk_name = "person_a"
    fields = ["kind", "person_b", *RELATIONSHIP_FIELDS]
    autocomplete_fields = ["person_b", "sources"]
    extra = 0
    verbose_name = "relationship"
    verbose_name_plural = "relationships — this person first (married to…, parent of…)"


class RelationshipAsSecondInline(admin.TabularInline):
    model = Relationship
    form = RelationshipRowForm
    formset = RelationshipRowsFormSet
    fk_name = "person_b"
    fields = ["person_a", "kind", *RELATIONSHIP_FIELDS]
    autocomplete_fields = ["person_a", "sources"]
    extra = 0
    verbose_name = "relationship"
    verbose_name_plural = "relationships — this person second (… parent of this person)"


@admin.register(Person)
class PersonAdmin(StaleEditGuard, VersionedAdmin):
    list_display = ["name", "other_names", "born_on", "wikidata_id", "updated_at"]
    # Names, aliases and near spellings through people/search.py (see get_search_results).
    search_fields = ["name"]
    search_help_text = "A name or an alias; a slip of the keyboard is forgiven (Kayne)."
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    date_hierarchy = "born_on"
    list_filter = ["pronouns"]
    inlines = [AliasInline, RelationshipAsFirstInline, RelationshipAsSecondInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "full_name", "pronouns", "bio"]}),
        ("Dates", {"fields": ["born_on", "died_on"]}),
        ("References", {"fields": ["wikidata_id", "sources"]}),
    ]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    # A person's aliases and relationships are edited on their page: a change to one makes
    # a form opened before stale. A version of a person includes its aliases; relationships
    # keep their own history, and are not restored with the person.

    def parts(self, person):
        return [
            (Alias, Q(person_id=person.pk)),
            (Relationship, Q(person_a_id=person.pk) | Q(person_b_id=person.pk)),
        ]

    def restored_parts(self, person):
        return self.parts(person)[:1]

    def restore_related(self, person, when):
        then = {a.pk: a for a in Alias.history.as_of(when).filter(person_id=person.pk)}
        person.aliases.exclude(pk__in=then).delete()
        for pk, old in then.items():
            alias = Alias.objects.filter(pk=pk).first() or Alias(pk=pk, person=person)
            alias.name, alias.is_ambiguous = old.name, old.is_ambiguous
            alias.save()

    def get_search_results(self, request, queryset, search_term):
        terms = terms_of(search_term)
        if not terms:
            return queryset, False
        by_wikidata = queryset.filter(wikidata_id__in=[t.upper() for t in terms])
        found = find_people(queryset, terms, limit=100, every_word=True)
        return queryset.filter(pk__in=[p.pk for p in found]) | by_wikidata, False

    @admin.display(description="also known as")
    def other_names(self, person):
        return ", ".join(alias.name for alias in person.aliases.all())


@admin.register(Relationship)
class RelationshipAdmin(StaleEditGuard, VersionedAdmin):
    list_display = ["__str__", "kind", "started_display", "ended_display", "end_reason"]
    list_filter = ["kind", "end_reason"]
    list_select_related = ["person_a", "person_b"]
    # Either person, by name, alias or near spelling, through people/search.py (see
    # get_search_results).
    search_fields = ["person_a__name"]
    search_help_text = "Either person's name or alias; a slip of the keyboard is forgiven."
    autocomplete_fields = ["person_a", "person_b", "sources"]
    date_hierarchy = "started_on"
    fields = ["person_a", "kind", "person_b", *RELATIONSHIP_FIELDS[:5], "place", "note", "sources"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """The relationships of the people the search finds (those matching every word, when
        anyone does), on either side. `ILIKE '%…%'` over both names and the aliases, joined,
        read every relationship and every person (0.9 s for “nadia” at a million stories),
        missed the second person's aliases and forgave no slip."""
        terms = terms_of(search_term)
        if not terms:
            return queryset, False
        found = find_people(Person.objects.all(), terms, limit=100, every_word=True)
        people = [person.pk for person in found]
        return queryset.filter(Q(person_a__in=people) | Q(person_b__in=people)), False

    @admin.display(description="since", ordering="started_on")
    def started_display(self, relationship):
        return relationship.started_display

    @admin.display(description="until", ordering="ended_on")
    def ended_display(self, relationship):
        return relationship.ended_display


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["label", "outlet", "published_on", "url"]
    search_fields = ["label", "outlet", "url"]
    date_hierarchy = "published_on"
