#!/usr/bin/env bash
# Fetches the official FHIR package named in tools/fhir_package.lock (or the package of another
# lock file of the same form: tools/ucum_package.lock, the UCUM definitions) from the npm
# registry (by name and version), checks its SHA-256 against the lock, caches the tarball, and
# unpacks it.
# Usage: fetch_fhir_package.sh DEST_DIR [LOCK_FILE]   -> DEST_DIR/package/...
# Cache: $HEARTH_CACHE_DIR (default ~/.cache/hearth). Idempotent: does nothing when DEST_DIR
# already holds the checked package.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: fetch_fhir_package.sh DEST_DIR [LOCK_FILE]}
lock=${2:-$here/fhir_package.lock}
name=$(sed -n 's/^name=//p' "$lock")
version=$(sed -n 's/^version=//p' "$lock")
sha=$(sed -n 's/^sha256=//p' "$lock")
stamp="$dest/.hearth-package-$sha"
[ -f "$stamp" ] && exit 0

cache=${HEARTH_CACHE_DIR:-$HOME/.cache/hearth}
mkdir -p "$cache"
# npm names a scoped package's tarball without the @ and with - for / (@a/b -> a-b-1.0.tgz).
file_name=$(echo "$name" | sed 's|^@||; s|/|-|')-$version.tgz
tarball="$cache/$file_name"
if [ ! -f "$tarball" ] || ! echo "$sha  $tarball" | sha256sum -c --status; then
  command -v npm >/dev/null || { echo "fetch_fhir_package: npm is required" >&2; exit 1; }
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null 2>"$tmp/npm.err") || {
    cat "$tmp/npm.err" >&2; echo "fetch_fhir_package: npm pack $name@$version failed" >&2; exit 1; }
  mv "$tmp/$file_name" "$tarball"
fi
if ! echo "$sha  $tarball" | sha256sum -c --status; then
  echo "fetch_fhir_package: $tarball does not match the SHA-256 in $lock" >&2
  rm -f "$tarball"
  exit 1
fi
rm -rf "$dest/package"
mkdir -p "$dest"
tar -xzf "$tarball" -C "$dest"
touch "$stamp"
echo "fetch_fhir_package: $name@$version ready in $dest/package" >&2
