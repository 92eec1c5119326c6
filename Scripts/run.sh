#!/usr/bin/env bash
# The main job: installs what the build needs, builds the `datacomp` tool in release mode and runs
# the foundation's end-to-end demo (synthetic pool -> webdataset shards -> DataComp subset file ->
# resharded subset -> OpenCLIP-preprocessed batch -> duplicate search). Extra arguments go to
# `datacomp demo` (for example --samples 1000 --output /tmp/demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-deps.sh
swift build -c release --product datacomp
.build/release/datacomp demo "$@"
