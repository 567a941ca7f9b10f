"""The read API (opendata/api.py): resources, filters, keyset pages, what never appears, query
counts, conditional GET and cross-origin reads."""

import datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Publication, Quote
from people.models import Person, Relationship
from tests.opendata.conftest import assert_no_secret

pytestmark = pytest.mark.usefixtures("api_settings")

LISTS = ["people", "relationships", "stories", "quotes", "outlets", "tags"]


def get(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.content[:300])
    return response


def walk(client, url):
    """Every item of a list, page after page, and the pages' addresses."""
    items, pages = [], []
    while url:
        pages.append(url)
        page = get(client, url).json()
        items += page["items"]
        url = page["next"]
        assert len(pages) < 100, "the list never ends"
    return items, pages


def test_a_person_has_aliases_relationships_with_their_dates_and_sources(client, archive):
    kim = get(client, "/api/v1/people/kim-kardashian/").json()
    assert kim["name"] == "Kim Kardashian" and kim["full_name"] == "Kimberly Noel Kardashian"
    assert kim["born_on"] == "1980-10-21" and kim["wikidata_id"] == "Q186304"
    assert "Kim Kardashian West" in kim["aliases"]
    assert kim["page"] == "/people/kim-kardashian/"
    assert any(
        source["url"] == "https://www.wikidata.org/wiki/Q186304" for source in kim["sources"]
    )
    by_kind = {(r["kind"], r["person_b"]["slug"]): r for r in kim["relationships"]}
    married = by_kind[("married", "kanye-west")]
    assert married["started_on"] == "2014-05-24" and married["place"] == "Florence, Italy"
    assert married["ended_on"] == "2022-03-02" and married["end_reason"] == "divorce"
    assert married["sources"] and all("label" in source for source in married["sources"])
    # Known to the month: never the first of that month.
    dating = by_kind[("dating", "kanye-west")]
    assert (dating["started_on"], dating["started_precision"]) == ("2012-04", "month")
    parent = by_kind[("parent", "north-west")]
    assert parent["person_a"]["slug"] == "kim-kardashian" and parent["end_reason"] is None
    # Read from the other side too.
    kanye = get(client, "/api/v1/people/kanye-west/").json()
    assert married["id"] in {r["id"] for r in kanye["relationships"]}


def test_a_story_has_its_people_tags_sources_and_corrections(client, archive):
    extra = archive.extra_stories[2]
    story = get(client, f"/api/v1/stories/{extra.pk}/").json()
    assert story["title"] == "Extra story 2" and story["published_on"] == "2021-01-03"
    assert story["outlet"]["slug"] == "vogue" and story["page"] == extra.get_absolute_url()
    assert [(p["slug"], p["role"]) for p in story["people"]] == [
        ("kim-kardashian", "subject"),
        ("extra-person-2", "mentioned"),
    ]
    assert [tag["slug"] for tag in story["tags"]] == ["extra", "extra-2"]
    (source,) = story["sources"]
    assert source["outlet"]["slug"] == "vogue" and source["url"] is None
    assert source["quote"] == extra.quotes.get().pk
    assert story["corrections"][0]["note"] == "Corrected the date 2."


def test_a_quote_names_its_speakers_and_story(client, archive):
    quote = archive.extra_stories[0].quotes.get()
    answer = get(client, f"/api/v1/quotes/{quote.pk}/").json()
    assert answer["speakers"] == [
        {"id": archive.kim.pk, "slug": "kim-kardashian", "name": "Kim Kardashian"}
    ]
    assert answer["story"]["id"] == quote.article_id and answer["page"] == f"/quotes/{quote.pk}/"
    unattributed = Quote.objects.create(article=archive.story, text="Said by someone", position=9)
    assert get(client, f"/api/v1/quotes/{unattributed.pk}/").json()["speakers"] == []


@pytest.mark.parametrize("name", LISTS)
def test_a_list_walked_page_by_page_gives_every_row_once(client, archive, name):
    whole, _ = walk(client, f"/api/v1/{name}/?limit=100")
    paged, pages = walk(client, f"/api/v1/{name}/?limit=2")
    assert len(pages) > 1
    assert [item["id"] for item in paged] == [item["id"] for item in whole]
    assert len({item["id"] for item in whole}) == len(whole)


