#!/bin/sh
# The primary's first start (the official image runs /docker-entrypoint-initdb.d/ once, on an
# empty data folder): a role the replica streams with, a slot that keeps the WAL it has not
# received yet, and the line of pg_hba.conf that lets it connect for replication.
set -eu
: "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica1');
SQL

echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
