#!/usr/bin/env bash
# The test command: installs what the build needs, checks the documentation, then runs the whole
# Swift test suite. Tests run in release mode (with testing enabled) because the image and
# corruption tests push millions of pixels and thousands of files through the decoders.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-deps.sh
# Documentation is part of the product: every public symbol documented, no DocC warnings.
bash Scripts/docs.sh
swift build -c release --product datacomp
swift test -c release -Xswiftc -enable-testing "$@"
