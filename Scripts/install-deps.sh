#!/usr/bin/env bash
# Installs the Debian packages DataComp for Swift builds against (only those that are missing), or
# the packages given as arguments.
# Usage: bash Scripts/install-deps.sh [PACKAGE ...]
set -euo pipefail
PACKAGES=(pkg-config libopenblas-dev liblapacke-dev libturbojpeg0-dev libwebp-dev zlib1g-dev libjemalloc-dev libsnappy-dev libzstd-dev liblz4-dev libbrotli-dev libfasttext-dev wordnet-base)
[ $# -gt 0 ] && PACKAGES=("$@")
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
