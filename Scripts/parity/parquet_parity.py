#!/usr/bin/env python3
"""Parity check: files written by the Swift Parquet writer, read back by pyarrow and pandas.

Runs `swift test --filter ParquetWriterTests` with DATACOMP_PARQUET_PARITY_DIR set, so that the
writer tests keep their output files, then checks every file with pyarrow (rows must equal the
rows pyarrow reads from the source fixture) and pandas (read_parquet must succeed and agree).

    refenv/bin/python Scripts/parity/parquet_parity.py [--skip-build]
"""
import json
import math
import os
import subprocess
import sys
import tempfile

import pandas as pd
import pyarrow.parquet as pq

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures", "parquet")


def jsonable(value):
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b and type(a) == type(b)


def main():
    out = tempfile.mkdtemp(prefix="datacomp-parquet-parity-")
    env = dict(os.environ, DATACOMP_PARQUET_PARITY_DIR=out)
    subprocess.run(["swift", "test", "--filter", "ParquetWriterTests"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    manifest = json.load(open(os.path.join(FIXTURES, "manifest.json")))
    files = sorted(os.listdir(out))
    checked = rows_checked = failures = 0
    for name in files:
        path = os.path.join(out, name)
        ours = pq.read_table(path)
        frame = pd.read_parquet(path)  # must not raise
        assert len(frame) == ours.num_rows
        if name.startswith("rewritten_"):
            source = name[len("rewritten_"):]
            expected = [json.loads(line) for line in open(os.path.join(FIXTURES, manifest[source]))]
            got = [jsonable(r) for r in ours.to_pylist()]
            bad = [i for i, (a, b) in enumerate(zip(got, expected)) if not same(a, b)]
            if len(got) != len(expected) or bad:
                failures += 1
                print("MISMATCH", name, "rows", len(got), len(expected), "first bad", bad[:3])
            rows_checked += len(got)
        else:
            # Written from Swift-side data: check types against the DataComp schema.
            schema = ours.schema
            if name.startswith("datacomp_"):
                want = {"uid": "string", "url": "string", "text": "string", "original_width": "int64",
                        "original_height": "int64", "clip_b32_similarity_score": "float",
                        "clip_l14_similarity_score": "float", "face_bboxes": "list<element: list<element: double>>",
                        "sha256": "string"}
                got = {f.name: str(f.type) for f in schema}
                if got != want:
                    failures += 1
                    print("SCHEMA MISMATCH", name, got)
                rows = ours.to_pylist()
                assert rows[0]["face_bboxes"] == [] and rows[0]["text"] == ""
                assert all(r["original_width"] == i + 1 for i, r in enumerate(rows))
            rows_checked += ours.num_rows
        checked += 1
    print("pyarrow/pandas parity: %d files, %d rows checked, %d mismatching files (output in %s)" % (checked, rows_checked, failures, out))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
