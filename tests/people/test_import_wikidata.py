"""`manage.py import_wikidata`, against a stand-in for Wikidata on 127.0.0.1 serving recorded
answers about fictional people (tests/data/wikidata/, tests/wikidata_server.py)."""

import datetime
import socket
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.db.models.signals import m2m_changed, post_delete, post_save
from pytest_django.asserts import assertContains as assert_contains

from people.models import Alias, Person, Proposal, Relationship, Source
from people.wikidata import api, importer
from tests.html import page as html_page
from tests.html import text
from tests.wikidata_server import Odd, WikidataServer

D = datetime.date
MARA, TEO, JUNO, IVY, ASH = (f"Q99000000{i}" for i in range(1, 6))
Kind = Relationship.Kind


@pytest.fixture
def wikidata(settings, db):
    with WikidataServer() as server:
        settings.WIKIDATA_API_URL = server.url
        settings.OUTBOUND_ALLOWED_ADDRESSES = ["127.0.0.1"]  # the stand-in's address
        settings.WIKIDATA_LANGUAGES = ["en"]
        settings.WIKIDATA_USER_AGENT = "NewsroomTest/1.0 (tests; ops@example.org)"
        yield server


@pytest.fixture(autouse=True)
def waits(monkeypatch):
    waited = []
    monkeypatch.setattr(api, "pause", waited.append)
    return waited


