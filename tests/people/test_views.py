import datetime
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains as assert_contains

from articles.models import Mention, Quote
from people import views as people_views
from people.models import Person, Relationship, Source
from tests.html import list_under, meta, page, section, text

D = datetime.date


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def read(client, url):
    return page(html(client, url))


def links(element):
    return [a["href"] for a in element.find_all("a")]


def ld_json_of(soup):
    [block] = soup.find_all("script", type="application/ld+json")
    return json.loads(block.string)


def test_the_person_page_tells_who_they_are(client, demo):
    soup = read(client, "/people/kim-kardashian/")
    assert text(soup.h1) == "Kim Kardashian"
    content = text(soup.main)
    assert "Also known as Kimberly Noel Kardashian, Kim, Kim Kardashian West" in content
    assert "Born 21 October 1980 (age " in content
    assert soup.find("time", datetime="1980-10-21") is not None
    assert "Keeping Up with the Kardashians" in content
    assert soup.find("a", href="/people/kim-kardashian/feed/") is not None
    assert soup.find("a", href="https://www.wikidata.org/wiki/Q186304") is not None


def test_relationships_are_grouped_and_dated_to_their_precision(client, demo):
    relationships = section(read(client, "/people/kim-kardashian/"), "relationships-heading")
    before = list_under(relationships, "Before")
    marriage = next(li for li in before.find_all("li") if "Married to" in text(li))
    assert text(marriage).startswith("Married to Kanye West, 24 May 2014 – 2 March 2022, divorced")
    assert marriage.find("a", href="/people/kanye-west/") is not None
    assert text(marriage.find(class_="tie__span")) == "24 May 2014 – 2 March 2022"
    assert "Began dating" not in text(before)  # that is timeline wording
    assert "April 2012 – 21 October 2013, then engaged" in text(before)
    assert "Florence, Italy" in text(before)
    children = list_under(relationships, "Children").find_all("li", recursive=False)
    assert [text(li.find("a")) for li in children] == [
        "North West",
        "Saint West",
        "Chicago West",
        "Psalm West",
    ]
    (co_parent,) = list_under(relationships, "Co-parents").find_all("li")
    assert text(co_parent).startswith("Co-parent with Kanye West of North West, ")
    assert text(co_parent).endswith("Chicago West and Psalm West")
    assert links(co_parent)[0] == "/people/kanye-west/"
    assert "/people/psalm-west/" in links(co_parent)


def test_a_child_reads_their_parents(client, demo):
    relationships = section(read(client, "/people/north-west/"), "relationships-heading")
    parents = list_under(relationships, "Parents")
    assert "Child of Kim Kardashian" in text(parents)
    assert "/people/kim-kardashian/" in links(parents)
    assert "Kanye West" in text(parents)
    assert "Children" not in [text(h) for h in relationships.find_all("h3")]


def test_the_timeline_merges_relationships_stories_and_quotes_in_order(client, demo):
    timeline = section(read(client, "/people/kim-kardashian/"), "timeline-heading")
    entries = [(text(li), links(li)) for li in timeline.find_all("li")]
    order = [
        ("Born", None),
        ("Began dating", "/people/kanye-west/"),
        ("Became a parent:", "/people/north-west/"),
        ("Engaged to", "/people/kanye-west/"),
        ("Married", "/people/kanye-west/"),
        ("Became a parent:", "/people/psalm-west/"),
        ("Said:", "/quotes/"),
        ("Story:", "/articles/2022/02/09/"),
        ("Divorced from", "/people/kanye-west/"),
    ]

    def position(words, href):
        return next(
            index
            for index, (said, hrefs) in enumerate(entries)
            if words in said and (href is None or any(h.startswith(href) for h in hrefs))
        )

    positions = [position(words, href) for words, href in order]
    assert positions == sorted(positions)
    assert "April 2012" in text(timeline)  # month precision kept


def test_what_they_said_and_their_stories(client, demo):
    soup = read(client, "/people/kanye-west/")
    said = text(section(soup, "said-heading"))
    assert "GOD PLEASE BRING OUR FAMILY BACK TOGETHER" in said
    assert "You could be so hurt" not in said
    assert "Biggest Cheerleader" in text(section(soup, "stories-heading"))


