#!/usr/bin/env bash
# Adds one migration to both providers, then regenerates the idempotent SQL Server script.
# Usage: db/add-migration.sh MigrationName
set -euo pipefail
name=${1:?usage: db/add-migration.sh MigrationName}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet restore Fleet.sln >/dev/null
for provider in Sqlite SqlServer; do
  project=src/Fleet.Migrations.$provider
  dotnet ef migrations add "$name" --project "$project" --startup-project "$project" --output-dir Migrations
done
db/script-sqlserver.sh
