import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Mention, Quote, SourceLink
from people.models import Person
from tests.html import meta, page, section, text

SEED_URL = (
    "/articles/2022/02/09/"
    "kim-kardashian-admits-shes-kanyes-biggest-cheerleader-in-front-of-the-kids-even-when-feuding/"
)


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def ld_json(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


# --- published, drafts, scheduled ------------------------------------------------------


def test_the_front_page_lists_published_stories_only(client, make_article):
    make_article("Out now")
    make_article("Still a draft", status=Article.Status.DRAFT)
    make_article("Coming soon", published_on=timezone.localdate() + datetime.timedelta(days=1))
    content = html(client, "/")
    assert "Out now" in content
    assert "Still a draft" not in content and "Coming soon" not in content


def test_a_story_has_a_permalink_and_a_draft_has_none(client, make_article):
    story = make_article("Out now")
    draft = make_article("Still a draft", status=Article.Status.DRAFT)
    assert story.get_absolute_url() == "/articles/2022/02/09/out-now/"
    html(client, story.get_absolute_url())
    html(client, draft.get_absolute_url(), status=404)


def test_a_permalink_has_one_form(client, make_article):
    make_article("Out now")
    html(client, "/articles/2022/2/9/out-now/", status=404)
    html(client, "/articles/22/02/09/out-now/", status=404)


def test_published_means_published_and_dated_today_or_before(make_article):
    today = timezone.localdate()
    make_article("Today", published_on=today)
    make_article("Tomorrow", published_on=today + datetime.timedelta(days=1))
    make_article("Draft", status=Article.Status.DRAFT, published_on=today)
    assert [a.title for a in Article.objects.published()] == ["Today"]


@pytest.fixture
def hidden(demo, make_article):
    """A draft and a scheduled story, about Kim, tagged, quoted and sourced like the rest."""
    kim = Person.objects.get(slug="kim-kardashian")
    future = timezone.localdate() + datetime.timedelta(days=3)
    stories = [
        make_article("Secretdraft Story", status=Article.Status.DRAFT),
        make_article("Secretscheduled Story", published_on=future),
    ]
    for story in stories:
        story.tags.add("divorce", "secrettag")
        Mention.objects.create(article=story, person=kim, role="subject")
        Quote.objects.create(article=story, speaker=kim, text=f"Secretquote of {story.slug}")
        SourceLink.objects.create(article=story, label="Secretsource", url="https://example.org/")
    return stories


def test_drafts_and_scheduled_stories_never_show(client, hidden):
    quote = Quote.objects.filter(text__startswith="Secretquote").first()
    pages = [
        "/",
        "/articles/",
        "/articles/2022/",
        "/articles/2022/02/",
        "/articles/2022/02/09/",
        SEED_URL,
        "/people/kim-kardashian/",
        "/people/kim-kardashian/feed/",
        "/quotes/",
        "/quotes/?person=kim-kardashian",
        "/tags/divorce/",
        "/tags/divorce/feed/",
        "/feeds/latest/",
        "/search/?q=secretdraft",
        "/search/?q=secretquote",
        "/search/?q=secretscheduled",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-people.xml",
        "/sitemap-tags.xml",
        "/publications/vogue/",
    ]
    for url in pages:
        content = html(client, url)
        # Searches echo their lower-case query; the hidden data is capitalised.
        assert "Secret" not in content and "secrettag" not in content, url
    for story in hidden:
        html(client, story.get_absolute_url(), status=404)
    html(client, quote.get_absolute_url(), status=404)
    html(client, "/tags/secrettag/", status=404)


def test_archive_counts_leave_drafts_out(client, hidden):
    content = html(client, "/articles/2022/")
    assert ">February</a>" in content and "1 story<" in content
    content = html(client, "/articles/2022/02/")
    days = page(content).find("nav", "period-nav")
    assert [text(item) for item in days.find_all("li")] == ["9 February 1 story"]
    assert "1 story<" in content


def test_the_archive_lists_only_years_and_months_with_published_stories(client, make_article):
    make_article("Old", published_on=datetime.date(2019, 3, 2))
    make_article("Newer", published_on=datetime.date(2022, 7, 1))
    make_article("Draft", published_on=datetime.date(2020, 5, 5), status=Article.Status.DRAFT)
    make_article("Later", published_on=timezone.localdate() + datetime.timedelta(days=400))
    content = html(client, "/articles/")
    years = re.findall(r'href="/articles/(\d{4})/"', content)
    assert years == ["2022", "2019"]
    content = html(client, "/articles/2022/")
    assert re.findall(r'href="/articles/2022/(\d\d)/"', content) == ["07"]
    html(client, "/articles/2020/", status=404)


def test_a_scheduled_story_appears_on_its_day(client, make_article, monkeypatch):
    today = timezone.localdate()
    story = make_article("Embargoed", published_on=today + datetime.timedelta(days=1))
    html(client, story.get_absolute_url(), status=404)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + datetime.timedelta(days=1))
    html(client, story.get_absolute_url())


