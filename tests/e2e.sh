#!/usr/bin/env bash
# Runs the operator scenarios (tests/AiBaseline.Operator.Tests/Scenarios) against a real cluster: the current
# context of $AIBASELINE_E2E_KUBECONFIG, else $KUBECONFIG, else ~/.kube/config. Each scenario works in its own
# namespace (aib-e2e-<random>) with its own BaselineProfile and deletes both afterwards; the CRDs from crds/ are
# server-side applied and left installed. A cluster where aibaseline itself runs is refused.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

kubeconfig="${AIBASELINE_E2E_KUBECONFIG:-${KUBECONFIG:-$HOME/.kube/config}}"
kubeconfig="${kubeconfig%%:*}"   # the first file of a KUBECONFIG list
if [ ! -f "$kubeconfig" ]; then
  echo "e2e: no kubeconfig at $kubeconfig; set AIBASELINE_E2E_KUBECONFIG" >&2
  exit 2
fi
export AIBASELINE_E2E_KUBECONFIG="$kubeconfig"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export AIBASELINE_TOOLS="${AIBASELINE_TOOLS:-$root/.tools}"
mkdir -p "$AIBASELINE_TOOLS"
touch "$AIBASELINE_TOOLS/env.sh"
grep -q AIBASELINE_KUBECTL "$AIBASELINE_TOOLS/env.sh" || bash tests/setup.d/30-helm.sh   # kubectl, for printer columns
# shellcheck disable=SC1091
source "$AIBASELINE_TOOLS/env.sh"

echo "e2e: $(grep -m1 'current-context' "$kubeconfig" || echo 'current-context: (none)') in $kubeconfig"
start=$(date +%s)
dotnet build tests/AiBaseline.Operator.Tests -c Release -warnaserror -nologo -v quiet
set +e
dotnet test --project tests/AiBaseline.Operator.Tests -c Release --no-build -- --filter-class '*.RealClusterScenarios' "$@"
status=$?
set -e
echo "e2e: finished in $(( $(date +%s) - start )) s"
exit $status