def test_lists_come_in_their_documented_order(client, archive):
    people, _ = walk(client, "/api/v1/people/?limit=100")
    assert [p["name"] for p in people] == sorted(p["name"] for p in people)
    assert len(people) == Person.objects.count()
    stories, _ = walk(client, "/api/v1/stories/?limit=3")
    assert [s["published_on"] for s in stories] == sorted(
        (s["published_on"] for s in stories), reverse=True
    )
    assert len(stories) == Article.objects.published().count() == 7
    quotes, _ = walk(client, "/api/v1/quotes/?limit=3")
    assert len(quotes) == Quote.objects.published().count()
    assert quotes[0]["story"]["id"] == archive.story.pk  # 2022: the newest story's first
    relationships, _ = walk(client, "/api/v1/relationships/?limit=4")
    assert [r["id"] for r in relationships] == sorted(
        Relationship.objects.sourced().values_list("pk", flat=True)
    )


def test_drafts_scheduled_stories_and_quotes_to_check_never_appear(client, archive):
    bodies = []
    for name in LISTS:
        for url in walk(client, f"/api/v1/{name}/?limit=3")[1]:
            bodies.append(get(client, url).content.decode())
    for story in (archive.draft, archive.scheduled):
        bodies.append(get(client, f"/api/v1/stories/{story.pk}/", 404).content.decode())
        bodies.append(get(client, f"/api/v1/quotes/?story={story.pk}").content.decode())
        for quote in story.quotes.all():
            get(client, f"/api/v1/quotes/{quote.pk}/", 404)
    get(client, f"/api/v1/quotes/{archive.found_quote.pk}/", 404)
    get(client, "/api/v1/tags/zqxsecret-tag/", 404)
    bodies.append(get(client, "/api/v1/stories/?person=kanye-west").content.decode())
    bodies.append(get(client, "/api/v1/people/kim-kardashian/").content.decode())
    for body in bodies:
        assert_no_secret(body)
    # The story's source backing the quote to check is public; the quote it backs is not.
    story = get(client, f"/api/v1/stories/{archive.story.pk}/").json()
    backing = next(s for s in story["sources"] if s["label"] == "Backs a quote to check")
    assert backing["quote"] is None


def test_stories_between_dates_by_person_tag_outlet_and_kind(client, archive):
    def ids(query):
        return [story["id"] for story in walk(client, f"/api/v1/stories/?{query}")[0]]

    extras = [story.pk for story in archive.extra_stories]
    assert ids("published_from=2021-01-02&published_to=2021-01-04") == extras[3:0:-1]
    assert ids("person=extra-person-4") == [extras[4]]
    assert ids("person=kim-kardashian&limit=2") == [archive.story.pk, *extras[::-1]]
    assert ids("tag=extra-5") == [extras[5]]
    assert ids("outlet=vogue") == extras[::-1]
    assert ids("kind=interview") == [archive.story.pk]
    archive.extra_stories[1].kind = Article.Kind.INTERVIEW
    archive.extra_stories[1].save()
    assert ids("kind=interview") == [archive.story.pk, extras[1]]
    assert ids("kind=opinion") == []
    missing = get(client, "/api/v1/stories/?person=nobody-at-all", 404).json()
    assert "person" in missing["detail"] and "nobody-at-all" in missing["detail"]
    get(client, "/api/v1/stories/?tag=no-such-tag", 404)
    get(client, "/api/v1/stories/?published_from=yesterday", 422)
    # Dates and moments as RFC 3339 writes them, not a number of seconds; a moment with its
    # offset, so that no one's local time is taken for another's.
    get(client, "/api/v1/stories/?published_from=0.5", 422)
    get(client, "/api/v1/stories/?changed_since=1700000000", 422)
    get(client, "/api/v1/stories/?changed_since=2021-01-01T00:00:00", 422)
    get(client, "/api/v1/stories/?changed_since=2021-01-01T00:00:00Z")
    # Any offset RFC 3339 allows, even those PostgreSQL refuses, up to the ends of time.
    for moment, stories in [
        ("2221-10-22T13:30:43.753695+22:21", 0),
        ("0001-01-01T00:00:00+23:59", 7),
        ("9999-12-31T23:59:59-23:59", 0),
    ]:
        page = get(client, f"/api/v1/stories/?{urlencode({'changed_since': moment})}").json()
        assert len(page["items"]) == stories, moment


