from bench.plans import shortened


def test_a_long_list_of_ids_is_shortened_to_its_first_three_and_its_count():
    ids = ",".join(str(n) for n in range(1000, 2000))
    line = f"Index Cond: (article_id = ANY ('{{{ids}}}'::bigint[]))"
    assert (
        shortened(line)
        == "Index Cond: (article_id = ANY ('{1000,1001,1002,… 1000 ids}'::bigint[]))"
    )


def test_a_short_list_and_other_lines_are_left_as_they_are():
    years = ",".join(str(year) for year in range(2000, 2020))
    for line in [
        "x = ANY ('{1,2,3,4,5}'::int[])",
        "Sort Key: published_on DESC, id DESC",
        f"Filter: (label = '{{{years}}}'::text)",
    ]:
        assert shortened(line) == line
