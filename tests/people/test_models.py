import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Alias, Relationship, Source

Kind = Relationship.Kind
D = datetime.date


@pytest.fixture
def kim(make_person):
    return make_person("Kim Kardashian", born_on=D(1980, 10, 21), pronouns="she/her")


@pytest.fixture
def kanye(make_person):
    return make_person("Kanye West", born_on=D(1977, 6, 8))


@pytest.fixture
def north(make_person):
    return make_person("North West", born_on=D(2013, 6, 15))


def married(a, b, **fields):
    fields.setdefault("started_on", D(2014, 5, 24))
    return Relationship.objects.create(person_a=a, person_b=b, kind=Kind.MARRIED, **fields)


def rejected():
    """The database itself refuses the write (not only Django's validation)."""
    return pytest.raises(IntegrityError)


def test_person_slug_is_unique(kim, make_person):
    with rejected(), transaction.atomic():
        make_person("Kim Kardashian (again)", slug="kim-kardashian")


def test_person_cannot_die_before_being_born(make_person):
    with rejected(), transaction.atomic():
        make_person("Nobody", born_on=D(2000, 1, 2), died_on=D(2000, 1, 1))


def test_wikidata_id_is_unique_but_may_be_blank_for_many(make_person):
    make_person("One", wikidata_id="Q1")
    make_person("Blank one")
    make_person("Blank two")
    with rejected(), transaction.atomic():
        make_person("Two", wikidata_id="Q1")


def test_wikidata_id_must_look_like_one(kim):
    kim.wikidata_id = "186304"
    with pytest.raises(ValidationError) as error:
        kim.full_clean()
    assert "wikidata_id" in error.value.message_dict


def test_age_counts_whole_years_up_to_the_birthday(kim):
    assert kim.age_on(D(2022, 2, 9)) == 41
    assert kim.age_on(D(2022, 10, 20)) == 41
    assert kim.age_on(D(2022, 10, 21)) == 42
    assert kim.age_on(D(1970, 1, 1)) is None


def test_age_is_unknown_after_death(make_person):
    person = make_person("Late", born_on=D(1950, 1, 1), died_on=D(2000, 1, 1))
    assert person.age_on(D(1999, 6, 1)) == 49
    assert person.age_on(D(2010, 1, 1)) is None


def test_age_is_unknown_when_only_the_year_or_month_of_birth_is(make_person):
    year = make_person("Year", born_on=D(1977, 1, 1), born_precision="year")
    month = make_person("Month", born_on=D(1977, 6, 1), born_precision="month")
    assert year.age_on(D(2022, 12, 31)) is None
    assert month.age_on(D(2022, 12, 31)) is None


def test_a_partial_date_of_birth_or_death_is_kept_as_the_first_day_of_its_period(make_person):
    person = make_person("Ava Stone")
    person.born_on, person.born_precision = D(1977, 6, 8), "year"
    person.died_on, person.died_precision = D(2020, 5, 17), "month"
    person.full_clean()
    assert (person.born_on, person.died_on) == (D(1977, 1, 1), D(2020, 5, 1))
    assert (person.born_display, person.died_display) == ("1977", "May 2020")


def test_nobody_relates_to_themselves(kim):
    with rejected(), transaction.atomic():
        married(kim, kim)


def test_a_relationship_cannot_end_before_it_starts(kim, kanye):
    with rejected(), transaction.atomic():
        married(kim, kanye, ended_on=D(2014, 5, 23), end_reason="divorce")


def test_the_same_relationship_cannot_be_stored_twice(kim, kanye):
    married(kim, kanye)
    with rejected(), transaction.atomic():
        married(kim, kanye)


def test_a_symmetric_relationship_cannot_be_stored_again_from_the_other_side(kim, kanye):
    married(kim, kanye)
    with rejected(), transaction.atomic():
        married(kanye, kim)


def test_two_undated_duplicates_are_still_duplicates(kim, kanye):
    Relationship.objects.create(person_a=kim, person_b=kanye, kind=Kind.FRIENDS)
    with rejected(), transaction.atomic():
        Relationship.objects.create(person_a=kanye, person_b=kim, kind=Kind.FRIENDS)


def test_two_people_cannot_each_be_the_others_parent(kim, north):
    Relationship.objects.create(person_a=kim, person_b=north, kind=Kind.PARENT)
    with rejected(), transaction.atomic():
        Relationship.objects.create(person_a=north, person_b=kim, kind=Kind.PARENT)


