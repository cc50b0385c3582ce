#!/usr/bin/env bash
# Installs what the provenance tests need to run a real OCI registry on loopback and sign images:
# Debian's docker-registry, openssl (test CA), apache2-utils (htpasswd),
# and cosign, which only trixie ships: its .deb is fetched through a private apt state directory and
# unpacked into $AIBASELINE_TOOLS (nothing from trixie is installed system-wide).
# Idempotent: each part is skipped when already present. Appends exports to $AIBASELINE_TOOLS/env.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tools=${AIBASELINE_TOOLS:-$root/.tools}
mkdir -p "$tools"
export DEBIAN_FRONTEND=noninteractive

need=()
for pair in docker-registry:docker-registry openssl:openssl curl:curl htpasswd:apache2-utils; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  # policy-rc.d keeps the package from starting its own registry service on :5000 where systemd exists.
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cosign=$tools/cosign/usr/bin/cosign
if [ ! -x "$cosign" ]; then
  t=$tools/trixie-apt
  mkdir -p "$t/lists/partial" "$t/cache/archives/partial" "$t/debs"
  echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main' > "$t/sources.list"
  opts=(-o Dir::Etc::SourceList="$t/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o Dir::State::Lists="$t/lists" -o Dir::Cache="$t/cache"
        -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false
        -o Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false
        -o Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false
        -o Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled=false)
  apt-get "${opts[@]}" update -qq
  chmod 777 "$t/debs"   # the _apt sandbox user writes the download here
  (cd "$t/debs" && apt-get "${opts[@]}" download -qq cosign)
  dpkg-deb -x "$(ls "$t"/debs/cosign_*.deb | head -n 1)" "$tools/cosign"
fi
"$cosign" version >/dev/null 2>&1 || { echo "cosign at $cosign does not run" >&2; exit 1; }

{
  echo "export AIBASELINE_COSIGN=$cosign"
  echo "export AIBASELINE_DOCKER_REGISTRY=$(command -v docker-registry)"
  echo "export AIBASELINE_HTPASSWD=$(command -v htpasswd)"
  echo "export AIBASELINE_OPENSSL=$(command -v openssl)"
} >> "$tools/env.sh"
