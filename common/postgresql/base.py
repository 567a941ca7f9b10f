"""Django's PostgreSQL backend, with the statements `common.prepared` asks for prepared.

Every other query binds its values on the client, as with Django's own backend. Inside
`statements_prepared()`, a cursor binds them on the server and prepares the statement on the
connection at its first run (psycopg keeps the most recent hundred per connection).
settings.DATABASE_PREPARED_STATEMENTS turns it off (PgBouncer in transaction mode).
"""

from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import register_tzloader  # type: ignore[import-untyped]
from psycopg import Cursor, adapters
from psycopg.abc import Params, Query
from psycopg.pq import Format

from common.prepared import preparing

TIMESTAMPTZ_OID = adapters.types["timestamptz"].oid
# psycopg prepares a statement run this many times on a connection: never, here. Only what a
# cursor asks for (prepare=True) is prepared.
PREPARE_BY_COUNT_NEVER = 2**31 - 1


class PreparingCursor(base.ServerBindingCursor):  # type: ignore[name-defined]
    def execute(
        self,
        query: Query,
        params: Params | None = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> "Cursor[Any]":
        return super().execute(query, params, prepare=True, binary=binary)


class DatabaseOperations(base.DatabaseOperations):  # type: ignore[name-defined]
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str | None:
        """The query as run, for the debug log: a prepared statement's cursor keeps no text
        of it, so it is written out from its values (as Django does with server binding)."""
        executed = super().last_executed_query(cursor, sql, params)
        if executed is None and isinstance(cursor, PreparingCursor):
            return self.compose_sql(sql, params)
        return executed


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        if settings.DATABASE_PREPARED_STATEMENTS:
            # Needed for prepare=True to be heard at all; Django's own cursors bind on the
            # client and are never prepared whatever this says.
            params["prepare_threshold"] = PREPARE_BY_COUNT_NEVER
        return params

    def create_cursor(self, name: str | None = None) -> Any:
        if name is not None or not preparing() or not settings.DATABASE_PREPARED_STATEMENTS:
            return super().create_cursor(name)
        cursor = PreparingCursor(self.connection)
        # As Django's backend does for its cursors: the time zone of this connection's settings.
        loader = self.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if self.timezone != getattr(loader, "timezone", None):
            register_tzloader(self.timezone, cursor)
        return cursor
