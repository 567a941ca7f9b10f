"""A page's data in one query, as the models' own instances.

A page that needs rows of many kinds — a story, its outlet, picture, people, quotes, sources —
asks the ORM for each kind in turn, and building those queries costs more than running them.
Here one hand-written query returns them all as one JSON document: each row a JSON array of its
model's columns, the rows of a list aggregated into an array. `Columns` writes a model's array
into the query and builds the model's instance back from it, from the same list of fields, so
the two cannot disagree; the instances are the models' own (`Model.from_db`, as the ORM makes
them), with their methods, and related rows are set where the ORM's `select_related` and
`prefetch_related` would put them. Templates and code that read the models read these alike.

The query is written once for PostgreSQL and SQLite through `Dialect`: the JSON functions of
each, and what SQLite needs to keep an array an array when it comes out of a subquery.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.dateparse import parse_datetime

M = TypeVar("M", bound=models.Model)


def sql_limit(limit: int | str) -> str:
    """A number written into the query as a number; anything else is SQL (a parameter)."""
    return str(int(limit)) if isinstance(limit, int) else limit


class Dialect:
    """The JSON functions of one database, for queries written once for both."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.postgresql = connection.vendor == "postgresql"

    def array(self, *expressions: str) -> str:
        """A JSON array of `expressions`."""
        function = "json_build_array" if self.postgresql else "json_array"
        return f"{function}({', '.join(expressions)})"

    def column(self, expression: str, field: models.Field[Any, Any]) -> str:
        """A column as a value of a JSON array (SQLite keeps JSON columns as text)."""
        if not self.postgresql and isinstance(field, models.JSONField):
            return f"json({expression})"
        return expression

    def one(self, expression: str, rows: str, order: str = "") -> str:
        """`expression` of the first of `rows` (`FROM … WHERE …`), or null."""
        order_by = f" ORDER BY {order}" if order else ""
        query = f"(SELECT {expression} FROM {rows}{order_by} LIMIT 1)"
        return query if self.postgresql else f"json({query})"

    def listed(
        self,
        expression: str,
        rows: str,
        order: str,
        limit: int | str | None = None,
        offset: str = "",
    ) -> str:
        """A JSON array of `expression` for each of `rows` (`FROM … WHERE …`) in `order`, the
        first `limit` of them if given (a number, or an SQL expression such as a parameter),
        after the first `offset` (an SQL expression) if given; null when there are none."""
        skip = f" OFFSET {offset}" if offset else ""
        if self.postgresql and limit is None:
            return f"(SELECT json_agg({expression} ORDER BY {order}) FROM {rows})"
        if self.postgresql and limit is not None:
            # Numbered in order as the rows come, so that the first `limit` are all it reads.
            first = (
                f"SELECT {expression} AS item, row_number() OVER (ORDER BY {order}) AS place"
                f" FROM {rows} ORDER BY {order} LIMIT {sql_limit(limit)}{skip}"
            )
            return f"(SELECT json_agg(item ORDER BY place) FROM ({first}) AS first)"
        # SQLite's aggregate takes no ORDER BY (before 3.44): it aggregates the rows in the
        # order a subquery gives them, and reads each back as JSON (a subquery's value is text).
        ordered = f"SELECT {expression} AS item FROM {rows} ORDER BY {order}"
        if limit is not None:
            ordered += f" LIMIT {sql_limit(limit)}{skip}"
        return f"json((SELECT json_group_array(json(item)) FROM ({ordered})))"


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """What turns a JSON value of `field` into the value the ORM gives (None: as it is)."""
    if isinstance(field, models.DateTimeField):
        return _moment
    if isinstance(field, models.DateField):
        return datetime.date.fromisoformat
    if isinstance(field, models.UUIDField):
        return uuid.UUID
    if isinstance(field, models.FloatField):
        return float
    if isinstance(field, models.BooleanField):
        return bool
    return None


def _moment(value: str) -> datetime.datetime:
    """A moment as PostgreSQL writes it in JSON (with its offset) or SQLite keeps it (UTC, bare)."""
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError(f"not a moment: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


class Columns(Generic[M]):
    """The columns of `model` a query returns as a JSON array, and the instance built back.

    `fields` names them (attribute names: `publication_id`); by default every column but the
    search vectors, which no page reads. A row whose primary key is null (an outer join that
    found nothing) is no row.
    """

    def __init__(self, model: type[M], fields: Iterable[str] | None = None) -> None:
        self.model = model
        concrete = model._meta.concrete_fields
        wanted = None if fields is None else {model._meta.pk.attname, *fields}
        self.fields = [
            field
            for field in concrete
            if (wanted is None and not isinstance(field, SearchVectorField))
            or (wanted is not None and field.attname in wanted)
        ]
        if wanted is not None and len(self.fields) != len(wanted):
            unknown = wanted - {field.attname for field in self.fields}
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        # In the model's order, as `Model.from_db` takes them.
        self.key = self.fields.index(model._meta.pk)
        self.names = [field.attname for field in self.fields]
        self.converters = [_converter(field) for field in self.fields]

    def sql(self, dialect: Dialect, alias: str) -> str:
        """The JSON array of this row's columns, from the table named `alias` in the query."""
        return dialect.array(
            *(dialect.column(f'{alias}."{field.column}"', field) for field in self.fields)
        )

    def build(self, values: Sequence[Any] | None, db: str) -> M | None:
        """The instance, as the ORM would give it from database `db` (None for no row)."""
        if values is None or values[self.key] is None:
            return None
        converted = [
            value if convert is None or value is None else convert(value)
            for value, convert in zip(values, self.converters, strict=True)
        ]
        return self.model.from_db(db, self.names, converted)


def related(instance: models.Model, name: str, value: models.Model | None) -> None:
    """Set `instance.<name>` (a foreign key) as `select_related` does: read without a query."""
    instance._state.fields_cache[name] = value


def prefetched(instance: models.Model, name: str, values: list[Any]) -> None:
    """Set `instance.<name>.all()` (a many-to-many or reverse relation) as `prefetch_related`
    does: read without a query."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset()
    queryset._result_cache = values
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    instance._prefetched_objects_cache[manager.prefetch_cache_name] = queryset  # type: ignore[attr-defined]


def fetch_document(sql: str, params: dict[str, Any], using: str) -> Any:
    """The one value of the one row `sql` returns, read as JSON (None for no row)."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    # psycopg reads PostgreSQL's json itself; SQLite gives it as text.
    return json.loads(row[0]) if isinstance(row[0], str | bytes) else row[0]
