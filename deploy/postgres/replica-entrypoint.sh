#!/bin/sh
# The replica's entrypoint: on its first start (an empty data folder) copy the primary with
# pg_basebackup, which writes the standby settings (-R: primary_conninfo, standby.signal);
# then start PostgreSQL as the official image does. Later starts only resume streaming.
set -eu
: "${PRIMARY_HOST:?set PRIMARY_HOST}"
: "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
SLOT="${REPLICATION_SLOT:-replica1}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    until pg_isready -h "$PRIMARY_HOST" -p 5432 -q; do
        echo "replica: waiting for $PRIMARY_HOST"
        sleep 1
    done
    echo "replica: copying $PRIMARY_HOST (pg_basebackup, slot $SLOT)"
    PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres pg_basebackup \
        --host "$PRIMARY_HOST" --port 5432 --username replicator \
        --pgdata "$PGDATA" --wal-method stream --slot "$SLOT" \
        --write-recovery-conf --checkpoint fast --progress
fi

# The official entrypoint: it sees a data folder already there, initialises nothing, and runs
# the server as `postgres` — a hot standby, because of the standby.signal pg_basebackup wrote.
exec docker-entrypoint.sh "$@"
