import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.paging import CappedPaginator, KeyRangePaginator, among_newest, keyset_page
from people.models import Person


@pytest.fixture
def twelve(make_person):
    return [make_person(f"Person {i:02}") for i in range(12)]


def test_counts_stop_at_the_cap_and_say_so(twelve):
    people = Person.objects.order_by("name")
    paginator = CappedPaginator(people, 2, cap=5)
    assert paginator.count == 5 and paginator.capped and paginator.num_pages == 3
    # Beyond the pages it reaches: the last one, not an error nor a deep OFFSET.
    assert paginator.get_page(99).number == 3
    assert [p.name for p in paginator.get_page(1)] == ["Person 00", "Person 01"]
    whole = CappedPaginator(people, 2, cap=None)
    assert whole.count == 12 and not whole.capped
    under = CappedPaginator(people, 2, cap=50)
    assert under.count == 12 and not under.capped
    listed = CappedPaginator(list(range(12)), 2, cap=5)
    assert listed.count == 5 and listed.capped and list(listed.page(3)) == [4]


def test_the_count_is_bounded_and_unordered(twelve):
    with CaptureQueriesContext(connection) as queries:
        assert CappedPaginator(Person.objects.order_by("name"), 2, cap=5).count == 5
    (sql,) = [query["sql"] for query in queries]
    assert "LIMIT 6" in sql and "ORDER BY" not in sql


def test_among_newest_takes_the_first_of_each_list(twelve):
    first, second = twelve[:6], twelve[6:]
    people = Person.objects.values_list("pk")
    lists = [
        people.filter(pk__in=[p.pk for p in first]).order_by("-name"),
        people.filter(pk__in=[p.pk for p in second]).order_by("name"),
    ]
    found = Person.objects.filter(among_newest(lists, 2)).order_by("name")
    assert [p.name for p in found] == ["Person 04", "Person 05", "Person 06", "Person 07"]
    assert not Person.objects.filter(among_newest([], 2)).exists()


def test_key_range_pages_follow_the_keys(twelve):
    twelve[4].delete()
    people = Person.objects.exclude(name="Person 07")
    paginator = KeyRangePaginator(people, 5)
    assert paginator.num_pages == 3
    pages = [[p.name for p in paginator.page(n).object_list] for n in (1, 2, "3")]
    assert pages[0] == ["Person 00", "Person 01", "Person 02", "Person 03"]
    assert pages[1] == ["Person 05", "Person 06", "Person 08", "Person 09"]
    assert pages[2] == ["Person 10", "Person 11"]
    for wrong, error in [(0, EmptyPage), (4, EmptyPage), ("x", PageNotAnInteger)]:
        with pytest.raises(error):
            paginator.page(wrong)


def test_key_ranges_neither_count_nor_skip(twelve):
    with CaptureQueriesContext(connection) as queries:
        paginator = KeyRangePaginator(Person.objects.order_by("name"), 5)
        assert paginator.num_pages == 3
        list(paginator.page(3).object_list)
    assert len(queries) == 2
    for sql in [query["sql"] for query in queries]:
        assert "COUNT(" not in sql and "OFFSET" not in sql, sql


def test_an_empty_list_has_one_empty_page(db):
    paginator = KeyRangePaginator(Person.objects.all(), 5)
    assert paginator.num_pages == 1 and not paginator.page(1).object_list


def walk(people, size, **start):
    """Every page from `start` on, following the `after` keys: [[names of a page], ...]."""
    pages, params = [], start
    while True:
        page = keyset_page(people, params, size)
        pages.append([p.name for p in page.rows])
        if not page.after:
            return pages
        params = {"after": str(page.after)}


def test_a_stretch_walks_everyone_once_in_order_ties_included(twelve, make_person):
    twin = make_person("Person 03", slug="person-03-twin")
    pages = walk(Person.objects.all(), 5)
    names = [name for page in pages for name in page]
    assert names == sorted(names) and len(names) == 13 and names.count("Person 03") == 2
    assert [len(page) for page in pages] == [5, 5, 3]
    # Pages of four split the two "Person 03" between them, by key.
    first = keyset_page(Person.objects.all(), {}, 4)
    assert first.before is None and first.rows[-1].pk == twelve[3].pk
    second = keyset_page(Person.objects.all(), {"after": str(first.after)}, 4)
    assert second.rows[0].pk == twin.pk and second.before == twin.pk
    back = keyset_page(Person.objects.all(), {"before": str(second.before)}, 4)
    assert [p.pk for p in back.rows] == [p.pk for p in first.rows]
    assert back.before is None and back.after == first.after


def test_a_stretch_jumps_to_a_letter_and_survives_bad_keys(twelve, make_person):
    make_person("Quinn Ray")
    make_person("Ziggy Park")
    people = Person.objects.all()
    assert walk(people, 5, **{"from": "Q"}) == [["Quinn Ray", "Ziggy Park"]]
    jumped = keyset_page(people, {"from": "Q"}, 5)
    assert jumped.before == jumped.rows[0].pk and jumped.after is None
    for bad in ["abc", "", "999999", "-1", None, "9" * 30, "١٢"]:
        start = keyset_page(people, {"after": bad, "before": bad}, 5)
        assert start.rows[0].name == "Person 00" and start.before is None
    assert keyset_page(people, {"from": "zzz"}, 5).rows == []
    assert keyset_page(people, {"from": "Q\x00"}, 5).rows[0].name == "Quinn Ray"


def test_a_stretch_jumps_to_a_name_typed_in_any_case(make_person):
    for name in ["Kanye West", "Kim Kardashian", "Kim Kardashian West", "McDonald", "Zed Marr"]:
        make_person(name)
    people = Person.objects.all()

    def first(start):
        return keyset_page(people, {"from": start}, 5).rows[0].name

    assert first("k") == first("K") == "Kanye West"
    assert first("kim") == first("Kim") == first("kim kardashian") == "Kim Kardashian"
    assert first("kim kardashian w") == "Kim Kardashian West"
    assert first("mcD") == "McDonald"
    assert keyset_page(people, {"from": "kim"}, 5).place == {"from": "Kim"}


def test_a_stretch_neither_counts_nor_skips(twelve):
    with CaptureQueriesContext(connection) as queries:
        keyset_page(Person.objects.all(), {"after": str(twelve[6].pk)}, 3)
    assert len(queries) == 3
    for sql in [query["sql"] for query in queries]:
        assert "COUNT(" not in sql and "OFFSET" not in sql, sql