def test_the_same_pair_may_marry_twice_on_different_dates(kim, kanye):
    married(kim, kanye, ended_on=D(2016, 1, 1), end_reason="divorce")
    married(kanye, kim, started_on=D(2018, 1, 1))
    assert kim.relationships().count() == 2


def test_full_clean_explains_a_duplicate_before_the_database_refuses_it(kim, kanye):
    married(kim, kanye)
    duplicate = Relationship(
        person_a=kanye, person_b=kim, kind=Kind.MARRIED, started_on=D(2014, 5, 24)
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "already have a relationship of this kind" in str(error.value)


def test_full_clean_explains_a_relationship_with_oneself(kim):
    with pytest.raises(ValidationError, match="cannot be related to themselves"):
        Relationship(person_a=kim, person_b=kim, kind=Kind.FRIENDS).full_clean()


def test_a_parent_is_read_as_a_child_from_the_other_side(kanye, north):
    relationship = Relationship.objects.create(
        person_a=kanye, person_b=north, kind=Kind.PARENT, started_on=D(2013, 6, 15)
    )
    assert relationship.phrase_for(kanye) == "parent of"
    assert relationship.other(kanye) == north
    assert relationship.phrase_for(north) == "child of"
    assert relationship.other(north) == kanye


def test_a_symmetric_relationship_is_read_the_same_from_both_sides(kim, kanye):
    relationship = married(kim, kanye)
    assert relationship.phrase_for(kim) == relationship.phrase_for(kanye) == "married to"
    assert list(kim.relationships()) == [relationship]
    assert list(kanye.relationships()) == [relationship]


def test_relationships_are_read_in_one_query_from_both_sides(
    kim, kanye, north, django_assert_num_queries
):
    married(kim, kanye)
    Relationship.objects.create(person_a=kanye, person_b=north, kind=Kind.PARENT)
    with django_assert_num_queries(1):
        seen = {(r.phrase_for(kanye), r.other(kanye).name) for r in kanye.relationships()}
    assert seen == {("married to", "Kim Kardashian"), ("parent of", "North West")}


def test_current_and_past_relationships(kim, kanye, north):
    marriage = married(kim, kanye, ended_on=D(2022, 3, 2), end_reason="divorce")
    parent = Relationship.objects.create(person_a=kim, person_b=north, kind=Kind.PARENT)
    assert [r for r in kim.relationships() if r.is_current] == [parent]
    assert [r for r in kim.relationships() if not r.is_current] == [marriage]


def test_partial_dates_are_stored_as_the_first_day_of_their_period(kim, kanye):
    relationship = Relationship(
        person_a=kim,
        person_b=kanye,
        kind=Kind.DATING,
        started_on=D(2012, 4, 17),
        started_precision="month",
        ended_on=D(2013, 10, 21),
        end_reason="breakup",
    )
    relationship.full_clean()
    assert relationship.started_on == D(2012, 4, 1)
    assert relationship.started_display == "April 2012"
    assert relationship.ended_display == "21 October 2013"


def test_an_ended_relationship_says_why(kim, kanye):
    relationship = Relationship(
        person_a=kim, person_b=kanye, kind=Kind.MARRIED, ended_on=D(2022, 3, 2)
    )
    with pytest.raises(ValidationError) as error:
        relationship.full_clean()
    assert "end_reason" in error.value.message_dict


def test_an_alias_is_unique_per_person_but_may_be_shared(kim, make_person):
    other_kim = make_person("Kim Possible")
    Alias.objects.create(person=kim, name="Kim")
    Alias.objects.create(person=other_kim, name="Kim")
    with rejected(), transaction.atomic():
        Alias.objects.create(person=kim, name="Kim")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "ftp://example.org/"])
def test_a_source_links_only_to_the_web(db, url):
    with rejected(), transaction.atomic():
        Source.objects.create(label="Bad", url=url)
    with pytest.raises(ValidationError) as error:
        Source(label="Bad", url=url).full_clean()
    assert "url" in error.value.message_dict


def test_a_source_without_an_address_is_cited_unlinked(db):
    source = Source.objects.create(label="Vogue, 9 February 2022, cover story")
    source.full_clean()
    assert source.url == ""
    assert str(source) == "Vogue, 9 February 2022, cover story"
