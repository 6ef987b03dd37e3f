#!/usr/bin/env bash
# Installs the Debian 12 packages Hearth builds, runs and tests with; does nothing when they are
# all present (idempotent and quick the second time). Usage: install_deps.sh [--test]
# --test adds what only the test suite and benchmarks need (PostgreSQL server, wrk, the openssl
# command for the TLS tests' throwaway certificates, Node.js for the
# client-library tests of tests/clients, PyYAML for the deployment files' check).
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config git ca-certificates
  libboost1.81-dev rapidjson-dev libsoci-dev libsqlite3-dev libpq-dev libxml2-dev libssl-dev
  libcli11-dev doctest-dev libicu-dev libjemalloc-dev ccache)
if [ "${1:-}" = "--test" ]; then
  packages+=(postgresql wrk libxml2-utils clang-14 libclang-rt-14-dev clang-format-14 openssl
    python3-yaml)
fi
missing=()
# npm and node may come from outside Debian (a Node.js install); Debian's are installed only when
# none runs (Debian 12: Node.js 18, which tests/clients/package.json's versions support).
command -v npm >/dev/null || packages+=(npm)
if [ "${1:-}" = "--test" ]; then command -v node >/dev/null || packages+=(nodejs); fi
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install_deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install_deps: run as root or install sudo" >&2; exit 1; }
  sudo=sudo
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
