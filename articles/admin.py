from django.contrib import admin
from django.db import models
from django.forms import Textarea

from .models import Article, Mention, Publication, Quote, SourceLink
from .search import match_stories


class MentionInline(admin.TabularInline):
    model = Mention
    autocomplete_fields = ["person"]
    extra = 1
    verbose_name = "person in this story"
    verbose_name_plural = "people in this story"


class QuoteInline(admin.StackedInline):
    model = Quote
    fields = [("speaker", "context", "said_on", "position"), "text"]
    autocomplete_fields = ["speaker"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 90})}}
    extra = 1


class SourceLinkInline(admin.TabularInline):
    model = SourceLink
    fields = ["label", "url", "publication", "published_on"]
    autocomplete_fields = ["publication"]
    extra = 1


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "kind", "status", "publication"]
    list_filter = ["status", "kind", "publication"]
    list_select_related = ["publication"]
    # The readers' search engine, drafts included (see get_search_results).
    search_fields = ["title"]
    search_help_text = 'Words of the headline, dek or body; "exact phrase", -exclude, or.'
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publication"]
    inlines = [MentionInline, QuoteInline, SourceLinkInline]
    save_on_top = True
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "dek", "body"]}),
        ("Publishing", {"fields": [("status", "published_on"), "kind", "publication", "byline"]}),
        ("Tags", {"fields": ["tags"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return match_stories(queryset, search_term), False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "context", "said_on", "article"]
    list_select_related = ["speaker", "article"]
    search_fields = ["text", "speaker__name", "context"]
    autocomplete_fields = ["speaker", "article"]
    date_hierarchy = "said_on"
    show_full_result_count = False
