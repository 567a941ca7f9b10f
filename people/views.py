from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from caching.topics import depends_on
from common.jsonld import as_script, with_context
from common.paging import among_newest, keyset_page, note_listing, page_of
from pictures.sharing import share_image

from . import freshness
from .graph import relationship_map
from .models import Person, Relationship
from .profile import family, timeline
from .structured_data import person_data

STORIES_PER_PAGE = 20
QUOTES_SHOWN = 10
DIRECTORY_PAGE = 200


INITIALS = [chr(letter) for letter in range(ord("A"), ord("Z") + 1)]


def person_list(request: HttpRequest) -> HttpResponse:
    depends_on(request, freshness.PEOPLE)
    people = Person.objects.only("name", "slug", "born_on", "died_on")
    names = keyset_page(people, request.GET, DIRECTORY_PAGE)
    note_listing(request, **names.place)
    # Under each initial, as the names come (a letter with an accent heads its own run).
    letters = [
        (letter, list(run))
        for letter, run in groupby(names.rows, key=lambda person: person.name[:1].upper())
    ]
    return render(
        request,
        "people/person_list.html",
        {"names": names, "letters": letters, "initials": INITIALS},
    )


def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.select_related("portrait", "story_count").prefetch_related(
            "aliases", "sources"
        ),
        slug=slug,
    )
    # Only what a source supports: a relationship with none waits for the editors.
    relationships = list(person.relationships().sourced().prefetch_related("sources"))
    children = [
        r.person_b_id
        for r in relationships
        if r.kind == Relationship.Kind.PARENT and r.person_a_id == person.pk
    ]
    other_parents = (
        Relationship.objects.filter(kind=Relationship.Kind.PARENT, person_b__in=children)
        .sourced()
        .exclude(person_a=person)
        .select_related("person_a", "person_b")
        if children
        else []
    )
    relatives = {pk for r in relationships for pk in (r.person_a_id, r.person_b_id)}
    relatives |= {pk for r in other_parents for pk in (r.person_a_id, r.person_b_id)}
    depends_on(
        request,
        freshness.person(person.pk),
        freshness.about(person.pk),
        freshness.OUTLETS,
        *(freshness.person(pk) for pk in relatives),
    )
    # Reverse relations keep `people` free of imports from `articles`. The stories counted
    # when they changed, while that count holds (articles/story_counts.py); else here.
    kept = getattr(person, "story_count", None)
    stories = page_of(
        request,
        person.articles.published().listed().order_by("-published_on", "-id"),
        STORIES_PER_PAGE,
        counted=kept.stories if kept is not None and kept.holds() else None,
    )
    # Said alone or with others (a joint statement); the quote model through the reverse
    # relation, so that `people` imports nothing from `articles`.
    said = person.quotes.model.objects.published().order_by("-article__published_on", "-id")
    # The newest said alone and the newest said with others, each one index range: an OR of
    # the two would be read by walking every quote by date until ten match — seconds for
    # someone who said two things in a million stories (common/paging.py `among_newest`).
    alone, joint = said.filter(speaker=person), said.filter(joint_speakers=person)
    newest = among_newest([alone.values_list("pk"), joint.values_list("pk")], QUOTES_SHOWN)
    quotes = list(
        said.filter(newest)
        .select_related("speaker", "article")
        # Not their texts for searching, nor the stories' bodies: a quote shows its story's
        # headline and date.
        .defer("search_vector", "article__body", "article__search_vector")
        .prefetch_related("joint_speakers")[:QUOTES_SHOWN]
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "age": person.age_on(),
            "family": family(person, relationships, other_parents),
            "relationship_map": relationship_map(person, relationships),
            "timeline": timeline(person, relationships, stories.object_list, quotes),
            "stories": stories,
            "quotes": quotes,
            "share": share_image(person.portrait),
            "jsonld": as_script(with_context(person_data(person, request.build_absolute_uri))),
        },
    )
