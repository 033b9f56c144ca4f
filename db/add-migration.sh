#!/usr/bin/env bash
# Adds one migration to every provider, then regenerates the idempotent SQL Server and PostgreSQL scripts.
# Usage: db/add-migration.sh MigrationName
set -euo pipefail
name=${1:?usage: db/add-migration.sh MigrationName}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet restore Fleet.sln >/dev/null
for provider in Sqlite SqlServer PostgreSql; do
  project=src/Fleet.Migrations.$provider
  dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --output-dir Migrations
done
db/script-sqlserver.sh
db/script-postgresql.sh
