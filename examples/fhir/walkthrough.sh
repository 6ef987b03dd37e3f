#!/usr/bin/env bash
# A walk through Hearth's FHIR REST interactions with curl, against a running server
# (tools/run starts one at http://127.0.0.1:8080/fhir). Usage: examples/fhir/walkthrough.sh [BASE]
set -euo pipefail
base=${1:-http://127.0.0.1:8080/fhir}
here=$(cd "$(dirname "$0")" && pwd)
json='Content-Type: application/fhir+json'

echo "== create (server assigns the id)"
location=$(curl -s -D - -o /dev/null -X POST "$base/Patient" -H "$json" \
  --data-binary @"$here/patient.json" | tr -d '\r' | sed -n 's/^Location: //p')
echo "$location"
id=$(sed -E 's#.*/Patient/([^/]+)/_history/.*#\1#' <<<"$location")

echo "== read"
curl -s "$base/Patient/$id?_pretty=true" | head -12

echo "== update with If-Match (version 1 -> 2)"
body=$(curl -s "$base/Patient/$id" | sed 's/"active":true/"active":false/')
curl -s -o /dev/null -w '%{http_code}\n' -X PUT "$base/Patient/$id" -H "$json" \
  -H 'If-Match: W/"1"' --data-binary "$body"

echo "== a stale If-Match is refused (412)"
curl -s -w '\n%{http_code}\n' -X PUT "$base/Patient/$id" -H "$json" -H 'If-Match: W/"1"' \
  --data-binary "$body"

echo "== invalid content is refused (422, with the element's location)"
curl -s -w '\n%{http_code}\n' -X POST "$base/Patient" -H "$json" \
  -d '{"resourceType":"Patient","birthDate":"25/12/1974"}'

echo "== delete, then read (410), then history"
curl -s -o /dev/null -w '%{http_code}\n' -X DELETE "$base/Patient/$id"
curl -s -o /dev/null -w '%{http_code}\n' "$base/Patient/$id"
curl -s "$base/Patient/$id/_history?_pretty=true" | grep -E '"(method|versionId|total)"'
