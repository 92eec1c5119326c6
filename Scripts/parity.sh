#!/usr/bin/env bash
# Runs the larger randomized parity checks against the Python reference tools (numpy,
# webdataset, safetensors, Pillow + OpenCLIP). Pass the reference virtualenv as REFENV
# (default: ./refenv; see Scripts/refenv-requirements.txt). The checks drive the debug build
# (and its test binary, for the NumPy export check); the preprocessing check also times the
# release CLI against Pillow + torchvision.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${REFENV:-refenv}/bin/python"
swift build --build-tests
swift build -c release --product datacomp
for script in Scripts/parity/*_parity.py; do
  echo "== $script"
  "$PY" "$script"
done