# --- the story page ---------------------------------------------------------------------


def test_the_story_page_shows_everything_about_the_story(client, demo):
    content = html(client, SEED_URL)
    assert "<h1>Kim Kardashian Admits She’s Kanye’s ‘Biggest Cheerleader’" in content
    assert "Kim Kardashian opened up about co-parenting" in content
    assert "Wednesday 9 February 2022" in content and ">Interview<" in content
    assert "GOD PLEASE BRING OUR FAMILY BACK TOGETHER" in content
    assert 'href="/people/kanye-west/">Kanye West</a>, Instagram caption' in content
    # People with their age on the story's date.
    assert 'Kim Kardashian</a> <span class="age">41 at the time</span>' in content
    assert 'Kanye West</a> <span class="age">44 at the time</span>' in content
    assert 'North West</a> <span class="age">8 at the time</span>' in content
    assert 'href="/tags/co-parenting/">co-parenting</a>' in content
    assert "<cite>Vogue, cover story interview with Kim Kardashian" in content


def test_related_stories_share_people_or_tags_and_neighbours_follow_the_archive(
    client, demo, make_article
):
    kanye = Person.objects.get(slug="kanye-west")
    before = make_article("Earlier Story", published_on=datetime.date(2022, 1, 5))
    after = make_article("Later Story", published_on=datetime.date(2022, 3, 5))
    unrelated = make_article("Unrelated Story", published_on=datetime.date(2021, 1, 1))
    Mention.objects.create(article=before, person=kanye)
    after.tags.add("divorce")
    soup = page(html(client, SEED_URL))
    related = text(section(soup, "related-heading"))
    assert "Earlier Story" in related and "Later Story" in related
    assert "Unrelated Story" not in related
    neighbours = soup.find("nav", class_="prev-next")
    assert neighbours.find("a", rel="prev")["href"] == "/articles/2022/01/05/earlier-story/"
    assert neighbours.find("a", rel="next")["href"] == "/articles/2022/03/05/later-story/"
    assert unrelated.title not in text(neighbours)


def test_the_story_page_describes_itself_for_sharing_and_search_engines(client, demo):
    content = html(client, SEED_URL)
    assert f'<link rel="canonical" href="http://testserver{SEED_URL}">' in content
    assert '<meta property="og:type" content="article">' in content
    assert '<meta name="description" content="Kim Kardashian opened up' in content
    data = ld_json(content)
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2022-02-09"
    assert {p["name"] for p in data["mentions"]} == {
        "Kim Kardashian",
        "Kanye West",
        "North West",
        "Saint West",
        "Chicago West",
        "Psalm West",
    }


def test_query_count_does_not_grow_with_quotes_people_tags_or_sources(
    client, make_person, make_article
):
    def story_with(n, title):
        story = make_article(title, slug=title.lower())
        for i in range(n):
            person = make_person(f"{title} Person {i}")
            Mention.objects.create(article=story, person=person)
            Quote.objects.create(article=story, speaker=person, text=f"Quote {i}", position=i)
            SourceLink.objects.create(article=story, label=f"Source {i}")
            story.tags.add(f"{title}-tag-{i}")
        return story

    small, large = story_with(4, "Small"), story_with(40, "Large")
    assert query_count(client, small.get_absolute_url()) == query_count(
        client, large.get_absolute_url()
    )


