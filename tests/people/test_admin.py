import datetime

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains as assert_contains

from common.citations import NO_CREDENTIALS
from people.models import Person, Proposal, Relationship, Source
from tests.forms import form_data
from tests.html import error_messages

SLUGS = ["kim-kardashian", "kanye-west"]


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def person_form(**fields):
    return {
        "name": "Ava Stone",
        "slug": "ava-stone",
        "full_name": "",
        "pronouns": "she/her",
        "bio": "",
        "born_on": "1990-01-02",
        "born_precision": "day",
        "died_on": "",
        "died_precision": "day",
        "wikidata_id": "",
        **management("aliases", 0),
        **management("relationships_as_a", 0),
        **management("relationships_as_b", 0),
        "_save": "Save",
        **fields,
    }


def test_a_person_is_added_with_aliases_and_relationships_inline(admin_client, make_person):
    leo = make_person("Leo Marsh")
    mia = make_person("Mia Chen")
    source = Source.objects.create(label="Harper’s Bazaar, 14 September 2021")
    form = person_form(
        **management("aliases", 1),
        **{"aliases-0-name": "Stone", "aliases-0-is_ambiguous": "on"},
        **management("relationships_as_a", 1),
        **{
            "relationships_as_a-0-kind": "engaged",
            "relationships_as_a-0-person_b": str(leo.pk),
            "relationships_as_a-0-started_on": "2021-09-01",
            "relationships_as_a-0-started_precision": "month",
            "relationships_as_a-0-ended_on": "",
            "relationships_as_a-0-ended_precision": "day",
            "relationships_as_a-0-end_reason": "",
            "relationships_as_a-0-sources": [str(source.pk)],
        },
        **management("relationships_as_b", 1),
        **{
            "relationships_as_b-0-person_a": str(mia.pk),
            "relationships_as_b-0-kind": "friends",
            "relationships_as_b-0-started_on": "",
            "relationships_as_b-0-started_precision": "year",
            "relationships_as_b-0-ended_on": "",
            "relationships_as_b-0-ended_precision": "day",
            "relationships_as_b-0-end_reason": "",
        },
    )
    response = admin_client.post(reverse("admin:people_person_add"), form)
    assert response.status_code == 302, response.context and response.context.get("errors")
    ava = Person.objects.get(slug="ava-stone")
    assert [(a.name, a.is_ambiguous) for a in ava.aliases.all()] == [("Stone", True)]
    engaged = Relationship.objects.get(kind="engaged")
    assert (engaged.person_a, engaged.person_b) == (ava, leo)
    assert engaged.started_display == "September 2021"
    assert list(engaged.sources.all()) == [source]
    assert {(r.phrase_for(ava), r.other(ava).name) for r in ava.relationships()} == {
        ("engaged to", "Leo Marsh"),
        ("friends with", "Mia Chen"),
    }


def test_a_birth_year_entered_with_its_precision_is_kept_as_a_year(admin_client, db):
    form = person_form(born_on="1977-06-08", born_precision="year")
    response = admin_client.post(reverse("admin:people_person_add"), form)
    assert response.status_code == 302, response.context and response.context.get("errors")
    ava = Person.objects.get(slug="ava-stone")
    assert (ava.born_on, ava.born_precision, ava.born_display) == (
        datetime.date(1977, 1, 1),
        "year",
        "1977",
    )


