#!/usr/bin/env bash
# Proves the layer direction of ARCHITECTURE.md: core <- fhir <- (hl7, storage) <- api <- server.
# A layer may include only its own headers and those of the layers it may use; Boost.Asio/Beast
# and OpenSSL appear only in server/ (and conformance/, tests/, bench/), SOCI only in storage/.
# Exits non-zero listing every offending include.
set -uo pipefail
cd "$(dirname "$0")/.."
declare -A allowed=(
  [core]="core"
  [fhir]="core fhir"
  [hl7]="core fhir hl7"
  [storage]="core fhir storage"
  [api]="core fhir hl7 storage api"
  [server]="core fhir hl7 storage api conformance server"
  [conformance]="core fhir conformance"
  # The generator emits tables of fhir/model.h's structs, so it reads that header (no link).
  [tools]="core fhir tools"
)
status=0
for layer in "${!allowed[@]}"; do
  [ -d "$layer" ] || continue
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([a-z0-9_]+)\/.*/\1/' <<<"${line#*:}")
    case " ${allowed[$layer]} " in
      *" $inc "*) ;;
      *) echo "layer violation: $file includes $inc/ (allowed: ${allowed[$layer]})"; status=1 ;;
    esac
  done < <(grep -rnE '^\s*#\s*include\s+"[a-z0-9_]+/' "$layer" --include='*.h' --include='*.cpp' | sed -E 's/^([^:]+):[0-9]+:/\1:/')
  case "$layer" in server|conformance) ;; *)
    if grep -rnE '#\s*include\s+<(boost/(asio|beast)|openssl/)' "$layer" --include='*.h' --include='*.cpp'; then
      echo "layer violation: Asio/Beast/OpenSSL outside server/ (above)"; status=1
    fi ;;
  esac
  if [ "$layer" != storage ] && grep -rnE '#\s*include\s+<soci/' "$layer" --include='*.h' --include='*.cpp'; then
    echo "layer violation: SOCI outside storage/ (above)"; status=1
  fi
done
[ $status -eq 0 ] && echo "check_layers: all includes follow the layer direction"
exit $status
