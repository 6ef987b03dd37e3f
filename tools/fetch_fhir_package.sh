#!/usr/bin/env bash
# Fetches the official FHIR package named in tools/fhir_package.lock from the npm registry (by
# name and version), checks its SHA-256 against the lock, caches the tarball, and unpacks it.
# Usage: fetch_fhir_package.sh DEST_DIR   -> DEST_DIR/package/*.json
# Cache: $HEARTH_CACHE_DIR (default ~/.cache/hearth). Idempotent: does nothing when DEST_DIR
# already holds the checked package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: fetch_fhir_package.sh DEST_DIR}
# shellcheck disable=SC1091
name=$(sed -n 's/^name=//p' "$here/fhir_package.lock")
version=$(sed -n 's/^version=//p' "$here/fhir_package.lock")
sha=$(sed -n 's/^sha256=//p' "$here/fhir_package.lock")
stamp="$dest/.hearth-package-$sha"
[ -f "$stamp" ] && exit 0

cache=${HEARTH_CACHE_DIR:-$HOME/.cache/hearth}
mkdir -p "$cache"
tarball="$cache/$name-$version.tgz"
if [ ! -f "$tarball" ] || ! echo "$sha  $tarball" | sha256sum -c --status; then
  command -v npm >/dev/null || { echo "fetch_fhir_package: npm is required" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null 2>"$tmp/npm.err") || {
    cat "$tmp/npm.err" >&2; echo "fetch_fhir_package: npm pack $name@$version failed" >&2; exit 1; }
  mv "$tmp/$name-$version.tgz" "$tarball"
fi
if ! echo "$sha  $tarball" | sha256sum -c --status; then
  echo "fetch_fhir_package: $tarball does not match the SHA-256 in fhir_package.lock" >&2
  rm -f "$tarball"
  exit 1
fi
rm -rf "$dest/package"
mkdir -p "$dest"
tar -xzf "$tarball" -C "$dest"
touch "$stamp"
echo "fetch_fhir_package: $name@$version ready in $dest/package" >&2
