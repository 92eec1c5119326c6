#!/usr/bin/env bash
# Filters, resharding and k-means: our `datacomp` CLI against DataComp's Python tools, side by side
# in one run, whole-process wall clock as a user runs them, the same number of worker processes /
# threads on both sides (WORKERS, default 2). Prints a table with both times, the ratio and the
# target, and the peak-memory result of a fraction filter on a 10M-row pool.
#
#   bash Benchmarks/filters-compare.sh [filters,reshard,kmeans,memory]
#
# Environment (defaults in brackets):
#   DATACOMP_BIN      our CLI, a release build [.build/release/datacomp, copied to $WORK/datacomp
#                     first so that a rebuild during the run cannot change it]
#   DATACOMP_DIR      a checkout of mlfoundations/datacomp [/tmp/datacomp]
#   DCENV_PYTHON      Python for baselines.py: fastText 0.9.2 binding, numpy<2, pandas<2.2, pyarrow<16,
#                     nltk 3.8.1, torch CPU (see Scripts/parity/baselines_parity.py) [/work/dcenv/bin/python]
#   RESHARDER_PYTHON  Python 3.10 with DataComp's pins for resharder.py [/work/reshenv/bin/python]
#   REFENV_PYTHON     Python with faiss-cpu, numpy and pyarrow (pool generation, faiss) [/work/refenv/bin/python]
#   BENCH_DATA        folder for the generated inputs, never inside the repository [/work/scratch/bench-data]
#   WORK              scratch folder for outputs [/work/scratch/filters-compare]
#   RESHARD_POOL      img2dataset-style pool with shards/ and subset.npy, made by
#                     Scripts/parity/resharder_parity.py --make-pool [/work/scratch/resharder/pool;
#                     made under $BENCH_DATA/reshard-pool when missing]
#   WORKERS [2]  REPEATS [2]  KMEANS_K [1000]
#   FILTERS           only these baselines in the filters section (clip_score,basic_filter,text_based) [all]
#   IDLE_CORES [0.3], MAX_WAIT [600]: before each timed run, wait up to MAX_WAIT s until less than
#                     IDLE_CORES of CPU is busy (the table reports the CPU others used during each run)
#   FASTTEXT_LID [~/.cache/datacomp/lid.176.ftz]
#   IMAGENET21K_IDS [~/.cache/datacomp/imagenet21k_goog_synsets.txt]
#
# Inputs (made once by reference/make_pool.py when missing; about 3 GB, plus the 2.4 GB reshard pool):
#   filters-2m   20 files x 100,000 rows, DataComp's nine columns, realistic multilingual captions
#   text-200k     4 files x  50,000 rows (text_based: DataComp's is slow)
#   kmeans-200k   4 files x  50,000 rows with .npz features (l14_img 200,000 x 768 float16)
#   mem-10m      20 files x 500,000 rows, short captions (clip_score timing and peak memory)
#   mem-base     20 files x   5,000 rows, short captions (the base of the peak-memory measurement)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SECTIONS="${1:-filters,reshard,kmeans,memory}"
DATACOMP_DIR="${DATACOMP_DIR:-/tmp/datacomp}"
DCENV_PYTHON="${DCENV_PYTHON:-/work/dcenv/bin/python}"
RESHARDER_PYTHON="${RESHARDER_PYTHON:-/work/reshenv/bin/python}"
REFENV_PYTHON="${REFENV_PYTHON:-/work/refenv/bin/python}"
BENCH_DATA="${BENCH_DATA:-/work/scratch/bench-data}"
WORK="${WORK:-/work/scratch/filters-compare}"
RESHARD_POOL="${RESHARD_POOL:-/work/scratch/resharder/pool}"
WORKERS="${WORKERS:-2}"
REPEATS="${REPEATS:-2}"
KMEANS_K="${KMEANS_K:-1000}"
FASTTEXT_LID="${FASTTEXT_LID:-$HOME/.cache/datacomp/lid.176.ftz}"
IMAGENET21K_IDS="${IMAGENET21K_IDS:-$HOME/.cache/datacomp/imagenet21k_goog_synsets.txt}"

