#!/usr/bin/env bash
# Regenerates the Kiota client the tests compile from the OpenAPI document Fleet serves now.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)
data=$(mktemp -d)
dotnet tool restore >/dev/null
Fleet__DataDirectory=$data Fleet__Seed__Demo=false dotnet run --project "$root/src/Fleet.Api" --urls http://127.0.0.1:5093 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 60); do curl -sf http://127.0.0.1:5093/openapi/v1.json -o openapi.json && break; sleep 1; done
dotnet kiota generate -l CSharp -d openapi.json -o Kiota -c FleetClient -n Fleet.Tests.GeneratedClient --exclude-backward-compatible --clean-output