# --- lists ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/articles/",
        "/articles/2022/",
        "/articles/2022/02/",
        "/articles/2022/02/09/",
        "/tags/busy/",
        "/publications/vogue/",
        "/quotes/",
        "/people/",
        "/feeds/latest/",
        "/tags/busy/feed/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-tags.xml",
        "/search/?q=Story",
    ],
)
def test_list_pages_cost_the_same_for_3_or_30_items(client, vogue, make_person, make_article, url):
    def add(n, offset):
        for i in range(offset, offset + n):
            person = make_person(f"Person {i}")
            story = make_article(
                f"Story {i}", publication=vogue, published_on=datetime.date(2022, 2, 9)
            )
            story.tags.add("busy")
            Mention.objects.create(article=story, person=person)
            Quote.objects.create(article=story, speaker=person, text=f"Said {i}")

    add(3, 0)
    few = query_count(client, url)
    add(27, 3)
    assert query_count(client, url) == few


def test_the_archive_is_paginated_with_counts(client, make_article):
    for day in range(1, 26):
        make_article(f"Story {day}", published_on=datetime.date(2022, 2, day))
    content = html(client, "/articles/2022/02/")
    assert "25 stories" in content and "Page 1 of 2" in content
    assert re.search(r'href="/articles/2022/02/25/">25 February</a> <span class="count">1', content)
    page_two = html(client, "/articles/2022/02/?page=2")
    assert "Story 1<" in page_two and "Story 25<" not in page_two
    assert 'href="/articles/2022/">2022</a>' in html(client, "/articles/")


@pytest.mark.parametrize("number", ["0", "-1", "999999", "2.0", "²", "abc", "last"])
@pytest.mark.parametrize(
    "url", ["/articles/", "/articles/2022/", "/articles/2022/02/", "/articles/2022/02/09/"]
)
def test_the_archive_gives_the_nearest_page_for_a_page_number_out_of_range(
    client, make_article, url, number
):
    """As the other lists do; it was “not found”."""
    for n in range(25):
        make_article(f"Story {n}", slug=f"story-{n}")
    content = html(client, f"{url}?page={number}")
    assert "Story" in content and ("Page 1 of 2" in content or "Page 2 of 2" in content)


def test_a_year_without_stories_is_not_found(client, make_article):
    make_article("Out now")
    html(client, "/articles/1999/", status=404)


def test_quotes_list_and_permalink(client, demo):
    content = html(client, "/quotes/")
    assert content.count('class="quote"') == 4
    quote = Quote.objects.get(text__startswith="GOD PLEASE")
    page = html(client, f"/quotes/{quote.pk}/")
    assert "GOD PLEASE BRING OUR FAMILY BACK TOGETHER" in page
    assert "Instagram caption" in page and 'href="/people/kanye-west/"' in page
    data = ld_json(page)
    assert data["@type"] == "Quotation" and data["creator"]["name"] == "Kanye West"
    by_kim = html(client, "/quotes/?person=kim-kardashian")
    assert by_kim.count('class="quote"') == 3
    html(client, "/quotes/?person=nobody", status=404)
    # PostgreSQL refuses a NUL byte in a query: that was a server error.
    assert client.get("/quotes/", {"person": "kim\x00kardashian"}).status_code == 404


def test_tag_and_outlet_pages(client, demo):
    assert "Biggest Cheerleader" in html(client, "/tags/co-parenting/")
    # The seed story has no outlet of its own but cites Vogue.
    assert "Biggest Cheerleader" in html(client, "/publications/vogue/")
    html(client, "/tags/no-such-tag/", status=404)
    html(client, "/publications/no-such-outlet/", status=404)


