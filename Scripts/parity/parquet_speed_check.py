#!/usr/bin/env python3
"""Decode speed: `datacomp export` (release build) versus pandas.read_parquet on a 1M-row file.

Writes (once) a seeded 1,000,000-row DataComp-schema Parquet file as pyarrow writes it by
default (snappy, dictionary with PLAIN fallback, one row group), then times reading the uid,
text and both CLIP score columns:
  - pandas.read_parquet(path, columns=[...]) in process (best of N, after one warm-up);
  - `datacomp export path --columns ... --limit 1`, which decodes the whole row group of
    those columns and prints one row (best of N; includes process start-up, ~10-20 ms).

    swift build -c release --product datacomp
    refenv/bin/python Scripts/parity/parquet_speed_check.py [--cores 0] [--repeats 7]
"""
import argparse
import os
import subprocess
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
COLUMNS = ["uid", "text", "clip_b32_similarity_score", "clip_l14_similarity_score"]


def make(path, n=1_000_000):
    rng = np.random.default_rng(0)
    uids = ["%032x" % x for x in rng.integers(0, 2**63, n, dtype=np.int64).astype(object) * (2**64 + 13)]
    words = np.array("a photo of the cat dog on beach with red car in city at night vintage poster art".split())
    lengths = rng.integers(2, 14, n)
    picks = rng.integers(0, len(words), lengths.sum())
    texts, p = [], 0
    for length in lengths:
        texts.append(" ".join(words[picks[p:p + length]]))
        p += length
    table = pa.table({
        "uid": uids,
        "url": ["https://images.example.com/%d/%s.jpg" % (i % 977, u[:12]) for i, u in enumerate(uids)],
        "text": texts,
        "original_width": rng.integers(64, 4000, n), "original_height": rng.integers(64, 4000, n),
        "clip_b32_similarity_score": rng.uniform(-0.06, 0.54, n).astype(np.float16).astype(np.float32),
        "clip_l14_similarity_score": rng.uniform(-0.18, 0.57, n).astype(np.float16).astype(np.float32),
        "face_bboxes": pa.array([[] if r < 0.7 else [[0.1, 0.2, 0.3, 0.4]] for r in rng.random(n)],
                                type=pa.list_(pa.list_(pa.float64()))),
        "sha256": [u + u for u in uids],
    })
    pq.write_table(table, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", default="/tmp/datacomp-parquet-speed/datacomp_1m.parquet")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "datacomp"))
    parser.add_argument("--cores", default=None, help="pin both sides to these cores, e.g. 0")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if not os.path.exists(args.file):
        os.makedirs(os.path.dirname(args.file), exist_ok=True)
        make(args.file)
    if args.cores is not None:
        os.sched_setaffinity(0, {int(c) for c in args.cores.split(",")})
    command = [args.binary, "export", args.file, "--columns", ",".join(COLUMNS), "--limit", "1"]
    pd.read_parquet(args.file, columns=COLUMNS)  # warm-up (page cache, allocator)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    # Alternate the two so that both see the same machine load.
    pandas_times, swift_times = [], []
    for _ in range(args.repeats):
        start = time.perf_counter()
        frame = pd.read_parquet(args.file, columns=COLUMNS)
        pandas_times.append(time.perf_counter() - start)
        assert len(frame) == 1_000_000
        del frame
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        swift_times.append(time.perf_counter() - start)
    print("pandas.read_parquet: best %.3f s, median %.3f s" % (min(pandas_times), sorted(pandas_times)[len(pandas_times) // 2]))
    print("datacomp export:     best %.3f s, median %.3f s (whole process)" % (min(swift_times), sorted(swift_times)[len(swift_times) // 2]))
    print("speed-up (best): %.2fx" % (min(pandas_times) / min(swift_times)))


if __name__ == "__main__":
    main()
