#!/usr/bin/env bash
# Installs the Debian packages faultline needs that are not installed yet.
# Runs `apt-get update` once, only when something is missing; prints what it installs.
set -euo pipefail
packages=(
  g++ cmake ninja-build ccache make pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcli11-dev catch2 libyaml-cpp-dev libssl-dev zlib1g-dev libfmt-dev
  openssl ca-certificates
  # chromium: the release-pass test (label timing) loads the --html report in headless
  # Chromium to check that its inline SVG charts and fault bands render; also makes
  # docs/report-screenshot.png.
  chromium
)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
# Node and npm run the interop tests; a machine may carry them from another source
# (npm bundled with nodejs), so only ask Debian for them when the commands are absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