def test_a_persons_quotes_and_a_storys_quotes(client, archive):
    kims, _ = walk(client, "/api/v1/quotes/?person=kim-kardashian&limit=2")
    expected = Quote.objects.published().filter(speaker=archive.kim).count()
    assert len(kims) == expected and expected > 6
    assert all(q["speakers"][0]["slug"] == "kim-kardashian" for q in kims)
    extra = archive.extra_stories[3]
    (only,) = walk(client, f"/api/v1/quotes/?story={extra.pk}")[0]
    assert only["text"] == "Extra words 3"


def test_relationships_of_a_kind_and_of_a_person(client, archive):
    married, _ = walk(client, "/api/v1/relationships/?kind=married")
    assert [(r["person_a"]["slug"], r["person_b"]["slug"]) for r in married] == [
        ("kim-kardashian", "kanye-west")
    ]
    friends, _ = walk(client, "/api/v1/relationships/?kind=friends&person=extra-person-3")
    assert [r["person_b"]["slug"] for r in friends] == ["extra-person-3"]
    kanyes, _ = walk(client, "/api/v1/relationships/?person=kanye-west&limit=2")
    assert len(kanyes) == Relationship.objects.sourced().involving(archive.kanye).count()
    get(client, "/api/v1/relationships/?kind=enemies", 422)


def since(moment):
    return urlencode({"changed_since": moment.isoformat()})


def test_changed_since_lists_in_the_order_of_change(client, archive):
    moment = timezone.now()
    assert walk(client, f"/api/v1/stories/?{since(moment)}")[0] == []
    for story in archive.extra_stories[4], archive.extra_stories[1]:
        story.save()
    changed = walk(client, f"/api/v1/stories/?{since(moment)}")[0]
    assert [s["id"] for s in changed] == [archive.extra_stories[4].pk, archive.extra_stories[1].pk]
    archive.extra_people[2].save()
    people = walk(client, f"/api/v1/people/?{since(moment)}")[0]
    assert [p["slug"] for p in people] == ["extra-person-2"]
    quotes = walk(client, f"/api/v1/quotes/?{since(moment)}")[0]
    assert {q["story"]["id"] for q in quotes} == {s.pk for s in archive.extra_stories[1:5:3]}


def test_a_row_changed_between_two_pages_neither_restarts_the_walk_nor_skips_rows(client, archive):
    """The cursor names where the page ended (value and id), not only the row: the row at the
    end of a page, edited before the next page is asked for, moves to the end of a walk in the
    order of change — and the rows between are still given."""
    start = since(timezone.now() - datetime.timedelta(days=1))
    first = get(client, f"/api/v1/stories/?{start}&limit=3").json()
    seen = [story["id"] for story in first["items"]]
    Article.objects.get(pk=seen[-1]).save()
    rest, _ = walk(client, first["next"])
    seen += [story["id"] for story in rest]
    assert sorted(set(seen)) == sorted(Article.objects.published().values_list("pk", flat=True))
    assert seen[-1] == seen[2]  # the edited row again, at the end


def test_a_cursor_that_is_not_this_lists_is_refused(client, archive):
    page = get(client, "/api/v1/people/?limit=2").json()
    cursor = parse_qs(urlsplit(page["next"]).query)["cursor"][0]
    assert get(client, f"/api/v1/people/?limit=2&cursor={cursor}").json()["items"]
    for wrong in ("not-a-cursor", "W10", "WyJuYW1lIiwiS2ltIiwtMV0"):
        problem = get(client, f"/api/v1/people/?cursor={wrong}", 400).json()
        assert problem["detail"].startswith("cursor:")
    other_order = get(
        client, f"/api/v1/people/?changed_since=2000-01-01T00:00:00Z&cursor={cursor}", 400
    )
    assert "another order" in other_order.json()["detail"]
    get(client, f"/api/v1/stories/?cursor={cursor}", 400)


