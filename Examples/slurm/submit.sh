#!/usr/bin/env bash
# Submits a distributed `datacomp filter` run to SLURM: an array of N shares, then the merge once
# every share has succeeded. Prints the two job ids.
#
#   bash Examples/slurm/submit.sh 16 parts/ subsets/clip_l14_30.npy \
#       --name clip_score --metadata-dir /data/metadata --arch l14 --fraction 0.3
#
# Extra sbatch options (partition, account, time) go in $SBATCH_OPTIONS.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
N="$1" PARTS="$2" OUT="$3"
shift 3
mkdir -p "$PARTS" "$(dirname "$OUT")"
# shellcheck disable=SC2086
ARRAY=$(sbatch --parsable ${SBATCH_OPTIONS:-} --array=0-$((N - 1)) --output="$PARTS/slurm-%A_%a.out" \
  "$HERE/filter-share.sbatch" "$PARTS" "$@")
# shellcheck disable=SC2086
MERGE=$(sbatch --parsable ${SBATCH_OPTIONS:-} --dependency=afterok:"$ARRAY" --output="$PARTS/slurm-merge-%j.out" \
  "$HERE/merge.sbatch" "$PARTS" "$OUT")
echo "$ARRAY $MERGE"
