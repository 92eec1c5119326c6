#!/usr/bin/env bash
# Runs the larger randomized parity checks against the Python reference tools (numpy,
# webdataset, Pillow + OpenCLIP). Builds the CLI in release mode first. Pass the reference
# virtualenv as REFENV (default: ./refenv).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${REFENV:-refenv}/bin/python"
swift build -c release --product datacomp
export DATACOMP_CLI="$PWD/.build/release/datacomp"
for script in Scripts/parity/*.py; do
  echo "== $script"
  "$PY" "$script"
done