def test_bad_parameters_are_refused_not_server_errors(client, archive):
    for url in (
        "/api/v1/people/a%00b/",
        "/api/v1/people/?limit=0",
        "/api/v1/people/?limit=101",
        "/api/v1/stories/?person=%00",
        "/api/v1/stories/0/",
        f"/api/v1/stories/{2**63}/",
        "/api/v1/quotes/?story=-1",
    ):
        assert get(client, url, 422).json()["detail"]
    get(client, "/api/v1/stories/999999/", 404)
    get(client, "/api/v1/people/nobody-at-all/", 404)


# Queries a request costs, the most any page of the list costs whatever its size (fewer when a
# page's rows happen to have nothing to prefetch): the figures in docs/performance.md.
QUERIES = {
    "/api/v1/people/": 6,
    "/api/v1/people/?changed_since=2000-01-01T00:00:00Z": 6,
    "/api/v1/relationships/": 3,
    "/api/v1/relationships/?person=kim-kardashian": 4,
    "/api/v1/stories/": 7,
    "/api/v1/stories/?person=kim-kardashian": 8,
    "/api/v1/quotes/": 6,
    "/api/v1/quotes/?person=kim-kardashian": 7,
    "/api/v1/outlets/": 1,
    "/api/v1/tags/": 1,
}
DETAIL_QUERIES = {
    "/api/v1/people/kim-kardashian/": 6,
    "/api/v1/stories/{story}/": 6,
    "/api/v1/quotes/{quote}/": 4,
}


def counted(client, url):
    with CaptureQueriesContext(connection) as captured:
        page = get(client, url).json()
    return len(captured), page


@pytest.mark.parametrize(("url", "most"), QUERIES.items(), ids=list(QUERIES))
def test_a_lists_queries_do_not_grow_with_its_page_size(client, archive, url, most):
    join = "&" if "?" in url else "?"
    get(client, url)  # the first request of a process reads a few things once
    sizes = []
    for limit in (1, 2, 5, 100):
        queries, page = counted(client, f"{url}{join}limit={limit}")
        assert queries <= most, f"{queries} queries for {len(page['items'])} rows"
        sizes.append(len(page["items"]))
    assert sizes[0] == 1 and sizes[-1] > 4
    assert counted(client, f"{url}{join}limit=100")[0] == most
    # And the next page as the first.
    page = get(client, f"{url}{join}limit=1").json()
    assert counted(client, page["next"])[0] <= most


@pytest.mark.parametrize(("url", "expected"), DETAIL_QUERIES.items(), ids=list(DETAIL_QUERIES))
def test_queries_of_one_resource(client, archive, url, expected):
    quote = Quote.objects.published().filter(article=archive.story).first()
    url = url.format(story=archive.story.pk, quote=quote.pk)
    get(client, url)
    assert counted(client, url)[0] == expected


def test_answers_carry_an_etag_and_a_known_one_gets_304_without_queries(
    client, archive, django_assert_max_num_queries
):
    first = get(client, "/api/v1/people/kim-kardashian/")
    assert first["ETag"] and "public" in first["Cache-Control"]
    with django_assert_max_num_queries(0):
        again = get(client, "/api/v1/people/kim-kardashian/", 304, if_none_match=first["ETag"])
    assert again.content == b""


def test_a_change_to_the_archive_gives_the_api_a_new_etag(client, transactional_db, real_versions):
    kim = Person.objects.create(name="Kim K", slug="kim-k")
    first = get(client, "/api/v1/people/kim-k/")
    with transaction.atomic():
        kim.bio = "Now with a biography."
        kim.save()
    again = get(client, "/api/v1/people/kim-k/", if_none_match=first["ETag"])
    assert again["ETag"] != first["ETag"] and again.json()["bio"] == "Now with a biography."


