#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser, outside CI: builds the libFuzzer targets of Fuzz/
# (DATACOMP_FUZZ=1, -sanitize=fuzzer,address, linked with lld), seeds each corpus from the
# committed fixtures plus hand-built extreme PNGs, runs the targets one after another for
# SECONDS each (default 240) and prints executions, coverage and findings per target.
# Usage: bash Scripts/fuzz.sh [SECONDS] [TARGET ...]
# Corpora grow in .build-fuzz/corpus/<target>; crashing inputs go to .build-fuzz/findings/<target>
# (a target stops at its first finding; the table counts only the findings of this run).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-240}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(npy npz subset tar safetensors parquet image png tokenizer json torch)
BUILD=.build-fuzz
FIX=Tests/Fixtures
export DATACOMP_FUZZ=1
swift build -c release --scratch-path "$BUILD" -Xswiftc -sanitize=fuzzer,address \
  -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld 2>&1 | grep -E "error|Compiling|Build complete" | grep -v "^\[" || true
for name in "${TARGETS[@]}"; do [ -x "$BUILD/release/fuzz-$name" ] || { echo "fuzz-$name was not built"; exit 1; }; done

seed() {  # seed TARGET FILES...
  local corpus="$BUILD/corpus/$1"; shift
  mkdir -p "$corpus"
  for file in "$@"; do [ -f "$file" ] && cp "$file" "$corpus/seed-$(basename "$file")"; done
}
seed npy $FIX/numpy/*.npy
seed npz $FIX/numpy/*.npz $FIX/pool/metadata/*.npz $FIX/pool/mismatch/*.npz
seed subset $FIX/numpy/subset*.npy
seed tar $FIX/webdataset/*.tar $FIX/webdataset-gaps/*
seed safetensors $FIX/safetensors/*.safetensors
seed parquet $FIX/parquet/*.parquet $FIX/parquet-gaps/*.parquet $FIX/pool/metadata/*.parquet $FIX/pool/extra/*.parquet
seed image $FIX/images/*.jpg $FIX/images/*.png $FIX/images/*.webp $FIX/images-gaps/*.jpg $FIX/images-gaps/*.webp $FIX/images-gaps/*.mpo $FIX/images-gaps/*.apng
seed png $FIX/images/*.png $FIX/images-gaps/*.png $FIX/images-gaps/*.apng
seed torch $FIX/torch/*.pt
seed json $FIX/pool/expected_columns.json $FIX/webdataset/writer_inputs.json $FIX/images-gaps/expected.json $FIX/parquet/manifest.json
# Hand-built PNGs the mutator would not reach through the CRCs on its own: extreme strips and
# squares at every bit depth and colour type, interlaced, with palettes.
python3 - "$BUILD/corpus/png" <<'PY'
import os, struct, sys, zlib
out = sys.argv[1]
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
def png(width, height, depth, colour, interlace=0, palette=None):
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour]
    row = b"\x00" + bytes((width * channels * depth + 7) // 8)
    raw = row * (height if interlace == 0 else height * 2)
    body = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))
    if palette:
        body += chunk(b"PLTE", palette)
    return body + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
cases = [(9_586_981, 1, 1, 0), (1, 100_000, 8, 0), (3, 3, 16, 2), (7, 5, 4, 3), (5, 7, 8, 4), (2, 9, 16, 6), (13, 1, 2, 0)]
for index, (w, h, d, c) in enumerate(cases):
    with open(os.path.join(out, "extreme-%d.png" % index), "wb") as f:
        f.write(png(w, h, d, c, palette=bytes(range(48)) if c == 3 else None))
with open(os.path.join(out, "extreme-interlaced.png"), "wb") as f:
    f.write(png(9, 11, 8, 2, interlace=1))
PY
python3 - "$FIX/tokenizer/captions.json" "$BUILD/corpus/tokenizer" <<'PY'
import json, os, sys
cases = json.load(open(sys.argv[1]))
items = cases if isinstance(cases, list) else cases.get("cases", [])
os.makedirs(sys.argv[2], exist_ok=True)
for index, item in enumerate(items[:300]):
    text = item.get("text", "") if isinstance(item, dict) else str(item)
    open(os.path.join(sys.argv[2], "seed-%03d.txt" % index), "w", encoding="utf-8").write(text)
PY

printf "%-12s %12s %10s %10s %8s %s\n" target executions coverage features corpus findings
for name in "${TARGETS[@]}"; do
  findings="$BUILD/findings/$name"
  mkdir -p "$findings"
  log="$BUILD/fuzz-$name.log"
  marker="$BUILD/fuzz-$name.started"
  touch "$marker"
  "$BUILD/release/fuzz-$name" "$BUILD/corpus/$name" -max_total_time="$SECONDS_PER_TARGET" -timeout=20 \
    -rss_limit_mb=3072 -max_len=131072 -print_final_stats=1 -artifact_prefix="$findings/" > "$log" 2>&1 || true
  runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}' || true)
  stats=$(grep -E "#[0-9]+.*cov:" "$log" | tail -1 || true)
  cov=$(echo "$stats" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
  ft=$(echo "$stats" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
  corp=$(echo "$stats" | sed -nE 's/.*corp: ([0-9]+).*/\1/p')
  # Only this run's findings count (libFuzzer stops at the first one; earlier runs' files stay).
  new=$(find "$findings" -maxdepth 1 -type f -newer "$marker" | sort)
  crashes=$(printf "%s" "$new" | grep -c . || true)
  printf "%-12s %12s %10s %10s %8s %s\n" "$name" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$crashes"
  if [ -n "$new" ]; then echo "  $new (see $log)"; fi
done