def test_an_outlet_lists_its_stories_and_those_citing_it_once_each(client, vogue, make_article):
    own = make_article("Own story", publication=vogue)
    SourceLink.objects.create(article=own, publication=vogue, label="Vogue")
    citing = make_article("Citing story")
    SourceLink.objects.create(article=citing, publication=vogue, label="Vogue, 9 February 2022")
    draft = make_article("Draft citing", status=Article.Status.DRAFT)
    SourceLink.objects.create(article=draft, publication=vogue, label="Vogue")
    content = html(client, "/publications/vogue/")
    assert content.count("Own story<") == 1 and content.count("Citing story<") == 1
    assert "Draft citing" not in content


def test_a_tag_only_drafts_carry_has_no_feed_as_it_has_no_page(client, make_article):
    make_article("Secret plans", status=Article.Status.DRAFT).tags.add("secret-plans")
    make_article("Later plans", published_on=datetime.date(2999, 1, 1)).tags.add("later-plans")
    for slug in ["secret-plans", "later-plans", "no-such-tag"]:
        assert client.get(f"/tags/{slug}/").status_code == 404
        assert client.get(f"/tags/{slug}/feed/").status_code == 404


def test_feeds_are_atom(client, demo):
    for url in ["/feeds/latest/", "/tags/divorce/feed/", "/people/kim-kardashian/feed/"]:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml"), url
        assert "<entry>" in response.content.decode() and "Biggest Cheerleader" in (
            response.content.decode()
        )


# --- hostile text -----------------------------------------------------------------------

PAYLOADS = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</script><script>alert(1)</script>",
]


def test_hostile_text_is_shown_literally_and_runs_nowhere(client, make_person, make_article):
    payload = " ".join(PAYLOADS)
    person = make_person(f"Evil {payload}", slug="evil", bio=payload)
    story = make_article(
        f"Headline {payload}",
        slug="evil-story",
        dek=f"Dek {payload}",
        body=f"Body {payload}\n\nA javascript:alert(1) link and {{{{ 7|add:7 }}}} {{% now 'Y' %}}",
    )
    story.tags.add(f"tag {PAYLOADS[1]}")
    Mention.objects.create(article=story, person=person)
    Quote.objects.create(article=story, speaker=person, text=f"Quote {payload}", context=payload)
    SourceLink.objects.create(article=story, label=f"Label {payload}")
    for url in [story.get_absolute_url(), "/people/evil/", "/", "/quotes/", "/search/?q=Evil"]:
        content = html(client, url)
        for raw in PAYLOADS:
            assert raw not in content, (url, raw)
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content, url
    content = html(client, story.get_absolute_url())
    assert "{{ 7|add:7 }} {% now &#x27;Y&#x27; %}" in content
    assert 'href="javascript' not in content
    data = ld_json(content)  # the JSON-LD block survives </script> in the data
    assert data["headline"] == f"Headline {payload}"


def test_the_quote_page_and_the_person_feed_cost_the_same_for_few_or_many(
    client, make_person, make_article
):
    def quote_with(n, name):
        person = make_person(name)
        story = make_article(f"{name} story", slug=f"{name}-story".lower())
        quote = Quote.objects.create(article=story, speaker=person, text=f"{name} said")
        for i in range(n):
            SourceLink.objects.create(article=story, quote=quote, label=f"{name} source {i}")
            other = make_article(f"{name} story {i}", slug=f"{name}-story-{i}".lower())
            Mention.objects.create(article=other, person=person)
        return quote

    few, many = quote_with(1, "Few"), quote_with(12, "Many")
    assert query_count(client, few.get_absolute_url()) == query_count(
        client, many.get_absolute_url()
    )
    assert query_count(client, f"/people/{few.speaker.slug}/feed/") == query_count(
        client, f"/people/{many.speaker.slug}/feed/"
    )


# --- the pages read as a reader reads them ------------------------------------------------


def captions(document):
    """Each quote's caption as read, without its permalink (“#”)."""
    return [
        text(figure.find("figcaption")).removesuffix(" #")
        for figure in document.find_all("figure", "quote")
    ]


