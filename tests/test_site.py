"""Site-wide pages: crawlers, load balancers, errors, static files."""

import re
import xml.etree.ElementTree as ET

from django.db import DatabaseError
from django.test import Client

from articles import views as article_views
from newsroom.sitemaps import StorySitemap

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


def test_healthz_answers_ok_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("newsroom.views.connection.cursor", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


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
        content = client.get(url).content.decode()
        head = content.split("</head>")[0]
        assert head.count("<title>") == 1, url
        assert '<meta name="description" content="' in content, url
        assert f'<link rel="canonical" href="http://testserver{url}">' in content, url
        assert content.count("<h1") == 1, url


def test_the_canonical_url_keeps_only_the_page_number(client, demo):
    content = client.get("/quotes/?page=1&utm_source=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/quotes/">' in content
