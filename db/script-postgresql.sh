#!/usr/bin/env bash
# Regenerates db/postgresql/fleet.sql, the idempotent script a DBA runs against PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet restore Fleet.sln >/dev/null
project=src/Fleet.Migrations.PostgreSql
dotnet ef migrations script --idempotent --project "$project" --startup-project "$project" --output db/postgresql/fleet.sql
