#!/usr/bin/env bash
# Regenerates db/sqlserver/fleet.sql, the idempotent script a DBA runs against SQL Server.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null && dotnet restore Fleet.sln >/dev/null
project=src/Fleet.Migrations.SqlServer
dotnet ef migrations script --idempotent --project "$project" --startup-project "$project" --output db/sqlserver/fleet.sql
