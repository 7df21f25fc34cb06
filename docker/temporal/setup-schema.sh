#!/bin/sh
# The temporal-schema service (temporalio/admin-tools), run once per `docker compose up` before the server:
# creates Temporal's two databases on the compose PostgreSQL and migrates each to the schema version this
# image ships. Every step is idempotent (an existing database is kept, setup-schema leaves a newer version
# alone, update-schema applies only what is missing), so re-running it on a volume with data is safe, and
# after an image upgrade it is what migrates the schemas.
set -eu

: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
SCHEMA_DIR=${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}

sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" "$@"
}

# database, schema folder under SCHEMA_DIR
migrate() {
  echo "temporal-schema: $1"
  sql_tool --db "$1" create-database
  sql_tool --db "$1" setup-schema -v 0.0
  sql_tool --db "$1" update-schema -d "$SCHEMA_DIR/$2/versioned"
}

migrate "${DBNAME:-temporal}" temporal
migrate "${VISIBILITY_DBNAME:-temporal_visibility}" visibility
echo "temporal-schema: done"