def run(*args):
    out = StringIO()
    call_command("import_wikidata", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def rows():
    """How many rows every table of people and of the version history holds."""
    counts = {}
    for label in ("people", "history"):
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model.objects.count()
            for field in model._meta.local_many_to_many:
                through = field.remote_field.through
                counts[through._meta.label] = through.objects.count()
    return counts


def urls(thing):
    return sorted(source.url for source in thing.sources.all())


def between(a, b, kind):
    return Relationship.objects.get(
        kind=kind, person_a__wikidata_id__in=[a, b], person_b__wikidata_id__in=[a, b]
    )


# --- people -------------------------------------------------------------------------------


def test_a_person_is_created_with_names_dates_to_their_precision_and_sources(wikidata, client):
    output = run(MARA)
    mara = Person.objects.get(wikidata_id=MARA)
    assert (mara.name, mara.slug) == ("Mara Quill", "mara-quill")
    # +1977-00-00 at precision 9: the year, not 1 January 1977.
    assert (mara.born_on, mara.born_precision) == (D(1977, 1, 1), "year")
    assert mara.died_on is None  # “no value”: alive
    assert [(a.name, a.is_ambiguous) for a in mara.aliases.order_by("name")] == [
        ("M. Quill", False),
        ("Mara Q. Quill", False),
        ("Quill", True),  # one word: never this person on its own in a story
    ]
    assert urls(mara) == [
        f"https://www.wikidata.org/wiki/{MARA}",
        f"https://www.wikidata.org/wiki/{MARA}#P569",
    ]
    assert Source.objects.get(url__endswith="#P569").label == (
        f"Wikidata: Mara Quill ({MARA}), date of birth (P569)"
    )
    assert "Mara Quill (Q990000001, /people/mara-quill/)" in output
    page = client.get("/people/mara-quill/")
    assert_contains(
        page, '<p class="lifespan">Born <time datetime="1977">1977</time></p>', html=True
    )
    assert "January" not in text(html_page(page))


def test_names_are_taken_in_the_languages_chosen(wikidata):
    run(TEO, "--languages", "fr,en")
    teo = Person.objects.get(wikidata_id=TEO)
    assert teo.name == "Téo Vance"
    assert sorted(teo.aliases.values_list("name", flat=True)) == ["Teo Vance", "Teodor Vance"]


def test_the_setting_chooses_the_languages_too(wikidata, settings):
    settings.WIKIDATA_LANGUAGES = ["fr", "en"]
    run(MARA)
    assert Alias.objects.filter(name="Mara la Plume").exists()


def test_dates_known_to_the_month_and_to_the_day(wikidata):
    run(JUNO, TEO)
    juno, teo = Person.objects.get(wikidata_id=JUNO), Person.objects.get(wikidata_id=TEO)
    assert (juno.born_on, juno.born_precision) == (D(1982, 3, 1), "month")
    assert (teo.born_on, teo.born_precision) == (D(1980, 10, 21), "day")


# --- relationships ------------------------------------------------------------------------


def test_at_depth_0_only_relationships_with_people_already_in_the_archive(wikidata):
    output = run(MARA)
    assert Person.objects.count() == 1 and not Relationship.objects.exists()
    assert f"{MARA}: spouse {TEO} is not in the archive: left out (--depth 1 brings them)" in (
        output
    )
    run(TEO)
    marriage = between(MARA, TEO, Kind.MARRIED)
    # As his statement says it: the year, and no end.
    assert (marriage.started_display, marriage.ended_on) == ("2014", None)
    assert urls(marriage) == [f"https://www.wikidata.org/wiki/{TEO}#P26"]
    # Her statement knows more; what only the import wrote follows Wikidata.
    run(MARA)
    marriage.refresh_from_db()
    assert (marriage.started_on, marriage.started_precision) == (D(2014, 5, 24), "day")
    assert (marriage.ended_on, marriage.end_reason) == (D(2022, 11, 29), "divorce")
    assert urls(marriage) == [
        f"https://www.wikidata.org/wiki/{MARA}#P26",
        f"https://www.wikidata.org/wiki/{TEO}#P26",
    ]
    assert not Proposal.objects.exists()


def test_a_tie_stated_from_both_sides_is_one_relationship_citing_both(wikidata):
    run(TEO, MARA)
    marriage = between(MARA, TEO, Kind.MARRIED)
    # Her statement knows the day, his only the year: one marriage, the day kept.
    assert (marriage.started_on, marriage.started_precision) == (D(2014, 5, 24), "day")
    assert (marriage.ended_on, marriage.end_reason) == (D(2022, 11, 29), "divorce")
    assert len(urls(marriage)) == 2
    assert Relationship.objects.count() == 1


def test_depth_1_brings_the_people_at_the_other_end(wikidata):
    output = run(MARA, "--depth", "1")
    assert set(Person.objects.values_list("wikidata_id", flat=True)) == {MARA, TEO, JUNO, IVY, ASH}
    assert not Person.objects.filter(name="Wrong Spouse").exists()  # a deprecated statement
    found = {
        (r.kind, r.person_a.wikidata_id, r.person_b.wikidata_id)
        for r in Relationship.objects.select_related("person_a", "person_b")
    }
    assert found == {
        (Kind.MARRIED, MARA, TEO),
        (Kind.DATING, MARA, JUNO),
        (Kind.PARENT, MARA, IVY),
        (Kind.PARENT, TEO, IVY),
        (Kind.PARENT, MARA, ASH),
        (Kind.SIBLING, IVY, ASH),
    }
    dating = between(MARA, JUNO, Kind.DATING)
    assert (dating.started_display, dating.ended_display, dating.end_reason) == (
        "April 2010",
        "2013",
        "other",
    )
    # Parenthood dated from the child's birth, as the archive records it; unknown for Ash.
    assert between(MARA, IVY, Kind.PARENT).started_on == D(2013, 6, 15)
    assert between(MARA, ASH, Kind.PARENT).started_on is None
    assert urls(between(TEO, IVY, Kind.PARENT)) == [
        f"https://www.wikidata.org/wiki/{TEO}#P40",
        f"https://www.wikidata.org/wiki/{IVY}#P22",
    ]
    assert "father Q990000077 is not in the archive: left out\n" in output


def test_every_fact_imported_cites_a_wikidata_statement(wikidata):
    run(MARA, "--depth", "1")
    for person in Person.objects.all():
        assert f"https://www.wikidata.org/wiki/{person.wikidata_id}" in urls(person)
        if person.born_on:
            assert f"https://www.wikidata.org/wiki/{person.wikidata_id}#P569" in urls(person)
    for relationship in Relationship.objects.all():
        assert relationship.sources.exists()
        assert all("wikidata.org/wiki/Q9900000" in url for url in urls(relationship))


# --- idempotent, proposed not imposed -----------------------------------------------------


def test_running_again_changes_nothing_not_even_the_history(wikidata):
    run(MARA, "--depth", "1")
    before = rows()
    revisions = dict(Person.objects.values_list("pk", "revision"))
    # Nothing saved, deleted or linked: what would start a new edition of the archive.
    heard = []

    def listen(sender, **kwargs):
        heard.append((sender.__name__, kwargs.get("action", "")))

    signals = (post_save, post_delete, m2m_changed)
    for signal in signals:
        signal.connect(listen, dispatch_uid="test-listen")
    try:
        output = run(MARA, "--depth", "1")
    finally:
        for signal in signals:
            signal.disconnect(dispatch_uid="test-listen")
    assert heard == []
    assert rows() == before
    assert dict(Person.objects.values_list("pk", "revision")) == revisions
    assert "Nothing changed: the archive already agrees." in output


def test_a_fact_an_editor_entered_otherwise_is_proposed_never_overwritten(wikidata, make_person):
    teo = make_person("Teo Vance", wikidata_id=TEO, born_on=D(1980, 10, 22))
    output = run(TEO)
    teo.refresh_from_db()
    assert teo.born_on == D(1980, 10, 22)
    (proposal,) = Proposal.objects.all()
    assert (proposal.person, proposal.field, proposal.value, proposal.precision) == (
        teo,
        "born_on",
        "1980-10-21",
        "day",
    )
    assert proposal.status == "found"
    assert proposal.source.url == f"https://www.wikidata.org/wiki/{TEO}#P569"
    assert "Teo Vance: date of birth 21 October 1980 (the archive has 22 October 1980)" in output
    # The disputed date does not cite Wikidata; the name does.
    assert urls(teo) == [f"https://www.wikidata.org/wiki/{TEO}"]
    before = rows()
    run(TEO)
    assert rows() == before  # proposed once


def test_a_dismissed_proposal_is_never_made_again(wikidata, make_person):
    make_person("Teo Vance", wikidata_id=TEO, born_on=D(1980, 10, 22))
    run(TEO)
    Proposal.objects.get().dismiss()
    run(TEO)
    assert Proposal.objects.get().status == "dismissed"


def test_a_value_wikidata_knows_less_precisely_agrees(wikidata, make_person):
    mara = make_person("Mara Quill", wikidata_id=MARA, born_on=D(1977, 6, 8))
    run(MARA)
    mara.refresh_from_db()
    assert (mara.born_on, mara.born_precision) == (D(1977, 6, 8), "day")
    assert not Proposal.objects.exists()
    assert f"https://www.wikidata.org/wiki/{MARA}#P569" in urls(mara)


def test_a_more_precise_value_than_the_editors_is_proposed(wikidata, make_person):
    teo = make_person("Teo Vance", wikidata_id=TEO, born_on=D(1980, 1, 1), born_precision="year")
    run(TEO)
    teo.refresh_from_db()
    assert (teo.born_on, teo.born_precision) == (D(1980, 1, 1), "year")
    assert Proposal.objects.get().value == "1980-10-21"


def test_a_blank_is_filled_with_its_source_and_a_version_saying_so(wikidata, make_person):
    teo = make_person("Teo Vance", wikidata_id=TEO, bio="Kept.")
    run(TEO)
    teo.refresh_from_db()
    assert (teo.born_on, teo.bio) == (D(1980, 10, 21), "Kept.")
    assert f"https://www.wikidata.org/wiki/{TEO}#P569" in urls(teo)
    assert teo.history.first().history_change_reason == "Imported from Wikidata"


def test_what_only_the_import_wrote_follows_wikidata_when_it_changes(wikidata):
    run(TEO)
    born = wikidata.entities[TEO]["claims"]["P569"][0]["mainsnak"]["datavalue"]["value"]
    born["time"] = "+1980-10-20T00:00:00Z"
    run(TEO)
    teo = Person.objects.get(wikidata_id=TEO)
    assert teo.born_on == D(1980, 10, 20)
    assert not Proposal.objects.exists()


def test_once_an_editor_saved_it_a_change_in_wikidata_is_only_proposed(wikidata):
    run(TEO)
    teo = Person.objects.get(wikidata_id=TEO)
    teo.bio = "Producer."
    teo.save()  # an editor's version
    born = wikidata.entities[TEO]["claims"]["P569"][0]["mainsnak"]["datavalue"]["value"]
    born["time"] = "+1980-10-20T00:00:00Z"
    run(TEO)
    teo.refresh_from_db()
    assert teo.born_on == D(1980, 10, 21)
    assert Proposal.objects.get().value == "1980-10-20"


def test_a_relationship_an_editor_dated_otherwise_gets_proposals(wikidata, make_person):
    mara = make_person("Mara Quill", wikidata_id=MARA)
    teo = make_person("Teo Vance", wikidata_id=TEO)
    marriage = Relationship.objects.create(
        person_a=teo,
        person_b=mara,
        kind=Kind.MARRIED,
        started_on=D(2014, 5, 25),
        ended_on=D(2022, 11, 29),
        end_reason="annulment",
    )
    run(MARA)
    marriage.refresh_from_db()
    assert (marriage.started_on, marriage.end_reason) == (D(2014, 5, 25), "annulment")
    proposed = {(p.field, p.value) for p in Proposal.objects.filter(relationship=marriage)}
    assert proposed == {("started_on", "2014-05-24"), ("end_reason", "divorce")}
    assert Relationship.objects.count() == 1


def test_a_relationship_with_blanks_is_completed(wikidata, make_person):
    mara = make_person("Mara Quill", wikidata_id=MARA)
    teo = make_person("Teo Vance", wikidata_id=TEO)
    marriage = Relationship.objects.create(person_a=mara, person_b=teo, kind=Kind.MARRIED)
    run(MARA)
    marriage.refresh_from_db()
    assert (marriage.started_on, marriage.ended_on, marriage.end_reason) == (
        D(2014, 5, 24),
        D(2022, 11, 29),
        "divorce",
    )
    assert not Proposal.objects.exists()


def test_a_person_without_a_wikidata_id_is_recognised_by_name(wikidata, make_person):
    mara = make_person("Mara Quill", wikidata_id=MARA)
    ivy = make_person("Ivy Vance", born_on=D(2013, 6, 15))
    run(MARA, "--depth", "1")
    ivy.refresh_from_db()
    assert ivy.wikidata_id == IVY
    assert Person.objects.filter(name="Ivy Vance").count() == 1
    assert between(MARA, IVY, Kind.PARENT).person_a == mara


def test_a_namesake_born_otherwise_is_another_person(wikidata, make_person):
    make_person("Mara Quill", wikidata_id=MARA)
    namesake = make_person("Ivy Vance", born_on=D(1950, 1, 1))
    output = run(MARA, "--depth", "1")
    namesake.refresh_from_db()
    assert namesake.wikidata_id == ""
    assert Person.objects.get(wikidata_id=IVY).slug == "ivy-vance-q990000004"
    assert "not taken for Ivy Vance (/people/ivy-vance/): the dates of birth differ" in output


# --- refusals: nothing written ------------------------------------------------------------


def refused(*args):
    before = rows()
    with pytest.raises(CommandError) as error:
        run(*args)
    assert rows() == before, "something was written"
    assert "Nothing was written" in str(error.value)
    return str(error.value)


def test_an_unknown_id_is_refused(wikidata):
    message = refused(MARA, "Q990000404")
    assert message.startswith("Unknown to Wikidata: Q990000404.")


def test_something_not_an_id_is_refused_before_asking(wikidata):
    with pytest.raises(CommandError, match="“P26” is not a Wikidata item id"):
        run("P26")
    assert wikidata.requests == []


def test_a_malformed_answer_is_refused_saying_where(wikidata):
    wikidata.script = [Odd(body={"entities": {MARA: {"id": MARA, "claims": {"P26": [{}]}}}})]
    message = refused(MARA)
    assert "malformed: Q990000001 claims P26[0]: a statement without a “mainsnak”" in message


def test_an_answer_that_is_not_json_is_refused(wikidata):
    wikidata.script = [Odd(body=b"<html>Service unavailable</html>")]
    assert "not JSON" in refused(MARA)


def test_a_timeout_is_refused(wikidata, settings):
    settings.WIKIDATA_TIMEOUT = 0.5
    wikidata.script = [Odd(delay=2.0, body={})]
    assert "did not answer within 0.5 s" in refused(MARA)


def test_a_timeout_while_bringing_the_other_ends_writes_nothing_either(wikidata, settings):
    settings.WIKIDATA_TIMEOUT = 0.5
    wikidata.script = [Odd(body=wikidata.answer({"action": "wbgetentities", "ids": MARA}))]
    wikidata.script.append(Odd(delay=2.0, body={}))
    assert "did not answer within" in refused(MARA, "--depth", "1")
    assert len(wikidata.requests) == 2


def test_a_network_failure_is_refused(settings, db):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.WIKIDATA_API_URL = f"http://127.0.0.1:{port}/w/api.php"
    settings.OUTBOUND_ALLOWED_ADDRESSES = ["127.0.0.1"]
    assert "Could not reach Wikidata" in refused(MARA)


def test_an_address_the_archive_may_not_fetch_is_refused(wikidata, settings):
    settings.OUTBOUND_ALLOWED_ADDRESSES = []  # loopback, as any private address, refused
    assert "is refused: not a public address" in refused(MARA)
    assert wikidata.requests == []


def test_too_many_requests_is_waited_for_then_the_import_goes_on(wikidata, waits):
    wikidata.script = [Odd(429, headers={"Retry-After": "3"})]
    run(MARA)
    assert waits == [3.0]
    assert Person.objects.filter(wikidata_id=MARA).exists()


def test_too_many_requests_for_too_long_is_refused(wikidata):
    wikidata.script = [Odd(429, headers={"Retry-After": "3"})] * 4
    assert "try again later" in refused(MARA)


def test_one_run_is_one_transaction(wikidata, monkeypatch):
    def fail(self):
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(importer.Importer, "import_relationships", fail)
    message = refused(MARA, "--depth", "1")  # people were written before relationships
    assert "The import failed: the disk is full" in message


def test_a_dry_run_writes_nothing(wikidata):
    before = rows()
    output = run(MARA, "--depth", "1", "--dry-run")
    assert rows() == before
    assert "People would be created: 5" in output
    assert "Dry run: nothing was written." in output


def test_the_requests_are_polite(wikidata):
    run(MARA, "--depth", "1")
    assert len(wikidata.requests) == 2
    for request in wikidata.requests:
        assert request.headers["user-agent"] == "NewsroomTest/1.0 (tests; ops@example.org)"
        assert request.query["maxlag"] == "5"
        assert len(request.query["ids"].split("|")) <= 50


@pytest.mark.parametrize("count", [4, 40])
def test_running_again_costs_the_same_few_queries_however_many_people(
    settings, db, count, django_assert_num_queries
):
    from bench.wikidata_import import families

    entities = families(count)
    with WikidataServer(entities) as server:
        settings.WIKIDATA_API_URL = server.url
        settings.OUTBOUND_ALLOWED_ADDRESSES = ["127.0.0.1"]
        run(*entities)
        # The people (with their aliases and sources), the sources cited, the relationships
        # between them (with their sources): six reads, and the transaction opened and closed.
        with django_assert_num_queries(6 + 2):
            assert "Nothing changed" in run(*entities)