def test_the_relationship_map_links_every_relative(client, demo):
    map_section = section(read(client, "/people/kim-kardashian/"), "map-heading")
    assert map_section.find("svg") is not None
    for slug in ["kanye-west", "north-west", "saint-west", "chicago-west", "psalm-west"]:
        assert f"/people/{slug}/" in links(map_section), slug


def test_the_person_page_describes_the_person_in_json_ld(client, demo):
    soup = read(client, "/people/kanye-west/")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "Person" and data["name"] == "Kanye West"
    assert data["birthDate"] == "1977-06-08"
    assert {"Ye", "Yeezy"} <= set(data["alternateName"])
    assert data["sameAs"] == ["https://www.wikidata.org/wiki/Q15935"]
    assert soup.find("meta", property="og:type")["content"] == "profile"


def test_the_directory_is_alphabetical(client, demo, make_person):
    make_person("Ava Stone")
    content = html(client, "/people/")
    assert content.index('<h2 id="letter-1">A</h2>') < content.index(">K</h2>")
    assert content.index("Kanye West") < content.index("Kim Kardashian")
    assert 'href="/people/ava-stone/"' in content
    html(client, "/people/nobody-here/", status=404)


def test_the_directory_pages_by_name_and_jumps_to_a_letter(client, demo, make_person, monkeypatch):
    monkeypatch.setattr(people_views, "DIRECTORY_PAGE", 2)
    for name in ["Ava Stone", "Bo Lund", "Zed Marr"]:
        make_person(name)
    seen, url = [], "/people/"
    while url:
        content = html(client, url)
        seen += re.findall(r'<li><a href="/people/[^"]+/">([^<]+)</a>', content)
        found = re.search(r'rel="next" href="([^"]+)"', content)
        url = "/people/" + found.group(1).replace("&amp;", "&") if found else None
    assert seen == sorted(seen) and len(seen) == Person.objects.count()
    content = html(client, "/people/?from=Z")
    assert ">Zed Marr</a>" in content and 'rel="next"' not in content
    assert 'rel="prev"' in content and 'href="?from=K">K</a>' in content
    assert "No one from there on" in html(client, "/people/?from=zz")


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_person_page_costs_the_same_for_3_or_30_relationships(
    client, make_person, make_article
):
    def person_with(n, name):
        person = make_person(name)
        source = Source.objects.create(label=f"Source for {name}")
        for i in range(n):
            other = make_person(f"{name} relative {i}", born_on=D(2000, 1, 1 + i % 28))
            kind = [Relationship.Kind.PARENT, Relationship.Kind.FRIENDS, Relationship.Kind.MARRIED][
                i % 3
            ]
            relationship = Relationship.objects.create(
                person_a=person,
                person_b=other,
                kind=kind,
                started_on=D(2000 + i, 1, 1),
                ended_on=D(2001 + i, 1, 1) if kind == "married" else None,
                end_reason="divorce" if kind == "married" else "",
            )
            relationship.sources.add(source)
            if kind == Relationship.Kind.PARENT:
                co_parent = make_person(f"{name} co-parent {i}")
                Relationship.objects.create(person_a=co_parent, person_b=other, kind=kind)
            story = make_article(f"{name} story {i}", slug=f"{name}-story-{i}".lower())
            Mention.objects.create(article=story, person=person)
            Quote.objects.create(article=story, speaker=person, text=f"Said {i}")
        person.aliases.create(name=f"{name} alias")
        return person

    few, many = person_with(3, "Few"), person_with(30, "Many")
    assert query_count(client, few.get_absolute_url()) == query_count(
        client, many.get_absolute_url()
    )


def test_a_person_with_nothing_yet_has_a_plain_page(client, make_person):
    person = make_person("New Person")
    content = html(client, person.get_absolute_url())
    assert "No relationships recorded." in content and "No stories yet." in content
    assert "<svg" not in content


def test_a_deceased_person_shows_their_lifespan(client, make_person):
    make_person("Late Star", born_on=D(1950, 3, 1), died_on=D(2000, 6, 1))
    content = html(client, "/people/late-star/")
    assert '1 March 1950</time> – <time datetime="2000-06-01">1 June 2000</time>' in content
    assert "(age" not in content
    assert Person.objects.get(slug="late-star").age_on() is None


