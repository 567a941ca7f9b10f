"""Model instances built from a query's JSON rows (common/rows.py), as the ORM builds them."""

import datetime

import pytest

from articles.models import Article, Publication
from common.rows import Columns


def test_the_columns_are_the_model_s_in_its_order_whatever_the_order_asked():
    columns = Columns(Article, ["slug", "published_on", "title"])
    assert columns.names == ["id", "title", "slug", "published_on"]
    story = columns.build([7, "A title", "a-slug", "2022-02-09"], "default")
    assert (story.pk, story.title, story.slug) == (7, "A title", "a-slug")
    assert story.published_on == datetime.date(2022, 2, 9)
    # What was not read is deferred, as with `only()`.
    assert {"body", "dek", "status"} <= story.get_deferred_fields()


def test_a_row_without_a_key_is_no_row():
    assert Columns(Publication).build([None, None, None, None], "default") is None
    assert Columns(Publication).build(None, "default") is None


@pytest.mark.parametrize(
    "written",
    [
        "2026-12-07T13:36:34.5+00:00",  # PostgreSQL's JSON
        "2026-12-07 13:36:34.500000",  # SQLite keeps it bare, in UTC
    ],
)
def test_moments_are_aware_and_in_utc(written):
    columns = Columns(Article, ["updated_at"])
    story = columns.build([1, written], "default")
    expected = datetime.datetime(2026, 12, 7, 13, 36, 34, 500000, tzinfo=datetime.UTC)
    assert story.updated_at == expected
    assert story.updated_at.utcoffset() == datetime.timedelta(0)


def test_columns_name_only_what_the_model_has():
    with pytest.raises(ValueError, match="no columns"):
        Columns(Article, ["title", "headline"])
