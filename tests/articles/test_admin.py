import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from taggit.models import Tag

from articles import admin as articles_admin
from articles.models import Article, Publication, Quote, SourceLink
from common.citations import NO_CREDENTIALS
from common.paging import EstimatedPaginator, YearsByJumps
from people.models import Person
from tests.forms import form_data
from tests.html import error_messages, page, text

ADD_URL = reverse("admin:articles_article_add")


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def story_form(demo):
    kim = Person.objects.get(slug="kim-kardashian")
    kanye = Person.objects.get(slug="kanye-west")
    return {
        "title": "Kim Kardashian On Life After Divorce",
        "slug": "kim-kardashian-on-life-after-divorce",
        "dek": "She talks about <b>co-parenting</b>.",
        "body": "First paragraph.\n\nSecond paragraph.",
        "status": "published",
        "published_on": "2022-03-03",
        "kind": "interview",
        "publication": "",
        "byline": "A. Writer",
        "tags": "divorce, co-parenting, new tag",
        **management("mentions", 2),
        "mentions-0-person": str(kim.pk),
        "mentions-0-role": "subject",
        "mentions-0-status": "confirmed",
        "mentions-1-person": str(kanye.pk),
        "mentions-1-role": "mentioned",
        "mentions-1-status": "confirmed",
        **management("quotes", 2),
        "quotes-0-speaker": str(kim.pk),
        "quotes-0-text": "I am doing well.",
        "quotes-0-context": "told Vogue",
        "quotes-0-said_on": "2022-03-01",
        "quotes-0-position": "1",
        "quotes-0-status": "confirmed",
        "quotes-1-speaker": "",
        "quotes-1-text": "No comment.",
        "quotes-1-context": "",
        "quotes-1-said_on": "",
        "quotes-1-position": "2",
        "quotes-1-status": "confirmed",
        **management("sources", 1),
        "sources-0-label": "Vogue, 3 March 2022, interview",
        "sources-0-url": "https://www.vogue.com/",
        "sources-0-publication": "",
        "sources-0-published_on": "2022-03-03",
        **management("corrections", 0),
        "_save": "Save",
    }


def test_the_add_story_screen_shows_every_part_in_one_form(admin_client):
    response = admin_client.get(ADD_URL)
    assert response.status_code == 200
    content = response.content.decode()
    for name in [
        'name="title"',
        'name="dek"',
        'name="tags"',
        'name="byline"',
        'name="mentions-0-person"',
        'name="quotes-0-text"',
        'name="sources-0-url"',
    ]:
        assert name in content, name


def test_an_editor_adds_a_story_with_people_quotes_sources_and_tags(admin_client, story_form):
    response = admin_client.post(ADD_URL, story_form)
    assert response.status_code == 302, response.context and response.context.get("errors")
    article = Article.objects.get(slug="kim-kardashian-on-life-after-divorce")
    assert article.byline == "A. Writer"
    assert sorted(article.tags.names()) == ["co-parenting", "divorce", "new tag"]
    assert dict(article.mentions.values_list("person__slug", "role")) == {
        "kim-kardashian": "subject",
        "kanye-west": "mentioned",
    }
    quotes = list(article.quotes.order_by("position"))
    assert [(q.speaker and q.speaker.slug, q.text, q.context) for q in quotes] == [
        ("kim-kardashian", "I am doing well.", "told Vogue"),
        (None, "No comment.", ""),
    ]
    assert str(quotes[0].said_on) == "2022-03-01"
    assert article.sources.get().url == "https://www.vogue.com/"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/"])
def test_a_source_that_is_not_a_web_link_is_refused_and_nothing_is_saved(
    admin_client, story_form, url
):
    story_form["sources-0-url"] = url
    response = admin_client.post(ADD_URL, story_form)
    assert response.status_code == 200
    assert "starting with http:// or https://" in response.content.decode()
    assert not Article.objects.filter(slug=story_form["slug"]).exists()
    assert not Quote.objects.filter(text="I am doing well.").exists()


def test_a_person_listed_twice_is_refused(admin_client, story_form):
    story_form["mentions-1-person"] = story_form["mentions-0-person"]
    response = admin_client.post(ADD_URL, story_form)
    assert response.status_code == 200
    assert not Article.objects.filter(slug=story_form["slug"]).exists()


def test_a_second_story_with_the_same_date_and_slug_is_refused(admin_client, story_form):
    assert admin_client.post(ADD_URL, story_form).status_code == 302
    response = admin_client.post(ADD_URL, story_form)
    assert response.status_code == 200
    assert "already has this slug" in response.content.decode()
    assert Article.objects.filter(slug=story_form["slug"]).count() == 1


