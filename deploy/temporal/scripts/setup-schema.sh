#!/bin/sh
# One-shot schema setup for Temporal on PostgreSQL, run by the `temporal-admin-tools` service.
# Creates (if missing) and migrates the `temporal` and `temporal_visibility` databases to the schema versions
# shipped in this admin-tools image. Idempotent: every step is a no-op on an up-to-date database, so it runs on
# each `docker compose up`. The password is read from the compose secret, never passed on a command line.
set -eu

: "${SQL_PLUGIN:=postgres12}"
: "${SQL_HOST:=postgresql}"
: "${SQL_PORT:=5432}"
: "${SQL_USER:=temporal}"
: "${SQL_PASSWORD_FILE:=/run/secrets/postgres_password}"
: "${TEMPORAL_DB:=temporal}"
: "${VISIBILITY_DB:=temporal_visibility}"
: "${SCHEMA_ROOT:=/etc/temporal/schema/postgresql/v12}"

if [ ! -r "$SQL_PASSWORD_FILE" ]; then
  echo "setup-schema: cannot read the database password file $SQL_PASSWORD_FILE" \
       "(create deploy/secrets/postgres_password, see deploy/secrets/README.md)" >&2
  exit 1
fi
SQL_PASSWORD="$(cat "$SQL_PASSWORD_FILE")"
export SQL_PASSWORD

sql() {
  temporal-sql-tool --plugin "$SQL_PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"
}

# postgres is healthy before this job starts (depends_on), but give a restarting database a bounded grace period.
attempt=1
until sql --db "$TEMPORAL_DB" create; do
  if [ "$attempt" -ge 30 ]; then
    echo "setup-schema: PostgreSQL at $SQL_HOST:$SQL_PORT still refuses after $attempt attempts" >&2
    exit 1
  fi
  echo "setup-schema: PostgreSQL not ready (attempt $attempt/30), retrying in 2 s"
  attempt=$((attempt + 1))
  sleep 2
done
sql --db "$TEMPORAL_DB" setup-schema -v 0.0
sql --db "$TEMPORAL_DB" update-schema -d "$SCHEMA_ROOT/temporal/versioned"

sql --db "$VISIBILITY_DB" create
sql --db "$VISIBILITY_DB" setup-schema -v 0.0
sql --db "$VISIBILITY_DB" update-schema -d "$SCHEMA_ROOT/visibility/versioned"

echo "setup-schema: databases $TEMPORAL_DB and $VISIBILITY_DB are at the image's schema version"
