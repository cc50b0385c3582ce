#!/usr/bin/env bash
# Installs the Lua 5.4 interpreter that runs the Argo CD health script in the deploy tests.
# Idempotent: apt is asked only when lua5.4 is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools="${AIBASELINE_TOOLS:-$root/.tools}"
mkdir -p "$tools"

if ! command -v lua5.4 >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq lua5.4 >/dev/null
fi
echo "export AIBASELINE_LUA=\"$(command -v lua5.4)\"" >> "$tools/env.sh"