def test_any_site_may_read_the_api_from_a_browser(client, archive):
    origin = {"origin": "https://reader.example"}
    answer = get(client, "/api/v1/people/", **origin)
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in answer
    cached = get(client, "/api/v1/people/", 304, if_none_match=answer["ETag"], **origin)
    assert cached["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/people/",
        headers={
            **origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200
    assert "if-none-match" in preflight["Access-Control-Allow-Headers"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    # The site's own pages are not offered to other sites.
    assert "Access-Control-Allow-Origin" not in get(client, "/people/", **origin)


def test_the_api_says_where_everything_is(client, archive):
    root = get(client, "/api/").json()
    assert urlsplit(root["versions"]["v1"]).path == "/api/v1/"
    assert urlsplit(root["schema"]).path == "/api/v1/openapi.json"
    assert urlsplit(root["docs"]).path == "/api/v1/docs"
    index = get(client, root["versions"]["v1"]).json()
    assert sorted(index) == sorted(LISTS)
    schema = get(client, root["schema"]).json()
    assert (
        schema["info"]["title"] == "Newsroom API" and "CC BY 4.0" in schema["info"]["description"]
    )
    assert {"/api/v1/people/", "/api/v1/stories/{id}/"} <= set(schema["paths"])


def test_an_outlet_and_a_tag(client, archive):
    vogue = get(client, "/api/v1/outlets/vogue/").json()
    assert vogue == {
        "id": Publication.objects.get(slug="vogue").pk,
        "slug": "vogue",
        "name": "Vogue",
        "url": "https://www.vogue.com/",
        "page": "/publications/vogue/",
    }
    assert get(client, "/api/v1/tags/extra-1/").json()["page"] == "/tags/extra-1/"


def test_a_joint_statement_names_every_speaker_and_is_each_ones_quote(client, archive):
    quote = Quote.objects.create(
        article=archive.story, speaker=archive.kim, text="We love our children", position=7
    )
    quote.joint_speakers.add(archive.kanye)
    answer = get(client, f"/api/v1/quotes/{quote.pk}/").json()
    assert [speaker["slug"] for speaker in answer["speakers"]] == ["kim-kardashian", "kanye-west"]
    kanyes, _ = walk(client, "/api/v1/quotes/?person=kanye-west")
    assert quote.pk in {q["id"] for q in kanyes}


def test_the_page_cache_hands_the_api_its_parameters_and_keeps_only_what_was_asked(
    client, archive, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    first = get(client, "/api/v1/stories/?limit=1&kind=news").json()
    assert len(first["items"]) == 1 and "cursor=" in first["next"]
    again = get(client, first["next"]).json()
    assert again["items"][0]["id"] != first["items"][0]["id"]
    # A parameter no operation reads is no part of the answer, and makes no entry of its own.
    junk = get(client, "/api/v1/stories/?limit=1&kind=news&utm_source=x").json()
    assert junk["items"] == first["items"]
    kept = [key for key in cache._cache if ":page:" in key]
    assert len(kept) == 2  # the two pages asked for by their own addresses
    cache.clear()


def test_a_tag_in_any_script(client, archive):
    archive.extra_stories[0].tags.add("развод")
    (tag,) = [t for t in walk(client, "/api/v1/tags/?limit=100")[0] if t["name"] == "развод"]
    assert tag["page"] == reverse("articles:tag", kwargs={"slug": tag["slug"]})
    assert get(client, f"/api/v1/tags/{tag['slug']}/").json() == tag
    stories = walk(client, f"/api/v1/stories/?{urlencode({'tag': tag['slug']})}")[0]
    assert [story["id"] for story in stories] == [archive.extra_stories[0].pk]


def test_a_date_known_to_the_year_is_given_as_a_year(client, archive):
    Person.objects.create(
        name="Old Master",
        slug="old-master",
        born_on=datetime.date(1577, 1, 1),
        born_precision="year",
    )
    person = get(client, "/api/v1/people/old-master/").json()
    assert (person["born_on"], person["born_precision"]) == ("1577", "year")


def test_a_renamed_persons_old_api_address_answers_301_to_the_new_one(client, archive):
    person = Person.objects.create(name="Kanye West", slug="kanye-west-2")
    person.slug = "ye"
    person.save()
    moved = get(client, "/api/v1/people/kanye-west-2/?fields=all", 301)
    assert moved["Location"] == "/api/v1/people/ye/?fields=all"
    assert get(client, moved["Location"].split("?")[0]).json()["slug"] == "ye"
    get(client, "/api/v1/people/nobody-ever/", 404)
