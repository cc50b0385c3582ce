#!/usr/bin/env bash
# Copies the generated CRDs from crds/ (the single source, written by `aibaseline crds`) into the two
# places that ship them: deploy/crds/ for kustomize, which cannot reference files outside its
# directory, and charts/aibaseline/crds/ for Helm. Run it after regenerating the CRDs; the deploy
# tests fail while the copies differ. `--check` only reports drift and exits 1 when there is some.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
files=(aibaseline.io_aimodeldeployments.yaml aibaseline.io_baselineprofiles.yaml)
targets=(deploy/crds charts/aibaseline/crds)

check=false
if [ "${1:-}" = "--check" ]; then check=true; fi

drift=0
for target in "${targets[@]}"; do
  mkdir -p "$root/$target"
  for file in "${files[@]}"; do
    source="$root/crds/$file"
    if [ ! -f "$source" ]; then
      echo "sync-crds: $source is missing; generate it with: dotnet run --project src/AiBaseline -- crds" >&2
      exit 2
    fi
    if ! cmp -s "$source" "$root/$target/$file"; then
      drift=1
      if $check; then
        echo "sync-crds: $target/$file differs from crds/$file; run deploy/sync-crds.sh" >&2
      else
        cp "$source" "$root/$target/$file"
        echo "sync-crds: updated $target/$file"
      fi
    fi
  done
done
if $check && [ "$drift" -ne 0 ]; then exit 1; fi
