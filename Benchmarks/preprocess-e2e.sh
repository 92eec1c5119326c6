#!/usr/bin/env bash
# End-to-end preprocessing, both sides on one core: `datacomp preprocess` (the whole process:
# start-up, decoding, OpenCLIP's evaluation transform, writing the [N, 3, 224, 224] .npy) against
# a Python process doing the same (Pillow open, OpenCLIP preprocess, torch.stack, np.save),
# timed after its imports (and, for reference, with them). RUNS runs each (default 5); medians.
# Usage: REFENV=/path/to/venv bash Benchmarks/preprocess-e2e.sh [RUNS]
# (DATACOMP=/path/to/datacomp and WORKERS_FLAG="" measure another build, for example an older one
# without --workers.)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${REFENV:-refenv}/bin/python"
RUNS="${1:-5}"
DATA="${DATACOMP_BENCH_DATA:-$PWD/Benchmarks/.build/bench-data}"
[ -d "$DATA/jpeg" ] || "$PY" Benchmarks/reference/make_data.py "$DATA"
DATACOMP="${DATACOMP:-.build/release/datacomp}"
WORKERS_FLAG="${WORKERS_FLAG---workers 1}"
[ "$DATACOMP" = ".build/release/datacomp" ] && swift build -c release --product datacomp > /dev/null
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
images=("$DATA"/jpeg/*.jpg)
args=()
for image in "${images[@]}"; do args+=(--image "$image"); done
# Outputs go to a tmpfs when there is one (OUT_DIR overrides), so that disk writeback of the
# 120 MB arrays does not decide the race for either side.
OUT="$(mktemp -d -p "${OUT_DIR:-$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp)}")"
trap 'rm -rf "$OUT"' EXIT
swift_times=() python_work=() python_total=()
for run in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  taskset -c 0 "$DATACOMP" preprocess "${args[@]}" $WORKERS_FLAG --output "$OUT/swift.npy"
  end=$(date +%s.%N)
  swift_times+=("$(echo "$end - $start" | bc -l)")
  start=$(date +%s.%N)
  line=$(taskset -c 0 "$PY" Benchmarks/reference/preprocess_e2e.py "$OUT/python.npy" "${images[@]}" 2>/dev/null | tail -n 1)
  end=$(date +%s.%N)
  python_work+=("$(echo "$line" | sed -nE 's/.*"work_seconds": ([0-9.e-]+).*/\1/p')")
  python_total+=("$(echo "$end - $start" | bc -l)")
done
"$PY" - "$OUT/swift.npy" "$OUT/python.npy" "${#images[@]}" "${swift_times[*]}" "${python_work[*]}" "${python_total[*]}" <<'PY'
import statistics, sys
import numpy as np
a, b = np.load(sys.argv[1]), np.load(sys.argv[2])
n = int(sys.argv[3])
swift, work, total = ([float(x) for x in arg.split()] for arg in sys.argv[4:7])
print("outputs: shape %s, max |swift - python| = %g" % (a.shape, float(np.abs(a - b).max())))
s, w, t = statistics.median(swift), statistics.median(work), statistics.median(total)
print("%d images, one core, median of %d runs" % (n, len(swift)))
print("  datacomp preprocess, whole process: %.3f s (%.0f images/s)" % (s, n / s))
print("  Python, work after imports:         %.3f s (%.0f images/s)  ratio %.2fx" % (w, n / w, w / s))
print("  Python, whole process:              %.3f s (%.0f images/s)  ratio %.2fx" % (t, n / t, t / s))
PY
