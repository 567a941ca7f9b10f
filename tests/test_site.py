"""Site-wide pages: crawlers, load balancers, errors, static files."""

import datetime
import re
import xml.etree.ElementTree as ET

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search as search_module
from articles import views as article_views
from newsroom.sitemaps import StorySitemap
from people.models import Person
from tests.html import page

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def sitemap_locations(client):
    """Every address of every section the sitemap index lists (all their pages)."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    locations = set()
    for section in ET.fromstring(index.content).findall("s:sitemap/s:loc", SITEMAP_NS):
        response = client.get(section.text.removeprefix("http://testserver"))
        assert response.status_code == 200, section.text
        root = ET.fromstring(response.content)
        locations |= {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}
    return locations


def test_the_sitemap_lists_public_pages(client, demo):
    locations = sitemap_locations(client)
    assert "http://testserver/" in locations
    assert "http://testserver/people/kim-kardashian/" in locations
    assert "http://testserver/tags/divorce/" in locations
    assert any(loc.startswith("http://testserver/articles/2022/02/09/") for loc in locations)


def test_the_sitemap_index_pages_each_section(client, make_article, monkeypatch):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    stories = [make_article(f"Story {i}", slug=f"story-{i}") for i in range(5)]
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-stories.xml?p=3</loc>" in index and "?p=4" not in index
    addresses = {f"http://testserver{story.get_absolute_url()}" for story in stories}
    assert addresses <= sitemap_locations(client)


def test_a_story_keeps_its_sitemap_page_as_newer_stories_are_added(
    client, make_article, monkeypatch
):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    first, second = make_article("First"), make_article("Second")
    page_one = client.get("/sitemap-stories.xml").content.decode()
    for i in range(3):
        make_article(f"Newer {i}", published_on=datetime.date(2023, 1, 1))
    assert client.get("/sitemap-stories.xml").content.decode().count("<url>") == 2
    assert client.get("/sitemap-stories.xml").content.decode() == page_one
    assert first.slug in page_one and second.slug in page_one


def test_the_sitemap_index_reads_no_section_whole(client, make_article, make_person):
    """Django's sitemaps count every item and read every item for the latest change: at a
    million stories the index took 20 s. Here stories and people are two index probes each
    (tags and outlets are a few hundred rows, counted)."""
    for i in range(5):
        make_article(f"Story {i}")
        make_person(f"Person {i}")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    tables = ('"articles_article"', '"people_person"')
    read = [q["sql"] for q in queries if q["sql"].split(" FROM ", 1)[1].startswith(tables)]
    assert len(read) == 4
    for sql in read:
        assert "COUNT(" not in sql and "OFFSET" not in sql, sql
        assert "LIMIT 1" in sql or "MAX(" in sql, sql


def test_the_sitemap_says_when_stories_last_changed_but_not_drafts(client, make_article):
    story = make_article("Public story")
    draft = make_article("Secret draft", status="draft")
    latest = timezone.now() - datetime.timedelta(days=3)
    type(story).objects.filter(pk=story.pk).update(updated_at=latest)
    type(draft).objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    index = ET.fromstring(client.get("/sitemap.xml").content)
    lastmods = {
        entry.findtext("s:loc", namespaces=SITEMAP_NS): entry.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for entry in index.findall("s:sitemap", SITEMAP_NS)
    }
    assert lastmods["http://testserver/sitemap-stories.xml"] == latest.isoformat()


def test_a_missing_page_is_a_helpful_404(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page not found</h1>" in content and 'href="/search/"' in content


def test_a_crash_is_a_plain_500_page(db, monkeypatch):
    def crash(query):
        raise RuntimeError("boom")

    monkeypatch.setattr(article_views, "search", crash)
    response = Client(raise_request_exception=False).get("/search/?q=x")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content and "boom" not in content


def test_static_files_have_hashed_names_and_are_served_by_whitenoise(client, db):
    page = client.get("/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", href)
    response = client.get(href)
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert b"--accent" in b"".join(response.streaming_content)


def test_every_page_has_one_title_a_description_and_a_canonical_url(client, demo):
    for url in ["/", "/articles/", "/people/", "/quotes/", "/people/kanye-west/", "/tags/divorce/"]:
        soup = page(client.get(url))
        assert len(soup.head.find_all("title")) == 1, url
        assert soup.head.find("meta", attrs={"name": "description"})["content"], url
        assert soup.head.find("link", rel="canonical")["href"] == f"http://testserver{url}", url
        assert len(soup.find_all("h1")) == 1, url


def test_the_canonical_url_keeps_only_the_page_number(client, demo):
    content = client.get("/quotes/?page=1&utm_source=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/quotes/">' in content
    kim = Person.objects.get(slug="kim-kardashian")
    content = client.get(f"/people/?after={kim.pk}&utm_source=x").content.decode()
    assert f'<link rel="canonical" href="http://testserver/people/?after={kim.pk}">' in content
    # "²" is a digit to str.isdigit() but not to int(): every list page was a server error.
    response = client.get("/quotes/", {"page": "²"})
    assert response.status_code == 200
    assert '<link rel="canonical" href="http://testserver/quotes/">' in response.content.decode()


def canonical_url(client, url):
    content = client.get(url).content.decode()
    found = re.search(r'<link rel="canonical" href="http://testserver([^"]*)">', content)
    return found.group(1).replace("&amp;", "&")


def test_the_canonical_url_names_the_list_and_the_page_shown(
    client, demo, make_article, monkeypatch
):
    # A page per quote or story: Kim Kardashian's three quotes, four quotes in all, and three
    # stories of February 2022 about the Kardashians (the demo's and these two).
    make_article("Kardashian on tour")
    make_article("Kardashian at home")
    monkeypatch.setattr(article_views, "PAGE_SIZE", 1)
    monkeypatch.setattr(search_module, "PER_PAGE", 1)
    monkeypatch.setattr(article_views.ArchiveMixin, "paginate_by", 1)
    monkeypatch.setattr("articles.list_pages.PAGE_SIZE", 1)
    kim = Person.objects.get(slug="kim-kardashian")
    expected = {
        "/quotes/?person=kim-kardashian&utm_source=x": "/quotes/?person=kim-kardashian",
        "/quotes/?person=kim-kardashian&page=2": "/quotes/?person=kim-kardashian&page=2",
        "/quotes/?person=kim-kardashian&page=1": "/quotes/?person=kim-kardashian",
        # Out of range, the list shows another page: the canonical names that one.
        "/quotes/?person=kim-kardashian&page=999": "/quotes/?person=kim-kardashian&page=3",
        "/quotes/?page=999": "/quotes/?page=4",
        "/quotes/?page=0": "/quotes/",
        "/quotes/?page=-1": "/quotes/",
        "/people/kim-kardashian/?page=999": "/people/kim-kardashian/",
        "/articles/2022/02/?page=2&utm_source=x": "/articles/2022/02/?page=2",
        "/articles/2022/02/?page=999": "/articles/2022/02/?page=3",
        # The search and its facets, as the page understood them (no kind "bogus").
        "/search/?q=kardashian&kind=bogus&person=kim-kardashian&utm_source=x": (
            "/search/?q=kardashian&person=kim-kardashian"
        ),
        "/search/?q=kardashian&page=999": "/search/?q=kardashian&page=3",
        "/search/?q=&page=2": "/search/",
        # The directory: a letter, in the case names are written; a key no longer listed
        # starts from the start.
        "/people/?from=kim&utm_source=x": "/people/?from=Kim",
        f"/people/?before={kim.pk}": f"/people/?before={kim.pk}",
        "/people/?after=999999": "/people/",
    }
    found = {url: canonical_url(client, url) for url in expected}
    assert found == expected
