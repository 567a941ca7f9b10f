from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.views.main import (  # type: ignore[attr-defined]  # IS_FACETS_VAR
    IS_FACETS_VAR,
    ORDER_VAR,
    ChangeList,
)
from django.db import models
from django.db.models import Count, Expression, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms import BaseInlineFormSet, Textarea
from django.http import HttpRequest, HttpResponse
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from common.adminids import IdsChecked
from common.paging import EstimatedPaginator, is_large
from history.versions import (
    Part,
    RevisionForm,
    StaleEditGuard,
    VersionedAdmin,
)
from jobs.models import Job
from jobs.queue import enqueue, pending

from .admin_filters import SourceHealthFilter
from .jobs import FIND_IN_STORY
from .models import (
    Article,
    Correction,
    Dismissal,
    Finding,
    Mention,
    ProposedPerson,
    Publication,
    Quote,
    SourceLink,
)
from .quotefinder.recording import add_proposed_person, link_proposed_person
from .search import match_quotes, match_stories
from .tags import has_letters_or_digits, tag_name_problem

# The parts of a story edited in its one screen, each kept in its own history.
STORY_PARTS: list[type[Model]] = [Mention, Quote, SourceLink, Correction]

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object  # a mixin, before the admin class it is mixed into

# The columns a list may be sorted by (as django-stubs has BaseModelAdmin.get_sortable_by).
SortableBy: TypeAlias = (
    "list[str | Callable[[Any], str | bool]] | tuple[str | Callable[[Any], str | bool], ...]"
)


class FindingForm(forms.ModelForm):
    """A found person or quote the editor corrects is checked: it becomes confirmed."""

    def save(self, commit: bool = True) -> Mention | Quote:
        if (
            self.instance.pk
            and self.instance.status == Finding.FOUND
            and self.has_changed()
            and "status" not in self.changed_data
        ):
            self.instance.status = Finding.CONFIRMED
        return super().save(commit)


class MentionInline(IdsChecked, admin.TabularInline):
    model = Mention
    form = FindingForm
    fields = ["person", "role", "status"]
    autocomplete_fields = ["person"]
    extra = 1
    verbose_name = "person in this story"
    verbose_name_plural = "people in this story"


class QuoteInline(IdsChecked, admin.StackedInline):
    model = Quote
    form = FindingForm
    fields = [
        ("speaker", "context", "said_on", "position", "status"),
        ("joint_speakers", "proposed_speaker"),
        "text",
    ]
    readonly_fields = ["proposed_speaker"]
    autocomplete_fields = ["speaker", "joint_speakers"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 90})}}
    extra = 1


class ProposedPersonForm(forms.ModelForm):
    add_to_archive = forms.BooleanField(
        required=False,
        label="add as a new person",
        help_text="Tick and save: the person is created under this name.",
    )

    class Meta:
        model = ProposedPerson
        fields = ["same_as"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("add_to_archive") and cleaned.get("same_as"):
            raise forms.ValidationError(
                "Either add them as a new person or pick who they are in the archive, not both."
            )
        return cleaned


class ProposedPersonInline(IdsChecked, admin.TabularInline):
    """People the story names whom the archive does not know: one tick adds them, a pick links
    the name to someone already there; the delete box drops the proposal for good."""

    model = ProposedPerson
    form = ProposedPersonForm
    fields = ["name", "sentence", "add_to_archive", "same_as"]
    readonly_fields = ["name", "sentence"]
    autocomplete_fields = ["same_as"]
    extra = 0
    verbose_name_plural = "proposed new people (named in the text, not yet in the archive)"

    def has_add_permission(self, request: HttpRequest, obj: Article | None = None) -> bool:
        return False


class SourceLinkInline(IdsChecked, admin.TabularInline):
    model = SourceLink
    fields = [
        "label",
        "url",
        "publication",
        "published_on",
        "check_status",
        "check_error",
        "checked_at",
    ]
    # What `check_sources` found; an address it refused shows only that it was refused.
    readonly_fields = ["check_status", "check_error", "checked_at"]
    autocomplete_fields = ["publication"]
    extra = 1


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ["corrected_on", "note"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 80})}}
    extra = 0
    verbose_name_plural = "corrections (public, shown on the story)"


