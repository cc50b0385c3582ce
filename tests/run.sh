#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need (tests/setup.d/*.sh,
# each idempotent), builds once, runs every test project, and prints one closing line
# "N passed, N failed, N skipped". Exit status is non-zero when anything failed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Tools the setup scripts install live here; each script appends its exports to env.sh.
export AIBASELINE_TOOLS="${AIBASELINE_TOOLS:-$root/.tools}"
mkdir -p "$AIBASELINE_TOOLS"
: > "$AIBASELINE_TOOLS/env.sh"
for step in tests/setup.d/*.sh; do
  [ -e "$step" ] || continue
  echo "== setup: $step"
  bash "$step"
done
# shellcheck disable=SC1091
source "$AIBASELINE_TOOLS/env.sh"

dotnet build aibaseline.slnx -c Release -warnaserror -nologo -v quiet
log="$root/artifacts/test-output.txt"
mkdir -p "$root/artifacts"
set +e
dotnet test --solution aibaseline.slnx -c Release --no-build "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# The runner's own summary block: "total: N", "failed: N", "succeeded: N", "skipped: N".
count() { sed -n "s/^ *$1: *\([0-9][0-9]*\)$/\1/p" "$log" | tail -n 1; }
passed=$(count succeeded); failed=$(count failed); skipped=$(count skipped)
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
if [ "$status" -ne 0 ] || [ "${failed:-0}" -ne 0 ]; then exit 1; fi
if [ "${passed:-0}" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
