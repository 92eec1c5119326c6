#!/usr/bin/env bash
# Runs the larger randomized parity checks against the Python reference tools (numpy,
# webdataset, safetensors, Pillow + OpenCLIP). Pass the reference virtualenv as REFENV
# (default: ./refenv; see Scripts/refenv-requirements.txt). The checks drive the debug build
# (and its test binary, for the NumPy export check); the preprocessing check also times the
# release CLI against Pillow + torchvision. The baseline and resharder checks run DataComp's own
# code from a checkout named by DATACOMP_DIR (with DCENV / RESHARDER_PYTHON, see their docstrings)
# and compare with the release CLI; without DATACOMP_DIR they say so and skip, or check the
# recorded expectations.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${REFENV:-refenv}/bin/python"
swift build --build-tests
swift build -c release --product datacomp
for script in Scripts/parity/*_parity.py; do
  echo "== $script"
  case "$script" in
    *baselines_parity.py) "${DCENV:-$PY}" "$script" --swift "$PWD/.build/release/datacomp" ;;
    *resharder_parity.py) "$PY" "$script" --swift "$PWD/.build/release/datacomp" ;;
    *) "$PY" "$script" ;;
  esac
done
