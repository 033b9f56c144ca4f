#!/usr/bin/env bash
# Reproduces the README's performance table: installs wrk (Debian), builds in Release, generates the province
# database once (about 3 minutes, 2.3 GB in $TMPDIR, and a tenth of it beside it), then runs every benchmark, each against
# its anchor in the same run, in interleaved rounds (FLEET_BENCH_ROUNDS, default 3). About 40 minutes. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }; }
dotnet build tests/Fleet.Benchmarks -c Release -v q
db=${1:-${TMPDIR:-/tmp}/fleet-province.db}
dotnet tests/Fleet.Benchmarks/bin/Release/net10.0/Fleet.Benchmarks.dll all "$db"
