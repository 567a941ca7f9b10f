"""Prepared statements for the queries that look a page's rows up by their keys.

PostgreSQL spends longer planning a story page's queries than running them. A prepared
statement is planned once per connection and then, after a few runs, by a generic plan that
ignores the values. That is right for a lookup by a unique key (a story by its date and
address, its quotes by its id) and wrong where the values change the best plan: a generic plan
for a famous person's stories took over 500 ms where a custom one takes half a millisecond. So
nothing is prepared unless a view asks, with `prepared()`, for queries it knows are of the
first kind; the rest bind their values on the client, as Django does by default.

Only on PostgreSQL (common/postgresql/), and not behind PgBouncer in transaction mode
(settings.DATABASE_PREPARED_STATEMENTS).
"""

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

_preparing = contextvars.ContextVar("preparing", default=False)

P = ParamSpec("P")
R = TypeVar("R")


def preparing() -> bool:
    """Whether the queries run now are to be prepared."""
    return _preparing.get()


@contextmanager
def statements_prepared() -> Iterator[None]:
    """The queries run inside are prepared (where the database allows it)."""
    token = _preparing.set(True)
    try:
        yield
    finally:
        _preparing.reset(token)


def prepared(view: Callable[P, R]) -> Callable[P, R]:
    """A view whose queries all look rows up by their keys: prepared."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with statements_prepared():
            return view(*args, **kwargs)

    return wrapper