def test_a_relationship_with_oneself_is_refused_in_the_form(admin_client, demo):
    kim = Person.objects.get(slug="kim-kardashian")
    url = reverse("admin:people_relationship_add")
    response = admin_client.post(
        url,
        {
            "person_a": str(kim.pk),
            "kind": "friends",
            "person_b": str(kim.pk),
            "started_precision": "day",
            "ended_precision": "day",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "cannot be related to themselves" in response.content.decode()


def test_a_relationship_entered_again_from_the_other_side_is_refused(admin_client, demo):
    kim = Person.objects.get(slug="kim-kardashian")
    kanye = Person.objects.get(slug="kanye-west")
    before = Relationship.objects.count()
    response = admin_client.post(
        reverse("admin:people_relationship_add"),
        {
            "person_a": str(kanye.pk),
            "kind": "married",
            "person_b": str(kim.pk),
            "started_on": "2014-05-24",
            "started_precision": "day",
            "ended_precision": "day",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "already have a relationship of this kind" in response.content.decode()
    assert Relationship.objects.count() == before


def relationship_row(data, prefix, **fields):
    """`data` (a person's change form as the browser holds it) with one more row in the
    relationship inline `prefix`."""
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    row = {"started_precision": "day", "ended_precision": "day", **fields}
    data.update({f"{prefix}-{n}-{name}": value for name, value in row.items()})
    return data


@pytest.mark.parametrize(
    "rows, message",
    [
        ([{"kind": "friends", "person_b": "kim"}], "cannot be related to themselves"),
        (
            [{"kind": "married", "person_b": "kanye", "started_on": "2014-05-24"}],
            "already have a relationship of this kind",
        ),
        (
            [
                {"kind": "friends", "person_b": "kanye", "started_on": "2001-01-01"},
                {"kind": "friends", "person_b": "kanye", "started_on": "2001-01-01"},
            ],
            "entered twice on this page",
        ),
        (
            [
                {"kind": "friends", "person_b": "kanye", "started_on": "2001-01-01"},
                {"kind": "friends", "person_a": "kanye", "started_on": "2001-01-01"},
            ],
            "entered twice on this page",
        ),
    ],
    ids=["with herself", "already recorded", "twice on the page", "once in each list"],
)
def test_a_relationship_row_the_rules_forbid_is_refused_on_the_persons_page(
    admin_client, demo, rows, message
):
    """Was a server error (the database's constraint), the editor's other changes lost."""
    people = {slug.split("-")[0]: Person.objects.get(slug=slug).pk for slug in SLUGS}
    kim = Person.objects.get(slug="kim-kardashian")
    url = reverse("admin:people_person_change", args=[kim.pk])
    data = form_data(admin_client.get(url).content.decode(), "person_form")
    data["bio"] = "A new biography."
    for row in rows:
        if "person_b" in row:  # Kim first: “Kim … of/with person_b”
            relationship_row(
                data, "relationships_as_a", **{**row, "person_b": str(people[row["person_b"]])}
            )
        else:
            relationship_row(
                data, "relationships_as_b", **{**row, "person_a": str(people[row["person_a"]])}
            )
    before = Relationship.objects.count()
    response = admin_client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "A new biography." in response.content.decode()  # still in the form
    assert Relationship.objects.count() == before
    kim.refresh_from_db()
    assert kim.bio != "A new biography."


def test_a_relationship_deleted_and_entered_again_on_one_page_is_saved(admin_client, demo):
    """The row leaving is not counted against the row coming in; a page saved unchanged
    asks nothing of the rows."""
    kim = Person.objects.get(slug="kim-kardashian")
    url = reverse("admin:people_person_change", args=[kim.pk])
    data = form_data(admin_client.get(url).content.decode(), "person_form")
    assert admin_client.post(url, {**data, "_save": "Save"}).status_code == 302
    data = form_data(admin_client.get(url).content.decode(), "person_form")
    marriage = kim.relationships_as_a.get(kind="married")
    (row,) = [
        k[: -len("-id")] for k, v in data.items() if k.endswith("-id") and v == str(marriage.pk)
    ]
    data[f"{row}-DELETE"] = "on"
    relationship_row(
        data,
        "relationships_as_a",
        kind="married",
        person_b=str(marriage.person_b_id),
        started_on="2014-05-24",
        end_reason="divorce",
        ended_on="2022-11-29",
    )
    response = admin_client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[:2000]
    again = kim.relationships_as_a.get(kind="married")
    assert again.pk != marriage.pk and str(again.started_on) == "2014-05-24"


def test_the_person_pages_of_the_admin_open(admin_client, demo):
    kanye = Person.objects.get(slug="kanye-west")
    assert admin_client.get(reverse("admin:people_person_changelist")).status_code == 200
    response = admin_client.get(reverse("admin:people_person_change", args=[kanye.pk]))
    assert response.status_code == 200
    assert "Yeezy" in response.content.decode()
    response = admin_client.get(reverse("admin:people_person_changelist"), {"q": "Yeezy"})
    assert "Kanye West" in response.content.decode()


def test_the_relationship_list_finds_either_person_by_alias_or_a_slip(admin_client, demo):
    url = reverse("admin:people_relationship_changelist")

    def listed(search):
        response = admin_client.get(url, {"q": search})
        assert response.status_code == 200
        return response.content.decode()

    # Kanye West is the second person of the marriage: his aliases were not searched there.
    by_alias = listed("Yeezy")
    assert "Kim Kardashian married to Kanye West" in by_alias
    assert "Kanye West parent of Psalm West" in by_alias
    by_slip = listed("Kardashain")
    assert "Kim Kardashian parent of North West" in by_slip
    assert "Kanye West parent of North West" not in by_slip
    assert "parent of" not in listed("Nobody Atall")


def test_a_search_of_several_words_lists_who_matches_them_all(admin_client, demo, make_person):
    kim, ron = make_person("Kim Possible"), make_person("Ron Stoppable")
    Relationship.objects.create(person_a=kim, person_b=ron, kind=Relationship.Kind.SIBLING)
    relationships = reverse("admin:people_relationship_changelist")
    content = admin_client.get(relationships, {"q": "Kim Kardashian"}).content.decode()
    assert "Kim Kardashian married to Kanye West" in content
    assert "Kim Possible" not in content
    assert (
        "Kim Possible sibling of" in admin_client.get(relationships, {"q": "kim"}).content.decode()
    )
    people = admin_client.get(reverse("admin:people_person_changelist"), {"q": "Kim Kardashian"})
    assert [p.name for p in people.context["cl"].result_list] == ["Kim Kardashian"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("name", "Ava\x0bStone"),
        ("full_name", "Ava\nStone"),
        ("bio", "An actor.\x01"),
        ("aliases-0-name", "Stoney\x1b"),
    ],
)
def test_a_control_character_is_refused_where_it_was_typed(admin_client, field, value):
    form = person_form(**management("aliases", 1), **{"aliases-0-name": "Stoney"})
    form[field] = value
    response = admin_client.post(reverse("admin:people_person_add"), form)
    assert response.status_code == 200
    errors = dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        for row in inline.formset.forms:
            errors.update({f"{row.prefix}-{name}": e for name, e in row.errors.items()})
    assert list(errors) == [field]
    assert not Person.objects.exists()


def test_a_bio_typed_in_a_browser_is_stored_with_one_kind_of_line_end(admin_client):
    form = person_form(bio="An actor.\r\n\r\nAnd a writer.")
    assert admin_client.post(reverse("admin:people_person_add"), form).status_code == 302
    assert Person.objects.get().bio == "An actor.\n\nAnd a writer."


def test_a_source_address_with_credentials_is_refused_and_nothing_is_saved(admin_client, db):
    add = reverse("admin:people_source_add")
    form = form_data(admin_client.get(add).content.decode(), "source_form")
    form.update(
        {
            "label": "Instagram, 20 February 2021",
            "url": "https://kim:hunter2@www.instagram.com/kimkardashian/",
            "_save": "Save",
        }
    )
    response = admin_client.post(add, form)
    assert response.status_code == 200
    assert NO_CREDENTIALS in error_messages(response)
    assert not Source.objects.exists()


# --- what an import proposes ----------------------------------------------------------------


@pytest.fixture
def editor_client(db, client):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("sam", password="a long password for sam", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def proposed(make_person):
    teo = make_person("Teo Vance", wikidata_id="Q990000002", born_on=datetime.date(1980, 10, 22))
    source = Source.objects.create(
        label="Wikidata: Teo Vance (Q990000002), date of birth (P569)",
        url="https://www.wikidata.org/wiki/Q990000002#P569",
    )
    return Proposal.objects.create(
        person=teo, field="born_on", value="1980-10-21", precision="day", source=source
    )


def act(client, action, *proposals):
    return client.post(
        reverse("admin:people_proposal_changelist"),
        {"action": action, "_selected_action": [str(p.pk) for p in proposals]},
        follow=True,
    )


def test_the_queue_shows_what_the_archive_has_and_what_is_proposed(editor_client, proposed):
    response = editor_client.get(
        reverse("admin:people_proposal_changelist") + "?status__exact=found"
    )
    assert_contains(response, '<td class="field-archive_has">22 October 1980</td>', html=True)
    assert_contains(response, '<td class="field-proposed">21 October 1980</td>', html=True)
    assert_contains(
        response,
        '<a href="https://www.wikidata.org/wiki/Q990000002#P569" rel="noopener">'
        "Wikidata: Teo Vance (Q990000002), date of birth (P569)</a>",
        html=True,
    )
    assert editor_client.get(reverse("admin:people_proposal_changelist") + "add/").status_code in (
        403,
        404,
    )


def test_confirming_takes_the_value_with_its_source_as_the_editors_version(editor_client, proposed):
    response = act(editor_client, "confirm", proposed)
    assert_contains(response, "Confirmed 1 proposed value(s).")
    teo = proposed.person
    teo.refresh_from_db()
    proposed.refresh_from_db()
    assert (teo.born_on, teo.born_precision) == (datetime.date(1980, 10, 21), "day")
    assert proposed.status == "confirmed"
    assert list(teo.sources.all()) == [proposed.source]
    assert teo.history.first().history_user == editor_client.user


def test_dismissing_keeps_the_archives_value(editor_client, proposed):
    act(editor_client, "dismiss", proposed)
    proposed.refresh_from_db()
    proposed.person.refresh_from_db()
    assert proposed.status == "dismissed"
    assert proposed.person.born_on == datetime.date(1980, 10, 22)


def test_a_proposed_value_that_breaks_a_rule_is_refused_and_named(editor_client, make_person):
    a, b = make_person("Ava Stone"), make_person("Bo Lund")
    marriage = Relationship.objects.create(
        person_a=a,
        person_b=b,
        kind="married",
        started_on=datetime.date(2014, 5, 24),
        ended_on=datetime.date(2020, 1, 1),
        end_reason="divorce",
    )
    source = Source.objects.create(label="Wikidata: Ava Stone (Q990000011), spouse (P26)")
    proposal = Proposal.objects.create(
        relationship=marriage,
        field="started_on",
        value="2021-01-01",
        precision="year",
        source=source,
    )
    response = act(editor_client, "confirm", proposal)
    assert_contains(response, "cannot end before it starts")
    marriage.refresh_from_db()
    proposal.refresh_from_db()
    assert marriage.started_on == datetime.date(2014, 5, 24)
    assert proposal.status == "found"


def test_people_with_values_to_check_are_one_filter_away(editor_client, proposed, make_person):
    a, b = make_person("Ava Stone"), make_person("Bo Lund")
    make_person("Nobody Proposed")
    marriage = Relationship.objects.create(person_a=a, person_b=b, kind="married")
    Proposal.objects.create(
        relationship=marriage, field="end_reason", value="divorce", source=proposed.source
    )
    response = editor_client.get(reverse("admin:people_person_changelist") + "?proposals=yes")
    listed = {person.name for person in response.context["cl"].result_list}
    assert listed == {"Teo Vance", "Ava Stone", "Bo Lund"}