def test_the_story_list_searches_filters_and_stays_cheap(
    admin_client, demo, make_article, django_assert_max_num_queries
):
    for n in range(30):
        make_article(f"Story {n}", slug=f"story-{n}")
    url = reverse("admin:articles_article_changelist")
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assert response.status_code == 200
    response = admin_client.get(url, {"q": "Cheerleader"})
    assert "Biggest Cheerleader" in response.content.decode()
    assert "Story 1<" not in response.content.decode()
    response = admin_client.get(url, {"status__exact": "draft"})
    assert response.status_code == 200
    response = admin_client.get(url, {"published_on__year": "2022"})
    assert response.status_code == 200


def test_the_change_form_of_the_demo_story_opens(admin_client, demo):
    article = Article.objects.get()
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert "GOD PLEASE BRING OUR FAMILY BACK TOGETHER" in response.content.decode()


def test_people_and_outlets_autocomplete(admin_client, demo):
    url = reverse("admin:autocomplete")
    response = admin_client.get(
        url,
        {"term": "Yeezy", "app_label": "articles", "model_name": "mention", "field_name": "person"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Kanye West"]
    response = admin_client.get(
        url,
        {
            "term": "vog",
            "app_label": "articles",
            "model_name": "article",
            "field_name": "publication",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Vogue"]


def test_sources_are_listed_with_their_story(admin_client, demo):
    assert SourceLink.objects.count() == 3
    response = admin_client.get(reverse("admin:articles_quote_changelist"))
    assert response.status_code == 200


def test_a_tag_too_long_is_refused_with_a_clear_message(admin_client, story_form):
    story_form["tags"] = "fine, " + "x" * 150
    response = admin_client.post(ADD_URL, story_form)
    assert response.status_code == 200
    assert "A tag can be at most 100 characters" in response.content.decode()
    assert not Article.objects.filter(slug=story_form["slug"]).exists()


@pytest.mark.parametrize("table", ["articles_article", "articles_quote", "people_relationship"])
def test_long_lists_read_neither_every_row_nor_every_date(admin_client, demo, make_article, table):
    """At a million stories the story list spent 0.1 s counting and 0.6 s listing its years,
    the quote list 1.1 s, the relationship list 0.8 s sorting. Now the years come from a loose
    index scan and the rows a page at a time, in an index's order."""
    for year in (2001, 2010):
        story = make_article(f"Story {year}", published_on=datetime.date(year, 1, 2))
        Quote.objects.create(article=story, text="Said", said_on=datetime.date(year, 1, 2))
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(reverse(f"admin:{table}_changelist"))
    assert response.status_code == 200
    on_table = [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]
    assert on_table and not [sql for sql in on_table if "DISTINCT" in sql]
    assert any("RECURSIVE" in sql for sql in on_table)


def test_years_by_jumps_are_the_distinct_years(db, make_article):
    for year in (2001, 2001, 2004, 2022):
        make_article(
            f"Story {year}",
            slug=f"s-{year}-{Article.objects.count()}",
            published_on=datetime.date(year, 5, 17),
        )
    make_article("Undated-ish", slug="late", published_on=datetime.date(2022, 12, 31))
    distinct = list(Article.objects.filter(pk__gt=0).dates("published_on", "year"))
    assert [d.year for d in distinct] == [2001, 2004, 2022]
    assert Article.objects.dates("published_on", "year") == distinct
    assert Article.objects.dates("published_on", "year", order="DESC") == distinct[::-1]
    assert list(Article.objects.dates("published_on", "month"))[-1] == datetime.date(2022, 12, 1)


def test_date_hierarchies_that_jump_have_an_index_to_jump_on():
    """Without an index led by the date, every jump reads the whole table (4 s over 100,000
    people's birthdays): each list whose years are found by jumps has one."""
    checked = 0
    for model, model_admin in admin.site._registry.items():
        field = model_admin.date_hierarchy
        if not field or not isinstance(model._default_manager.all(), YearsByJumps):
            continue
        column = model._meta.get_field(field).name
        leading = [
            index.fields[0] if index.fields else index.expressions[0].expression.name
            for index in model._meta.indexes
        ]
        leading += [c.fields[0] for c in model._meta.constraints if getattr(c, "fields", None)]
        assert column in [name.lstrip("-") for name in leading], model
        checked += 1
    assert checked == 3


def test_a_very_long_list_says_about_how_many(admin_client, on_postgres, demo, monkeypatch):
    monkeypatch.setattr(EstimatedPaginator, "ESTIMATED_FROM", 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    assert response.context["cl"].paginator.estimated
    assert "about 1 story" in response.content.decode()
    searched = admin_client.get(reverse("admin:articles_article_changelist"), {"q": "Kim"})
    assert not searched.context["cl"].paginator.estimated
    assert "1 story" in searched.content.decode() and "about" not in searched.content.decode()


def test_editors_find_quotes_by_their_words_or_their_speaker(admin_client, demo):
    kim = Person.objects.get(slug="kim-kardashian")
    story = Article.objects.get()
    Quote.objects.create(article=story, speaker=kim, text="Weddings are a lot of work")
    url = reverse("admin:articles_quote_changelist")
    with CaptureQueriesContext(connection) as queries:
        by_words = admin_client.get(url, {"q": "wedding"}).content.decode()
    assert "Weddings are a lot of work" in by_words
    assert not [q["sql"] for q in queries if "LIKE" in q["sql"] and "articles_quote" in q["sql"]]
    by_speaker = admin_client.get(url, {"q": "Kardashian"}).content.decode()
    said_by_kim = Quote.objects.filter(speaker=kim).count()
    assert "Weddings are a lot of work" in by_speaker and f"{said_by_kim} quotes" in by_speaker
    assert "No quotes" not in by_speaker
    nothing = admin_client.get(url, {"q": "zeppelin"}).content.decode()
    assert "0 quotes" in nothing


def test_a_searched_list_counts_up_to_a_cap_and_leaves_the_years_out(
    admin_client, on_postgres, demo, make_article, monkeypatch
):
    monkeypatch.setattr(EstimatedPaginator, "CAP", 1)
    for year in (2001, 2010):
        make_article(f"Kim story {year}", published_on=datetime.date(year, 1, 2))
    url = reverse("admin:articles_article_changelist")
    listed = admin_client.get(url).content.decode()
    assert "?published_on__year=2001" in listed
    searched = admin_client.get(url, {"q": "Kim"})
    content = searched.content.decode()
    assert searched.context["cl"].paginator.capped and "more than 1 story" in content
    assert "?published_on__year=2001" not in content


def test_a_large_list_is_sorted_only_by_columns_an_index_keeps_in_order(
    admin_client, demo, make_article, monkeypatch
):
    make_article("Aardvark news", published_on=datetime.date(2001, 1, 2))
    make_article("Zebra news", published_on=datetime.date(2000, 1, 2))
    url = reverse("admin:articles_article_changelist")
    assert "sortable column-title" in admin_client.get(url).content.decode()
    monkeypatch.setattr(articles_admin, "is_large", lambda model: True)
    offered = admin_client.get(url).content.decode()
    assert "sortable column-title" not in offered
    assert "sortable column-published_on" in offered
    # An address asking for the headline's order (an old bookmark) gets the usual order.
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url, {"o": "1"})
    assert not any('ORDER BY "articles_article"."title"' in q["sql"] for q in queries)
    shown = [story.published_on for story in response.context["cl"].result_list]
    assert len(shown) > 1 and shown == sorted(shown, reverse=True)
    assert "o=1" not in response.content.decode()
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(url, {"o": "-2"})
    assert any('ORDER BY "articles_article"."published_on" DESC' in q["sql"] for q in queries)


# --- text as typed: control characters, line ends, tags in any script --------------------


def form_errors(response):
    """What the admin screen says is wrong, by field name as posted (inlines prefixed)."""
    errors = dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            errors.update({f"{form.prefix}-{name}": e for name, e in form.errors.items()})
    return errors


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", "Kim Kardashian\x0b On Life After Divorce"),
        ("title", "Kim Kardashian\x00 On Life After Divorce"),
        ("dek", "She talks\x01 about co-parenting."),
        ("body", "First paragraph.\x1b\n\nSecond paragraph."),
        ("byline", "A.\x85Writer"),
        ("byline", "A.\tWriter"),
        ("tags", "divorce, new\x0btag"),
        ("quotes-0-text", "I am\x0c doing well."),
        ("quotes-0-context", "told\x7f Vogue"),
        ("sources-0-label", "Vogue,\x9f 3 March 2022"),
    ],
)
def test_a_control_character_is_refused_where_it_was_typed(admin_client, story_form, field, value):
    story_form[field] = value
    response = admin_client.post(ADD_URL, story_form)
    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == [field], errors
    assert not Article.objects.filter(slug=story_form["slug"]).exists()


def test_a_body_typed_in_a_browser_keeps_its_paragraphs(admin_client, client, story_form):
    """Browsers send a text area's lines ended by CR LF."""
    story_form["body"] = "First paragraph.\r\n\r\nSecond paragraph,\r\nsame paragraph."
    story_form["dek"] = "One line.\r\nAnother."
    assert admin_client.post(ADD_URL, story_form).status_code == 302
    article = Article.objects.get(slug=story_form["slug"])
    assert article.body == "First paragraph.\n\nSecond paragraph,\nsame paragraph."
    assert article.dek == "One line.\nAnother."
    assert article.quotes.count() == 2
    body = page(client.get(article.get_absolute_url()).content).find("div", "story__body")
    assert [text(p) for p in body.find_all("p")] == [
        "First paragraph.",
        "Second paragraph, same paragraph.",
    ]


@pytest.mark.parametrize("tags", ["!!!", "divorce, ---", "…, divorce", "_"])
def test_a_tag_without_letters_or_digits_is_refused_with_a_message(admin_client, story_form, tags):
    story_form["tags"] = tags
    response = admin_client.post(ADD_URL, story_form)
    assert response.status_code == 200
    [message] = form_errors(response)["tags"]
    assert "no letters or digits" in message
    assert not Article.objects.filter(slug=story_form["slug"]).exists()


def test_tags_in_any_script_get_a_page_a_link_a_feed_and_a_sitemap_entry(
    admin_client, client, story_form
):
    story_form["tags"] = "развод, 離婚, Ye’s album, 2022"
    assert admin_client.post(ADD_URL, story_form).status_code == 302
    article = Article.objects.get(slug=story_form["slug"])
    story = client.get(article.get_absolute_url())
    assert story.status_code == 200
    links = {
        text(link): link.get("href")
        for link in page(story.content).find("ul", "tags").find_all("a")
    }
    assert links == {
        "развод": "/tags/%D1%80%D0%B0%D0%B7%D0%B2%D0%BE%D0%B4/",
        "離婚": "/tags/%E9%9B%A2%E5%A9%9A/",
        "Ye’s album": "/tags/yes-album/",
        "2022": "/tags/2022/",
    }
    for href in links.values():
        tag_page = page(client.get(href).content)
        assert [
            text(a) for a in tag_page.find("main").find_all("a", href=article.get_absolute_url())
        ]
        assert client.get(f"{href}feed/").status_code == 200, href
    sitemap = client.get("/sitemap-tags.xml")
    assert sitemap.status_code == 200
    locations = [
        loc.text
        for loc in ET.fromstring(sitemap.content).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert {urlsplit(loc).path for loc in locations} >= set(links.values())


TAG_ADD_URL = reverse("admin:taggit_tag_add")


@pytest.mark.parametrize(
    "name, slug, field",
    [("!!!", "x", "name"), ("new\x0btag", "new-tag", "name"), ("Fine", "---", "slug")],
)
def test_the_tag_screen_follows_the_rules_of_tags(admin_client, name, slug, field):
    response = admin_client.post(TAG_ADD_URL, {"name": name, "slug": slug, "_save": "Save"})
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == [field]
    assert not Tag.objects.exists()


def test_the_tag_screen_takes_a_tag_in_another_script(admin_client, client):
    response = admin_client.post(TAG_ADD_URL, {"name": "развод", "slug": "развод", "_save": "Save"})
    assert response.status_code == 302
    assert Tag.objects.get().slug == "развод"


@pytest.mark.parametrize(
    "url",
    [
        "https://editor:secret@www.vogue.com/",
        "https://editor@www.vogue.com/",
        "https://:secret@www.vogue.com/",
    ],
)
def test_an_outlet_address_with_credentials_is_refused_and_nothing_is_saved(admin_client, url):
    add = reverse("admin:articles_publication_add")
    form = form_data(admin_client.get(add).content.decode(), "publication_form")
    form.update({"name": "Vogue", "slug": "vogue", "url": url, "_save": "Save"})
    response = admin_client.post(add, form)
    assert response.status_code == 200
    assert NO_CREDENTIALS in error_messages(response)
    assert not Publication.objects.exists()


def test_a_story_source_address_with_credentials_is_refused_and_nothing_is_saved(
    admin_client, story_form
):
    story_form["sources-0-url"] = "https://editor:secret@www.vogue.com/"
    response = admin_client.post(ADD_URL, story_form)
    assert response.status_code == 200
    assert NO_CREDENTIALS in error_messages(response)
    assert not Article.objects.filter(slug=story_form["slug"]).exists()
    assert not SourceLink.objects.filter(url__contains="secret").exists()


def test_an_address_with_an_at_sign_after_the_site_is_kept(admin_client, story_form):
    story_form["sources-0-url"] = "https://medium.com/@kimkardashian"
    assert admin_client.post(ADD_URL, story_form).status_code == 302
    story = Article.objects.get(slug=story_form["slug"])
    assert story.sources.get().url == "https://medium.com/@kimkardashian"
