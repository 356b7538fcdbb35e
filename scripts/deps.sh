#!/usr/bin/env bash
# Installs the Debian packages faultline needs that are not installed yet.
#   scripts/deps.sh          build + test lists (`make deps`)
#   scripts/deps.sh build    build list only (`make deps-build`; what the Dockerfile installs)
# The lists are scripts/packages-build.txt and scripts/packages-test.txt: one package a line,
# `#` comments; an optional second word names a command whose presence makes the package
# unnecessary. Runs `apt-get update` once, only when something is missing; prints what it
# installs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "${1:-all}" in
  all) lists=("$here/packages-build.txt" "$here/packages-test.txt") ;;
  build) lists=("$here/packages-build.txt") ;;
  *) echo "usage: scripts/deps.sh [all|build]" >&2; exit 2 ;;
esac
missing=()
for list in "${lists[@]}"; do
  while read -r package command _; do
    if [ -n "$command" ]; then
      command -v "$command" >/dev/null 2>&1 || missing+=("$package")
    elif ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
      missing+=("$package")
    fi
  done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$list")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
