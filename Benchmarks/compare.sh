#!/usr/bin/env bash
# Runs the Swift benchmarks (package-benchmark) and the Python reference for the same work on the
# same inputs in one run, and prints items per second for both and the ratio.
#
# Usage: REFENV=/path/to/venv bash Benchmarks/compare.sh
# The virtualenv needs numpy, pandas, pyarrow, Pillow, torch, torchvision, open_clip and webdataset (see
# Scripts/refenv-requirements.txt). Both sides run on one core.
set -euo pipefail
cd "$(dirname "$0")"
PY="${REFENV:-../refenv}/bin/python"
DATA="${DATACOMP_BENCH_DATA:-$PWD/.build/bench-data}"
mkdir -p "$DATA"
{ [ -f "$DATA/shard.tar" ] && [ -f "$DATA/captions.txt" ]; } || "$PY" reference/make_data.py "$DATA"
export DATACOMP_BENCH_DATA="$DATA"
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

echo "== Python reference (one core)"
taskset -c 0 "$PY" reference/bench.py "$DATA" 2>/dev/null | tail -n 1 > "$DATA/python.json"
cat "$DATA/python.json"

echo "== Swift (package-benchmark, one core)"
# SwiftPM caches the source list of the path dependency (..); drop it so added or removed files
# in the SDK are seen.
rm -f .build/release/description.json
rm -rf "$DATA/swift"
taskset -c 0 swift package --disable-sandbox benchmark --target CoreBenchmarks --format jmh --path "$DATA/swift" >/dev/null
python3 - "$DATA/python.json" "$DATA/swift" <<'PY'
import glob, json, re, sys
python = json.load(open(sys.argv[1]))
scale = {"ns": 1e-9, "μs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
swift = {}
for path in glob.glob(sys.argv[2] + "/*.json"):
    for entry in json.load(open(path)):
        name = entry["benchmark"].split(".", 3)[-1].replace("_", " ")
        m = re.search(r" \((\d+) (?:images|uids|samples|rows|captions)\)$", name)
        per_iteration = int(m.group(1)) if m else 1
        base = name[: m.start()] if m else name
        wall = entry["secondaryMetrics"]["Time (wall clock)"]
        seconds = wall["scorePercentiles"]["50.0"] * scale[wall["scoreUnit"]]  # median wall-clock time of one iteration
        swift[base] = per_iteration / seconds
print(f"{'benchmark':40} {'Python items/s':>16} {'Swift items/s':>16} {'ratio':>8}")
for name, py_rate in python.items():
    sw = swift.get(name)
    if sw is None:
        print(f"{name:40} {py_rate:16.1f} {'missing':>16}"); continue
    print(f"{name:40} {py_rate:16.1f} {sw:16.1f} {sw / py_rate:7.2f}x")
PY