@pytest.mark.parametrize(
    "url", [SEED_URL, "/quotes/", "/quotes/?person=kim-kardashian", "/search/?q=divorce"]
)
def test_a_quote_whose_context_names_its_day_says_the_day_once(client, demo, url):
    """Its context is “wrote on February 4”, as the story has it, and it was said that day:
    the caption read “wrote on February 4, 4 February 2022”."""
    said = [c for c in captions(page(html(client, url))) if "wrote" in c]
    assert said and all(c.startswith("Kim Kardashian, wrote on 4 February 2022") for c in said)


def test_the_quotes_page_captions_it_once_and_lists_its_sources_plainly(client, demo):
    quote = Quote.objects.get(context="wrote on February 4")
    document = page(html(client, quote.get_absolute_url()))
    assert captions(document) == ["Kim Kardashian, wrote on 4 February 2022"]
    time = document.find("figure", "quote").find("time")
    assert time.get("datetime") == "2022-02-04"
    sources = document.find("ol", "sources")
    assert [text(item) for item in sources.find_all("li")] == [
        "Kim Kardashian, public statement of 4 February 2022"
    ]


def test_a_caption_with_another_day_or_none_keeps_context_and_date_apart(client, demo):
    Quote.objects.filter(context="told Vogue").update(said_on=datetime.date(2022, 2, 8))
    Quote.objects.filter(context="wrote on February 4").update(said_on=datetime.date(2022, 2, 3))
    said = captions(page(html(client, SEED_URL)))
    assert said[:2] == ["Kim Kardashian, told Vogue, 8 February 2022"] * 2
    assert said[3] == "Kim Kardashian, wrote on February 4, 3 February 2022"


def test_sources_without_an_address_are_cited_without_the_archives_own_words(client, demo):
    sources = page(html(client, SEED_URL)).find("ol", "sources")
    assert [text(item) for item in sources.find_all("li")] == [
        "Vogue, cover story interview with Kim Kardashian, published 9 February 2022 · Vogue",
        "Kanye West, Instagram post: a collage of photos of the children, February 2022 · "
        "Instagram · for the quote “GOD PLEASE BRING OUR FAMILY BACK TOGETHER”",
        "Kim Kardashian, public statement of 4 February 2022 · for the quote “Divorce is "
        "difficult enough on our children and …”",
    ]
    assert [text(cite) for cite in sources.find_all("cite")][0].startswith("Vogue, cover story")


def test_a_description_too_long_for_a_search_result_ends_on_a_whole_word(client, demo):
    quote = Quote.objects.get(context="wrote on February 4")
    description = meta(page(html(client, quote.get_absolute_url())), "description")
    assert len(description) <= 200 and description.endswith(" …")
    assert quote.text.startswith(description.removesuffix(" …"))
    assert quote.text[len(description) - 2] == " "  # the next word was left out whole


def test_the_tag_page_names_the_tag_as_its_heading_does(client, demo):
    document = page(html(client, "/tags/social-media/"))
    assert text(document.find("h1")) == "Stories tagged “social media”"
    assert text(document.find("title")) == "Stories tagged “social media” — Newsroom"
    assert meta(document, "description") == "Every story in the archive tagged “social media”."


# --- stored text the rules came after -------------------------------------------------------


def test_a_body_stored_with_windows_line_ends_shows_its_paragraphs(client, make_article):
    story = make_article("Kim Speaks")
    Article.objects.filter(pk=story.pk).update(body="One.\r\n\r\nTwo.\r\n  \r\nThree.")
    body = page(html(client, story.get_absolute_url())).find("div", "story__body")
    assert [text(p) for p in body.find_all("p")] == ["One.", "Two.", "Three."]


def test_a_tag_stored_without_an_address_is_shown_unlinked(client, make_article):
    story = make_article("Kim Speaks")
    story.tags.add("divorce")
    Tag.objects.create(name="!!!", slug="")
    story.tags.add(Tag.objects.get(name="!!!"))
    tags = page(html(client, story.get_absolute_url())).find("ul", "tags")
    assert [
        (text(li), [a.get("href") for a in li.find_all("a")]) for li in tags.find_all("li")
    ] == [
        ("!!!", []),
        ("divorce", ["/tags/divorce/"]),
    ]
    assert client.get("/sitemap-tags.xml").status_code == 200
