#!/usr/bin/env bash
# Regenerates every golden fixture under Tests/Fixtures with the Python
# reference tools. Needs a virtualenv with numpy, webdataset, Pillow, safetensors, torch and
# open_clip (see Scripts/refenv-requirements.txt); pass it as REFENV (default: ./refenv).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${REFENV:-refenv}/bin/python"
for script in Scripts/fixtures/*_fixtures.py; do
  echo "== $script"
  "$PY" "$script"
done
