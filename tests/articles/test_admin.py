import pytest
from django.urls import reverse

from articles.models import Article, Quote, SourceLink
from people.models import Person

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
