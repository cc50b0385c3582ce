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
mkdir -p "$root/artifacts"

# The real-cluster tier: against the cluster of AIBASELINE_E2E_KUBECONFIG when set; else against one control plane
# started here from the envtest-style assets in KUBEBUILDER_ASSETS for the whole run (tests that install and
# uninstall start their own); else those tests are reported as skipped, saying why.
if [ -z "${AIBASELINE_E2E_KUBECONFIG:-}" ] && [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  plane_kubeconfig="$AIBASELINE_TOOLS/control-plane.kubeconfig"
  plane_log="$root/artifacts/control-plane.log"
  rm -f "$plane_kubeconfig"
  pdeathsig=()
  if command -v setpriv >/dev/null 2>&1; then pdeathsig=(setpriv --pdeathsig TERM --); fi   # dies with this script
  "${pdeathsig[@]}" dotnet tests/AiBaseline.ControlPlane/bin/Release/net10.0/AiBaseline.ControlPlane.dll "$plane_kubeconfig" > "$plane_log" 2>&1 &
  plane_pid=$!
  # shellcheck disable=SC2064
  trap "kill -TERM $plane_pid 2>/dev/null; wait $plane_pid 2>/dev/null; tail -n 1 '$plane_log'" EXIT
  for _ in $(seq 1 120); do
    [ -f "$plane_kubeconfig" ] && break
    kill -0 "$plane_pid" 2>/dev/null || { cat "$plane_log" >&2; echo "the control plane from KUBEBUILDER_ASSETS did not start" >&2; exit 1; }
    sleep 1
  done
  [ -f "$plane_kubeconfig" ] || { cat "$plane_log" >&2; echo "the control plane was not ready within 120 s" >&2; exit 1; }
  cat "$plane_log"
  export AIBASELINE_E2E_KUBECONFIG="$plane_kubeconfig"
elif [ -z "${AIBASELINE_E2E_KUBECONFIG:-}" ]; then
  echo "== real-cluster tier: skipped: neither KUBEBUILDER_ASSETS nor AIBASELINE_E2E_KUBECONFIG is set (see README)"
fi

log="$root/artifacts/test-output.txt"
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
