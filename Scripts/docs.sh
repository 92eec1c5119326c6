#!/usr/bin/env bash
# Builds the DocC documentation of every library target and fails on any warning.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATACOMP_DOCS=1
mkdir -p .build/docs
for target in DataCompCore DataCompFilters DataCompTraining DataCompEval DataComp; do
  echo "== $target"
  swift package --disable-sandbox generate-documentation --target "$target" --warnings-as-errors \
    --output-path ".build/docs/$target" > ".build/docs/$target.log" || { grep -E "^(error|warning)" ".build/docs/$target.log"; exit 1; }
done
echo "documentation built without warnings: .build/docs"