case "$(realpath -m "$BENCH_DATA")/" in "$ROOT"/*) echo "BENCH_DATA must be outside the repository" >&2; exit 2;; esac
case "$(realpath -m "$WORK")/" in "$ROOT"/*) echo "WORK must be outside the repository" >&2; exit 2;; esac

for tool in "$DCENV_PYTHON" "$RESHARDER_PYTHON" "$REFENV_PYTHON" /usr/bin/time; do
  [ -x "$tool" ] || { echo "missing $tool (see the header of this script)" >&2; exit 2; }
done
[ -f "$DATACOMP_DIR/baselines.py" ] || { echo "no DataComp checkout at $DATACOMP_DIR" >&2; exit 2; }
for asset in "$FASTTEXT_LID" "$IMAGENET21K_IDS"; do
  [ -f "$asset" ] || { echo "missing asset $asset" >&2; exit 2; }
done

mkdir -p "$WORK" "$BENCH_DATA"
if [ -z "${DATACOMP_BIN:-}" ]; then
  [ -x "$ROOT/.build/release/datacomp" ] || { echo "build the CLI first: swift build -c release --product datacomp" >&2; exit 2; }
  cp "$ROOT/.build/release/datacomp" "$WORK/datacomp"
  DATACOMP_BIN="$WORK/datacomp"
fi

make_pool() {  # name files rows-per-file seed [extra make_pool.py flags]
  local name="$1" files="$2" rows="$3" seed="$4"; shift 4
  if [ "$(find "$BENCH_DATA/$name" -maxdepth 1 -name '*.parquet' 2>/dev/null | wc -l)" -ne "$files" ]; then
    rm -rf "$BENCH_DATA/$name"
    "$REFENV_PYTHON" "$HERE/reference/make_pool.py" --out "$BENCH_DATA/$name" --files "$files" \
      --rows-per-file "$rows" --seed "$seed" "$@" | tail -1
  fi
}
case ",$SECTIONS," in *,filters,*) make_pool filters-2m 20 100000 1; make_pool text-200k 4 50000 2;; esac
case ",$SECTIONS," in *,kmeans,*) make_pool kmeans-200k 4 50000 3 --npz;; esac
case ",$SECTIONS," in *,filters,*|*,memory,*) make_pool mem-10m 20 500000 4 --captions short
                                   make_pool mem-base 20 5000 5 --captions short;; esac
case ",$SECTIONS," in *,reshard,*)
  if [ ! -f "$RESHARD_POOL/subset.npy" ]; then
    RESHARD_POOL="$BENCH_DATA/reshard-pool"
    [ -f "$RESHARD_POOL/subset.npy" ] || "$REFENV_PYTHON" "$ROOT/Scripts/parity/resharder_parity.py" --make-pool "$RESHARD_POOL"
  fi;;
esac

# DataComp's baselines.py runs unmodified; the substitutions this machine needs (local assets,
# gcld3 stand-in, Debian's WordNet for NLTK) come from Scripts/parity/baselines_parity.py.
"$DCENV_PYTHON" "$HERE/reference/baselines_env.py" --scratch "$WORK/dcscratch" --datacomp "$DATACOMP_DIR" \
  --python "$DCENV_PYTHON" --fasttext "$FASTTEXT_LID" --imagenet21k-ids "$IMAGENET21K_IDS" >/dev/null

exec python3 "$HERE/reference/filters_compare.py" --sections "$SECTIONS" \
  --datacomp-bin "$DATACOMP_BIN" --datacomp-dir "$DATACOMP_DIR" --dcenv-python "$DCENV_PYTHON" \
  --resharder-python "$RESHARDER_PYTHON" --refenv-python "$REFENV_PYTHON" --dcscratch "$WORK/dcscratch" \
  --work "$WORK" --filters-pool "$BENCH_DATA/filters-2m" --text-pool "$BENCH_DATA/text-200k" \
  --kmeans-pool "$BENCH_DATA/kmeans-200k" --memory-pool "$BENCH_DATA/mem-10m" \
  --memory-base "$BENCH_DATA/mem-base" --reshard-pool "$RESHARD_POOL" --kmeans-k "$KMEANS_K" \
  --filters "${FILTERS:-}" --workers "$WORKERS" --repeats "$REPEATS" --fasttext "$FASTTEXT_LID" --imagenet21k-ids "$IMAGENET21K_IDS" \
  --idle-cores "${IDLE_CORES:-0.3}" --max-wait "${MAX_WAIT:-600}" --json "$WORK/results.json"
