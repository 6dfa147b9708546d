#!/usr/bin/env bash
# One idempotent setup for a fresh Debian 12 machine: system packages, pretrained weights, build.
#   scripts/setup.sh            install + fetch weights + build
#   SKIP_BUILD=1 scripts/setup.sh   install + fetch weights only
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp
  libopencv-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libcli11-dev libboost1.81-dev libssl-dev libpugixml-dev
  libgtest-dev libgmock-dev clang-14 libclang-rt-14-dev
  awscli python3-boto3 darknet
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js/npm may come from elsewhere (e.g. NodeSource); Debian's npm only when none is on PATH.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

scripts/fetch-weights.sh

# The web console's pinned packages (Preact, htm, esbuild; puppeteer-core for its browser test),
# exactly as package-lock.json says. Only when the lock file changed since the last install.
if [ ! -f console/node_modules/.package-lock.json ] || [ console/package-lock.json -nt console/node_modules/.package-lock.json ]; then
  (cd console && npm ci --no-audit --no-fund)
fi

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build build -j2
fi