class ArticleForm(RevisionForm):
    def clean_tags(self) -> list[str]:
        tags = self.cleaned_data.get("tags") or []
        problems = [problem for problem in map(tag_name_problem, tags) if problem]
        if problems:
            raise forms.ValidationError(problems)
        return tags


class ToCheckFilter(admin.SimpleListFilter):
    title = "found by the archive"
    parameter_name = "to_check"

    def lookups(
        self, request: HttpRequest, model_admin: "admin.ModelAdmin[Article]"
    ) -> list[tuple[str, str]]:
        return [("yes", "quotes or people to check")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "yes":
            # The few stories with something found, from the partial indexes on what is
            # found (quote_to_check_idx, mention_to_check_idx). Two EXISTS joined by OR would
            # be asked of every story in turn: 13 s at a million stories.
            quotes = Quote.objects.filter(status=Finding.FOUND).values("article_id").order_by()
            people = Mention.objects.filter(status=Finding.FOUND).values("article_id").order_by()
            proposed = ProposedPerson.objects.values("article_id").order_by()
            return queryset.filter(pk__in=quotes.union(people, proposed))
        return queryset


def waiting(items: QuerySet[Quote | Mention | ProposedPerson]) -> Coalesce:
    """How many of `items` (found quotes, people, proposals) wait in a story of the list."""
    counted = items.filter(article=OuterRef("pk")).order_by().values("article")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), 0)


class LongList(_ModelAdmin):
    """For the lists of the biggest tables (stories, quotes): sized without counting them all
    (EstimatedPaginator), searched without the years along the top — listing the years of
    every match read every match (0.9 s for a common word in a million stories) — and, once
    large, sorted only by the columns named in `sortable_when_large`, which an index keeps in
    order: sorting by any other sorts every row (stories by headline 0.9 s, quotes by context
    6.8 s at a million stories). A column not offered is not sorted by even when the address
    asks for it (an old bookmark)."""

    paginator = EstimatedPaginator
    sortable_when_large: SortableBy = ()

    def get_sortable_by(self, request: HttpRequest) -> SortableBy:
        if is_large(self.model):
            return self.sortable_when_large
        return super().get_sortable_by(request)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return SortedAsOffered

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        changelist = super().get_changelist_instance(request)
        if changelist.query:
            changelist.date_hierarchy = None
        return changelist


