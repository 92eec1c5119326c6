#!/usr/bin/env bash
# Training speed: `datacomp train` (native CPU trainer) against OpenCLIP's own training
# (open_clip_train.main, fp32, CPU), side by side in one run with the same model config, batch
# size, shards and thread budget. Prints samples/second (median over the steps after the first
# two), the ratio against the issue's target and each process's peak RSS.
#
#   bash Benchmarks/train-compare.sh
#   CASES=mini-RN STEPS=20 bash Benchmarks/train-compare.sh
#
# Environment (defaults in brackets):
#   DATACOMP_BIN     our CLI, a release build [.build/release/datacomp]
#   OPENCLIP_PYTHON  Python with torch (CPU), open_clip_train and webdataset 0.2.x
#                    [../evalenv/bin/python, beside the repository]
#   WORK             scratch folder, outside the repository [$TMPDIR/datacomp-train-compare]
#   CASES            mini-RN,mini-ViT (batch 128, target 1.3x) and ViT-B-32 (batch 32, target 1x)
#   STEPS [12]       steps per run
#   THREADS [2]      OMP/MKL threads on the Python side; our --num-workers
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
DATACOMP_BIN="${DATACOMP_BIN:-$ROOT/.build/release/datacomp}"
OPENCLIP_PYTHON="${OPENCLIP_PYTHON:-$ROOT/../evalenv/bin/python}"
WORK="${WORK:-${TMPDIR:-/tmp}/datacomp-train-compare}"
case "$(realpath -m "$WORK")/" in "$ROOT"/*) echo "WORK must be outside the repository" >&2; exit 2;; esac
[ -x "$DATACOMP_BIN" ] || { echo "build the CLI first: swift build -c release --product datacomp" >&2; exit 2; }
[ -x "$OPENCLIP_PYTHON" ] || { echo "no Python with OpenCLIP at $OPENCLIP_PYTHON" >&2; exit 2; }
echo "commit $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cores"
exec "$OPENCLIP_PYTHON" "$HERE/reference/train_speed.py" --datacomp-bin "$DATACOMP_BIN" \
  --openclip-python "$OPENCLIP_PYTHON" --work "$WORK" --steps "${STEPS:-12}" --threads "${THREADS:-2}" \
  --cases "${CASES:-mini-RN,mini-ViT,ViT-B-32}"
