#!/usr/bin/env bash
# Zero-shot classification speed: `datacomp evaluate` against DataComp's own evaluation code
# (eval_utils.wds_eval.evaluate_webdataset with OpenCLIP + clip_benchmark), side by side in one run,
# whole-process wall clock as a user runs them, the same model (ViT-B-32, OpenCLIP's random init,
# safetensors) and the same eval set on both sides. Prints images/second, the ratio and whether the
# metrics agree.
#
#   bash Benchmarks/eval-compare.sh
#   REPEATS=3 PYTHON_WORKERS=2,4 bash Benchmarks/eval-compare.sh
#
# Environment (defaults in brackets):
#   DATACOMP_BIN    our CLI, a release build [.build/release/datacomp, copied to $WORK/datacomp first
#                   so that a rebuild during the run cannot change it; the table names the commit of
#                   the working tree, or BINARY_COMMIT when set]
#   DATACOMP_DIR    a checkout of mlfoundations/datacomp [/tmp/datacomp]; when it is an exported tree
#                   (git archive) rather than a checkout, DATACOMP_COMMIT names its commit in the table
#                   [the HEAD of /work/.mirror/mlfoundations+datacomp/repo if present]
#   EVAL_PYTHON     Python with DataComp's eval dependencies: torch (CPU), open_clip, clip_benchmark
#                   1.4.0, webdataset 0.2.31, scikit-learn [/work/evalenv/bin/python]
#   BENCH_DATA      generated inputs, never inside the repository [/work/scratch/bench-data/eval]
#   WORK            scratch folder for outputs [/work/scratch/eval-compare]
#   IMAGES [2000]   eval-set size when BENCH_DATA is made
#   WORKERS [2]     our --num-workers, and the Python side's DataLoader workers for the target
#   THREADS [2]     torch.set_num_threads on the Python side (ours: the CLI's own choice with
#                   --num-workers WORKERS)
#   PYTHON_WORKERS  DataLoader worker counts to time on the Python side [$WORKERS; "2,4" also times
#                   DataComp's default of 4; the target ratio is against the WORKERS one]
#   REPEATS [2]     runs per side (alternating)
#   IDLE_CORES [0.3], MAX_WAIT [600]: before each timed run, wait up to MAX_WAIT s until less than
#                   IDLE_CORES of CPU is busy (the table reports the CPU others used during each run)
#
# Inputs (made once by reference/eval_speed.py make-data when BENCH_DATA/manifest.json is missing;
# about 0.7 GB): ViT-B-32.json (OpenCLIP's config file), vit-b-32-random.safetensors
# (torch.manual_seed(0); open_clip.create_model("ViT-B-32")), evalsets/wds_cifar10_test (4 shards,
# IMAGES photo-like JPEGs of 200-640 px, CIFAR-10's 10 class names, CLIP's 18 templates).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
DATACOMP_DIR="${DATACOMP_DIR:-/tmp/datacomp}"
EVAL_PYTHON="${EVAL_PYTHON:-/work/evalenv/bin/python}"
BENCH_DATA="${BENCH_DATA:-/work/scratch/bench-data/eval}"
WORK="${WORK:-/work/scratch/eval-compare}"
IMAGES="${IMAGES:-2000}"
WORKERS="${WORKERS:-2}"
THREADS="${THREADS:-2}"
PYTHON_WORKERS="${PYTHON_WORKERS:-$WORKERS}"
REPEATS="${REPEATS:-2}"

case "$(realpath -m "$BENCH_DATA")/" in "$ROOT"/*) echo "BENCH_DATA must be outside the repository" >&2; exit 2;; esac
case "$(realpath -m "$WORK")/" in "$ROOT"/*) echo "WORK must be outside the repository" >&2; exit 2;; esac
for tool in "$EVAL_PYTHON" /usr/bin/time; do
  [ -x "$tool" ] || { echo "missing $tool (see the header of this script)" >&2; exit 2; }
done
[ -f "$DATACOMP_DIR/eval_utils/wds_eval.py" ] || { echo "no DataComp checkout at $DATACOMP_DIR" >&2; exit 2; }

mkdir -p "$WORK" "$BENCH_DATA"
BINARY_COMMIT="${BINARY_COMMIT:-}"
if [ -z "${DATACOMP_BIN:-}" ]; then
  [ -x "$ROOT/.build/release/datacomp" ] || { echo "build the CLI first: swift build -c release --product datacomp" >&2; exit 2; }
  cp "$ROOT/.build/release/datacomp" "$WORK/datacomp"
  DATACOMP_BIN="$WORK/datacomp"
  if [ -z "$BINARY_COMMIT" ]; then  # the commit the working tree is at, marked when it has uncommitted changes
    BINARY_COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || true)"
    if [ -n "$BINARY_COMMIT" ] && [ -n "$(git -C "$ROOT" status --porcelain -- Sources Package.swift 2>/dev/null)" ]; then
      BINARY_COMMIT="$BINARY_COMMIT + uncommitted changes"
    fi
  fi
fi
DATACOMP_COMMIT="${DATACOMP_COMMIT:-$(git -C /work/.mirror/mlfoundations+datacomp/repo rev-parse --short HEAD 2>/dev/null || true)}"
"$DATACOMP_BIN" evaluate --help >/dev/null 2>&1 || { echo "$DATACOMP_BIN has no evaluate command" >&2; exit 2; }

if [ ! -f "$BENCH_DATA/manifest.json" ]; then
  echo "making $BENCH_DATA ($IMAGES images, ViT-B-32 random init)"
  "$EVAL_PYTHON" "$HERE/reference/eval_speed.py" make-data --out "$BENCH_DATA" --images "$IMAGES" | tail -1
fi

exec python3 "$HERE/reference/eval_speed.py" compare --datacomp-bin "$DATACOMP_BIN" --binary-commit "$BINARY_COMMIT" \
  --datacomp-commit "$DATACOMP_COMMIT" \
  --python "$EVAL_PYTHON" --datacomp-dir "$DATACOMP_DIR" --bench-data "$BENCH_DATA" --work "$WORK" \
  --workers "$WORKERS" --threads "$THREADS" --python-workers "$PYTHON_WORKERS" --repeats "$REPEATS" \
  --idle-cores "${IDLE_CORES:-0.3}" --max-wait "${MAX_WAIT:-600}" --json "$WORK/results.json"
