#!/usr/bin/env bash
# Copies the generated CRDs from crds/ (the single source, written by `aibaseline crds`) into the two
# places that ship them: deploy/crds/ for kustomize, which cannot reference files outside its
# directory, and charts/aibaseline/crds/ for Helm. Run it after regenerating the CRDs; the deploy
# tests fail while the copies differ. `--check` only reports drift and exits 1 when there is some.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
targets=(deploy/crds charts/aibaseline/crds)
shopt -s nullglob
sources=("$root"/crds/*.yaml)
if [ ${#sources[@]} -eq 0 ]; then
  echo "sync-crds: no CRDs in $root/crds; generate them with: dotnet run --project src/AiBaseline -- crds" >&2
  exit 2
fi

check=false
if [ "${1:-}" = "--check" ]; then check=true; fi

drift=0
for target in "${targets[@]}"; do
  mkdir -p "$root/$target"
  for source in "${sources[@]}"; do
    file=$(basename "$source")
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
  # A CRD removed from crds/ must not linger in a shipped copy.
  for copy in "$root/$target"/*.yaml; do
    if [ ! -f "$root/crds/$(basename "$copy")" ]; then
      drift=1
      if $check; then
        echo "sync-crds: $target/$(basename "$copy") has no source in crds/; run deploy/sync-crds.sh" >&2
      else
        rm "$copy"
        echo "sync-crds: removed $target/$(basename "$copy")"
      fi
    fi
  done
done
if $check && [ "$drift" -ne 0 ]; then exit 1; fi
