#!/usr/bin/env bash
# Checks the layering rules of docs/PublicAPI.md on the source tree (run by the test command):
#   1. only files under an `Internal/` folder import a C module (the package's C* system-library
#      targets, the C library Glibc/Darwin/Musl, compiler intrinsics);
#   2. only DataCompKernels imports COpenBLAS;
#   3. Parquet is self-contained: Sources/DataCompCore/Parquet names no Pool, Image or other
#      DataComp-specific type, so that it can become a target of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
c_imports='^[[:space:]]*((internal|private|package|public|@_implementationOnly)[[:space:]]+)?import[[:space:]]+(C[A-Z][A-Za-z0-9]*|Glibc|Darwin|Musl|_Builtin_intrinsics[.A-Za-z]*)\b'
while IFS= read -r file; do
  case "$file" in
    */Internal/*) ;;
    *) echo "layout: $file imports a C module outside an Internal/ folder: $(grep -E -m1 "$c_imports" "$file")"; status=1 ;;
  esac
done < <(grep -rlE "$c_imports" Sources Examples --include='*.swift' --exclude-dir=.build || true)
while IFS= read -r file; do
  case "$file" in
    Sources/DataCompKernels/*) ;;
    *) echo "layout: $file imports COpenBLAS; only DataCompKernels may"; status=1 ;;
  esac
done < <(grep -rlE '^[[:space:]]*((internal|private|package|public)[[:space:]]+)?import[[:space:]]+COpenBLAS\b' Sources Examples Tests --include='*.swift' --exclude-dir=.build || true)
if grep -rnE '\b(Pool[A-Z][A-Za-z]*|CandidatePool|SampleID|Subset[A-Za-z]*|Image[A-Za-z]*|Tensor|WebDataset[A-Za-z]*|CLIPTokenizer)\b' Sources/DataCompCore/Parquet --include='*.swift'; then
  echo "layout: Parquet/ must not name Pool, Image or other DataComp types (lines above)"; status=1
fi
[ "$status" -eq 0 ] && echo "layout rules hold: C modules only in Internal/, COpenBLAS only in DataCompKernels, Parquet self-contained"
exit "$status"
