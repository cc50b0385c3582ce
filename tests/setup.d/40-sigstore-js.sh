#!/usr/bin/env bash
# Installs sigstore-js (@sigstore/verify and the packages it reads bundles and trusted roots with) from npm,
# the reference verifier of the Sigstore differential tests. Idempotent: npm is asked only when the pinned
# version is missing. Needs node and npm; without them the differential tests skip and say why.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools="${AIBASELINE_TOOLS:-$root/.tools}"
target="$tools/sigstore-js"
mkdir -p "$target"

if ! command -v npm >/dev/null 2>&1; then
  echo "40-sigstore-js: npm is not installed; the sigstore-js differential tests will skip" >&2
  exit 0
fi

if [ ! -f "$target/node_modules/@sigstore/verify/package.json" ] \
  || ! grep -q '"version": "4.1.3"' "$target/node_modules/@sigstore/verify/package.json"; then
  npm install --silent --no-audit --no-fund --prefix "$target" \
    @sigstore/verify@4.1.3 @sigstore/bundle@5.0.1 @sigstore/core@4.0.1 @sigstore/protobuf-specs@0.5.2 >/dev/null
fi
echo "export AIBASELINE_SIGSTORE_JS=\"$target\"" >> "$tools/env.sh"
