#!/usr/bin/env bash
# Installs Debian's chromium, which the report tests use to render the HTML report headless and assert on the
# rendered DOM and a screenshot. Idempotent: skipped when chromium is already installed. Appends its export to
# $AIBASELINE_TOOLS/env.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools=${AIBASELINE_TOOLS:-$root/.tools}
mkdir -p "$tools"
export DEBIAN_FRONTEND=noninteractive

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
chromium=$(command -v chromium)
"$chromium" --version >/dev/null 2>&1 || { echo "chromium at $chromium does not run" >&2; exit 1; }

echo "export AIBASELINE_CHROMIUM=$chromium" >> "$tools/env.sh"