def test_a_person_in_more_stories_than_the_pages_reach(
    client, make_person, make_article, monkeypatch
):
    monkeypatch.setattr("common.paging.CAP", 30)
    person = make_person("Very Famous")

    def stories(start, end):
        for i in range(start, end):
            story = make_article(f"Famous story {i}", slug=f"famous-{i}")
            Mention.objects.create(article=story, person=person)

    stories(0, 3)
    few = query_count(client, person.get_absolute_url())
    stories(3, 45)
    assert query_count(client, person.get_absolute_url()) == few
    content = client.get(person.get_absolute_url() + "?page=9").content.decode()
    assert "Page 2 of 2" in content and "These pages list the newest 30;" in content
    assert "Famous story 15<" in content and "Famous story 14<" not in content


def test_a_birth_known_only_to_the_year_shows_as_the_year_never_1_january(client, make_person):
    make_person(
        "Ava Stone",
        born_on=D(1977, 1, 1),
        born_precision="year",
        died_on=D(2020, 5, 1),
        died_precision="month",
    )
    response = client.get("/people/ava-stone/")
    assert_contains(
        response,
        '<p class="lifespan"><time datetime="1977">1977</time> – '
        '<time datetime="2020-05">May 2020</time></p>',
        html=True,
    )
    assert_contains(response, '<time datetime="1977">1977</time>', count=2, html=True)  # + timeline
    assert "January" not in text(page(response))
    data = json.loads(page(response).find("script", type="application/ld+json").string)
    assert (data["birthDate"], data["deathDate"]) == ("1977", "2020-05")


def test_no_age_is_guessed_from_a_birth_year(client, make_person):
    make_person("Ava Stone", born_on=D(1977, 1, 1), born_precision="year")
    response = client.get("/people/ava-stone/")
    assert_contains(
        response, '<p class="lifespan">Born <time datetime="1977">1977</time></p>', html=True
    )


# --- the page read as a reader reads it --------------------------------------------------


def test_the_description_for_search_engines_and_shared_links_is_one_sentence(
    client, demo, make_person
):
    kim = page(html(client, "/people/kim-kardashian/"))
    bio = Person.objects.get(slug="kim-kardashian").bio
    assert meta(kim, "description") == meta(kim, "og:description") == bio
    ava = page(html(client, f"/people/{make_person('Ava Stone').slug}/"))
    assert meta(ava, "description") == "Stories, quotes and relationships of Ava Stone."


def test_each_other_name_is_listed_once(client, demo):
    """Kanye West's full name is Ye, and Ye is one of his aliases too."""
    kanye = page(html(client, "/people/kanye-west/"))
    assert text(kanye.find("p", "aka")) == "Also known as Ye, Kanye, Kanye Omari West, Yeezy"
    assert ld_json_of(kanye)["alternateName"] == ["Ye", "Kanye", "Kanye Omari West", "Yeezy"]


def test_a_quote_whose_context_names_its_day_says_the_day_once(client, demo):
    kim = page(html(client, "/people/kim-kardashian/"))
    captions = [text(figure.find("figcaption")) for figure in kim.find_all("figure", "quote")]
    assert "Kim Kardashian, wrote on 4 February 2022 in Kim Kardashian Admits" in captions[0]
    assert captions[0].count("February") == 1


def test_sources_read_as_citations_without_the_archives_own_words(client, demo):
    kim = page(html(client, "/people/kim-kardashian/"))
    sources = kim.find("section", "person__sources")
    assert [text(item) for item in sources.find_all("li")] == [
        "Wikidata: Kim Kardashian (Q186304)",
        "Wikipedia: “Kim Kardashian”",
    ]
    Source.objects.create(label="A profile, 2020", outlet="People")
    Person.objects.get(slug="kim-kardashian").sources.add(Source.objects.get(outlet="People"))
    sources = page(html(client, "/people/kim-kardashian/")).find("section", "person__sources")
    assert "A profile, 2020 · People" in [text(item) for item in sources.find_all("li")]