class SortedAsOffered(ChangeList):
    """A change list sorted only by the columns its admin offers for sorting: the others are
    dropped from the address's `o` before Django reads it, so the list keeps its usual order
    and its headers and links say so."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made before the order was cleaned (in get_ordering, called while constructing).
        self.remove_facet_link = self.get_query_string(remove=[IS_FACETS_VAR])
        self.add_facet_link = self.get_query_string({IS_FACETS_VAR: True})

    def get_ordering(
        self, request: HttpRequest, queryset: QuerySet[Model]
    ) -> list[Expression | str]:
        if self.sortable_by is not None and ORDER_VAR in self.params:
            offered = [p for p in self.params[ORDER_VAR].split(".") if self.offers(p)]
            # Django keeps the address twice: for sorting, and for the links it makes.
            if offered:
                self.params[ORDER_VAR] = ".".join(offered)
                self.filter_params[ORDER_VAR] = [self.params[ORDER_VAR]]
            else:
                del self.params[ORDER_VAR]
                self.filter_params.pop(ORDER_VAR, None)
        return super().get_ordering(request, queryset)

    def offers(self, part: str) -> bool:
        """Whether `part` of `o` ("2", "-2") names a column offered for sorting."""
        try:
            return self.list_display[int(part.lstrip("-"))] in (self.sortable_by or ())
        except (IndexError, ValueError):
            return False


@admin.register(Article)
class ArticleAdmin(LongList, StaleEditGuard, VersionedAdmin):
    form = ArticleForm
    list_display = ["title", "published_on", "kind", "status", "publication", "to_check"]
    list_filter = ["status", ToCheckFilter, SourceHealthFilter, "kind", "publication"]
    list_select_related = ["publication"]
    # The readers' search engine, drafts included (see get_search_results).
    search_fields = ["title"]
    search_help_text = 'Words of the headline, dek or body; "exact phrase", -exclude, or.'
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publication", "lead_picture"]
    inlines = [
        MentionInline,
        QuoteInline,
        ProposedPersonInline,
        SourceLinkInline,
        CorrectionInline,
    ]
    actions = ["confirm_found"]
    save_on_top = True
    show_full_result_count = False
    sortable_when_large = ["published_on"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "body"]}),
        ("Publishing", {"fields": [("status", "published_on"), "kind", "publication", "byline"]}),
        ("Picture", {"fields": ["lead_picture"]}),
        ("Tags", {"fields": ["tags"]}),
    ]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Article], search_term: str
    ) -> tuple[QuerySet[Article], bool]:
        if not search_term.strip():
            return queryset, False
        return match_stories(queryset, search_term), False

    def get_inline_instances(
        self, request: HttpRequest, obj: Article | None = None
    ) -> "list[InlineModelAdmin[Any, Any]]":
        # A story being added has no proposals yet: the finder reads it once it is saved.
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if obj is not None or not isinstance(inline, ProposedPersonInline)
        ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        # What waits to be checked, per story of the page: three counts read through the
        # partial indexes on what is found (quote_to_check_idx, mention_to_check_idx).
        queryset = super().get_queryset(request)
        name = request.resolver_match and request.resolver_match.url_name
        if name and name.endswith("changelist"):
            queryset = queryset.annotate(
                quotes_to_check=waiting(Quote.objects.filter(status=Finding.FOUND)),
                people_to_check=waiting(Mention.objects.filter(status=Finding.FOUND)),
                proposed_to_check=waiting(ProposedPerson.objects.all()),
            )
        return queryset

    @admin.display(description="to check")
    def to_check(self, story: Article) -> str:
        parts = [
            (getattr(story, "quotes_to_check", 0), "quote", "quotes"),
            (getattr(story, "people_to_check", 0), "person", "people"),
            (getattr(story, "proposed_to_check", 0), "new person", "new people"),
        ]
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n) or "—"

    def save_related(
        self,
        request: HttpRequest,
        form: ArticleForm,
        formsets: "list[BaseInlineFormSet[Any, Article, Any]]",
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        # The finder reads the story once the save is committed, in a job: the save does not
        # wait for it (articles/jobs.py). Asked for again while waiting, it reads once.
        request.finder_job = enqueue(  # type: ignore[attr-defined]  # read by changeform_view
            FIND_IN_STORY, str(form.instance.pk)
        )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        story = self.get_object(request, object_id) if object_id else None
        if story is not None and request.method == "GET":
            extra_context = {
                **(extra_context or {}),
                "finding": pending(FIND_IN_STORY, str(story.pk)),
            }
        response = super().changeform_view(request, object_id, form_url, extra_context)
        # Here the save is committed, and a finder run in this process (no broker) is done.
        job = getattr(request, "finder_job", None)
        if job is not None:
            job.refresh_from_db()
            self.tell_what_was_found(request, job)
        return response

    def tell_what_was_found(self, request: HttpRequest, job: Job) -> None:
        if job.pending:
            messages.info(
                request,
                "Finding quotes and people in the text… The story's page says “finding…” until "
                "it is done; what is found is then marked “found” for you to check. Reload the "
                "page before editing again: a save made from a page opened before the finder "
                "wrote is refused, as after any other change.",
            )
        elif job.state == Job.State.FAILED:
            messages.warning(
                request, "The finder could not read the story; operators see why under Jobs."
            )
        elif job.result.startswith("found, to check: "):
            messages.info(
                request,
                f"Found in the text, to check: {job.result.removeprefix('found, to check: ')} "
                "— quotes and people are marked “found” below (confirm, correct or delete "
                "them); proposed new people are listed under the quotes (add them, or pick "
                "who they are).",
            )

    def save_formset(
        self,
        request: HttpRequest,
        form: ArticleForm,
        formset: "BaseInlineFormSet[Any, Article, Any]",
        change: bool,
    ) -> None:
        # What an editor drops from a story is not found in it again.
        super().save_formset(request, form, formset, change)
        for dropped in formset.deleted_objects:
            if isinstance(dropped, Mention):
                Dismissal.objects.get_or_create(article=form.instance, person_id=dropped.person_id)
            elif isinstance(dropped, Quote):
                Dismissal.objects.get_or_create(article=form.instance, quote_text=dropped.text)
            elif isinstance(dropped, ProposedPerson):
                Dismissal.objects.get_or_create(article=form.instance, person_name=dropped.name)
        if formset.model is ProposedPerson:
            for proposal_form in formset.forms:
                proposal = proposal_form.instance
                if not proposal.pk or proposal in formset.deleted_objects:
                    continue
                if proposal_form.cleaned_data.get("add_to_archive"):
                    person = add_proposed_person(proposal)
                    messages.success(request, f"Added {person.name} to the archive.")
                elif proposal.same_as_id:
                    link_proposed_person(proposal, proposal.same_as)
                    messages.success(
                        request, f"“{proposal.name}” is now an alias of {proposal.same_as}."
                    )

    @admin.action(description="Confirm the quotes and people found in these stories")
    def confirm_found(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        quotes = Quote.objects.filter(article__in=queryset, status=Finding.FOUND)
        mentions = Mention.objects.filter(article__in=queryset, status=Finding.FOUND)
        confirmed = 0
        # One by one, so each confirmation is kept in the version history with its editor.
        for part in [*quotes, *mentions]:
            part.status = Finding.CONFIRMED
            part.save()
            confirmed += 1
        messages.success(request, f"Confirmed {confirmed} quote(s) and people.")

    # Versions of a story include its quotes, people, sources and corrections.

    def parts(self, story: Model) -> list[Part]:
        return [(model, models.Q(article_id=story.pk)) for model in STORY_PARTS]


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ProposedPerson)
class ProposedPersonAdmin(IdsChecked, admin.ModelAdmin):
    """The queue of people named in stories whom the archive does not know, by story."""

    list_display = ["name", "article", "sentence", "pronouns"]
    list_select_related = ["article"]
    search_fields = ["name"]
    fields = ["name", "article", "sentence", "pronouns", "same_as"]
    readonly_fields = ["name", "article", "sentence", "pronouns"]
    autocomplete_fields = ["same_as"]
    actions = ["add_to_archive"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: ProposedPerson,
        form: "forms.ModelForm[ProposedPerson]",
        change: bool,
    ) -> None:
        super().save_model(request, obj, form, change)
        if obj.same_as is not None:
            link_proposed_person(obj, obj.same_as)
            messages.success(request, f"“{obj.name}” is now an alias of {obj.same_as}.")

    def delete_model(self, request: HttpRequest, obj: ProposedPerson) -> None:
        Dismissal.objects.get_or_create(article=obj.article, person_name=obj.name)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ProposedPerson]) -> None:
        for proposal in queryset:
            Dismissal.objects.get_or_create(article=proposal.article, person_name=proposal.name)
        super().delete_queryset(request, queryset)

    @admin.action(description="Add the selected people to the archive")
    def add_to_archive(self, request: HttpRequest, queryset: QuerySet[ProposedPerson]) -> None:
        added = [add_proposed_person(proposal).name for proposal in queryset.order_by("name")]
        messages.success(request, f"Added to the archive: {', '.join(added)}.")


@admin.register(Quote)
class QuoteAdmin(LongList, VersionedAdmin):
    list_display = ["__str__", "speaker", "context", "said_on", "status", "article"]
    list_filter = ["status"]
    list_select_related = ["speaker", "article"]
    # The readers' search engine for the words, people search for the speaker (see
    # get_search_results).
    search_fields = ["text"]
    search_help_text = 'Words of the quote, or the speaker\'s name; "exact phrase", -exclude.'
    autocomplete_fields = ["speaker", "article"]
    date_hierarchy = "said_on"
    show_full_result_count = False
    # By story: in the order of the stories' dates, which an index keeps.
    sortable_when_large = ["article"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Quote], search_term: str
    ) -> tuple[QuerySet[Quote], bool]:
        if not search_term.strip():
            return queryset, False
        return match_quotes(queryset, search_term), False


class TagForm(forms.ModelForm):
    """A tag renamed in its own screen follows the rules of tags typed on a story."""

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if problem := tag_name_problem(name):
            raise forms.ValidationError(problem)
        return name

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if not has_letters_or_digits(slug):
            raise forms.ValidationError("The address needs at least one letter or digit.")
        return slug


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    form = TagForm
    # taggit's inline and its “merge” action handle taggit's own generic tagged items; stories
    # are tagged through TaggedArticle, which they would not show or move.
    inlines: "list[type[InlineModelAdmin[Any, Any]]]" = []
    actions: list[str] = []
