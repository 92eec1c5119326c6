#!/usr/bin/env python3
"""Randomized parity of `datacomp pool stats` against numpy on a larger generated pool.

Writes a seeded pool (default 4 shards x 25,000 rows; some shards in several row groups, one
with an extra column; captions drawn from a character pool that holds every Python whitespace
character plus look-alikes that are not whitespace: U+200B, U+180E, U+2060, U+FEFF, and ASCII,
Latin-1, CJK, emoji), runs the debug `datacomp pool stats --metadata-dir`, and compares every
number with numpy: np.quantile(np.asarray(x, np.float64), q) (default 'linear'), np.mean,
len(text), len(text.split()). Counts must be equal; other numbers within 1e-12 relative.

    swift build --product datacomp
    refenv/bin/python Scripts/parity/pool_parity.py [--rows 25000] [--shards 4] [--seed 1]
"""
import argparse
import json
import os
import subprocess
import tempfile

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
OTHERS = list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789.,;:!?-_'\"()") + list("éèüößñçøåæ") + \
    list("東京の夜景한국어русскийελληνικά") + ["🐶", "🐕‍🦺", "👍🏽", "\u200b", "\u180e", "\u2060", "\ufeff", "\u0301"]


def caption(rng):
    n = int(rng.integers(0, 60))
    out = []
    for _ in range(n):
        if rng.random() < 0.25:
            out.append(SPACES[int(rng.integers(0, len(SPACES)))])
        else:
            out.append(OTHERS[int(rng.integers(0, len(OTHERS)))])
    return "".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "datacomp"))
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    folder = tempfile.mkdtemp(prefix="pool-parity-")
    tables = []
    for shard in range(args.shards):
        n = args.rows + int(rng.integers(-1000, 1000))
        uids = ["%032x" % int.from_bytes(rng.bytes(16), "big") for _ in range(n)]
        columns = {
            "uid": uids,
            "url": ["https://example.com/%d.jpg" % i for i in range(n)],
            "text": [caption(rng) for _ in range(n)],
            "original_width": rng.integers(1, 5000, n), "original_height": rng.integers(1, 5000, n),
            "clip_b32_similarity_score": rng.normal(0.3, 0.08, n).astype(np.float16).astype(np.float32),
            "clip_l14_similarity_score": rng.normal(0.25, 0.1, n).astype(np.float32),  # not fp16-valued
            "face_bboxes": pa.array([[] for _ in range(n)], type=pa.list_(pa.list_(pa.float64()))),
            "sha256": [u + u for u in uids],
        }
        if shard == 1:
            columns["__index_level_0__"] = np.arange(n)
        table = pa.table(columns)
        stem = "%032x" % int.from_bytes(rng.bytes(16), "big")
        pq.write_table(table, os.path.join(folder, stem + ".parquet"),
                       row_group_size=None if shard % 2 else 7_000, compression="zstd" if shard == 2 else "snappy")
        tables.append(table)
    result = subprocess.run([args.binary, "pool", "stats", "--metadata-dir", folder], check=True, capture_output=True, text=True)
    ours = json.loads(result.stdout)

    def col(name):
        return np.concatenate([t.column(name).to_numpy() for t in tables])

    texts = [s for t in tables for s in t.column("text").to_pylist()]
    w = col("original_width").astype(np.float64)
    h = col("original_height").astype(np.float64)
    columns = {
        "clip_b32_similarity_score": col("clip_b32_similarity_score"), "clip_l14_similarity_score": col("clip_l14_similarity_score"),
        "caption_characters": [len(s) for s in texts], "caption_words": [len(s.split()) for s in texts],
        "original_width": w, "original_height": h,
    }
    words = np.asarray(columns["caption_words"])
    chars = np.asarray(columns["caption_characters"])
    worst = 0.0
    failures = []
    for name, values in columns.items():
        x = np.asarray(values, np.float64)
        expected = {"count": x.size, "mean": float(np.mean(x))}
        for key, q in [("min", 0), ("p1", 0.01), ("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75),
                       ("p95", 0.95), ("p99", 0.99), ("max", 1)]:
            expected[key] = float(np.quantile(x, q))
        for key, value in expected.items():
            got = ours[name][key]
            error = abs(got - value) / max(1.0, abs(value))
            worst = max(worst, error)
            if (key == "count" and got != value) or error > 1e-12:
                failures.append((name, key, got, value))
    fractions = {
        "fraction_caption_at_most_2_words": float(np.mean(words <= 2)),
        "fraction_caption_at_most_5_characters": float(np.mean(chars <= 5)),
        "fraction_min_side_below_200": float(np.mean(np.minimum(w, h) < 200)),
        "fraction_aspect_ratio_above_3": float(np.mean(np.maximum(w, h) / np.minimum(w, h) > 3)),
    }
    for key, value in fractions.items():
        if ours[key] != value:
            failures.append((key, "", ours[key], value))
    if ours["rows"] != len(texts) or ours["shards"] != args.shards:
        failures.append(("rows/shards", "", (ours["rows"], ours["shards"]), (len(texts), args.shards)))
    print("rows %d, shards %d, numbers compared %d, worst relative difference %.3g, failures %d"
          % (len(texts), args.shards, len(columns) * 11 + len(fractions), worst, len(failures)))
    for failure in failures[:20]:
        print("MISMATCH", failure)
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
