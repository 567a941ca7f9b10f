from people.names import NameFinder

KIM, KANYE, CHICAGO, OTHER_KIM = 1, 2, 3, 4


def finder(**extra):
    names = [
        ("Kim Kardashian", KIM),
        ("Kim", KIM),
        ("Kanye West", KANYE),
        ("Kanye", KANYE),
        ("Ye", KANYE),
        ("Yeezy", KANYE),
        ("Chicago West", CHICAGO),
    ]
    return NameFinder(names + extra.get("more", []), blocked=extra.get("blocked", ["Chicago"]))


def test_finds_full_names_and_aliases_in_order_of_appearance():
    found = finder().find("In the caption, Yeezy hoped for a reunion with Kim.")
    assert list(found) == [KANYE, KIM]


def test_names_are_whole_words():
    assert finder().find("Yesterday the Yeti and Kimberley met.") == {}
    assert finder().find("After Kanye’s intense attacks") == {KANYE: 6}


def test_an_ambiguous_alias_names_no_one():
    assert finder().find("a trip to his hometown of Chicago with him") == {}
    assert finder().find("Chicago West turned four") == {CHICAGO: 0}


def test_a_name_two_people_share_names_neither():
    shared = finder(more=[("Kim", OTHER_KIM), ("Kim Possible", OTHER_KIM)])
    assert shared.find("Kim said so.") == {}
    assert shared.find("Kim Possible and Kim Kardashian") == {OTHER_KIM: 0, KIM: 17}


def test_the_longest_name_wins_at_the_same_place():
    assert finder().find("Kim Kardashian") == {KIM: 0}


def test_nothing_known_finds_nothing():
    assert NameFinder([]).find("Kim Kardashian") == {}
