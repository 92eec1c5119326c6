#!/usr/bin/env python3
"""Randomized WebDataset parity check between Python webdataset 1.0.2 and the Swift CLI.

Run with refenv/bin/python after `swift build`:
    refenv/bin/python Scripts/parity/webdataset_parity.py [--binary .build/debug/datacomp] [--shards 12] [--seed 1]

1. Writes random input shards with webdataset's TarWriter and with tarfile in GNU, PAX and USTAR
   formats (random keys with folders, non-ASCII and >100-character names, mixed-case and
   multi-dot extensions, member sizes around the 512-byte block boundaries).
2. `datacomp inspect` on every input: sample and extension counts must equal webdataset's.
3. `datacomp copy-shards OUT inputs... --max-count K --max-size S --mtime T` re-cuts them.
4. Python webdataset reads OUT: every sample (key, extensions, bytes) must equal what it read
   from the inputs, in order.
5. webdataset's ShardWriter(maxcount=K, maxsize=S, mtime=T) writes the same samples: every
   output shard must be byte-identical to the Swift one; each Swift _stats.json must report
   the shard's sample count.
6. Differential corruption: truncated and byte-mutated copies of the inputs go through both
   readers. Swift must never accept a file webdataset rejects, and when both accept they must
   yield the same samples. Files webdataset accepts but Swift rejects are counted separately:
   they are the documented cases where tarfile silently stops at a damaged header or partial
   block and reports a short shard, while Swift throws ("python_short": Python lost members
   silently; "python_complete": the damaged block was where the end-of-archive marker
   belongs). Names with invalid UTF-8 are compared after replacing invalid bytes with U+FFFD.
"""
import argparse
import collections
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import numpy as np  # noqa: E402
import webdataset as wds  # noqa: E402
from webdataset.tariterators import tarfile_samples  # noqa: E402

MTIME = 1712345678


def random_samples(rng, shard_index, count):
    samples = []
    for index in range(count):
        kind = rng.integers(0, 10)
        key = "%012d" % (shard_index * 10**4 + index)
        if kind == 0:
            key = "folder%d/%s" % (rng.integers(0, 3), key)
        elif kind == 1:
            key = "dir_" + "x" * int(rng.integers(90, 140)) + "/" + key
        elif kind == 2:
            key = "caf\u00e9_\u732b_" + key
        exts = ["jpg", "txt", "json"]
        if rng.integers(0, 4) == 0:
            exts.append(["seg.png", "cls", "npy", "webp"][rng.integers(0, 4)])
        sample = {"__key__": key}
        for ext in exts:
            size = int(rng.choice([0, 1, 100, 511, 512, 513, 1024, 1500, int(rng.integers(0, 70000))]))
            sample[ext] = rng.integers(0, 256, size, dtype=np.uint8).tobytes()
        samples.append(sample)
    return samples


def write_input(path, samples, fmt, rng):
    if fmt == "tarwriter":
        with open(path, "wb") as f, wds.TarWriter(f, mtime=MTIME) as writer:
            for sample in samples:
                writer.write(sample)
        return
    format = {"gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT, "ustar": tarfile.USTAR_FORMAT}[fmt]
    with tarfile.open(path, "w", format=format) as tar:
        for sample in samples:
            items = [(k, v) for k, v in sample.items() if k != "__key__"]
            rng.shuffle(items)  # any member order within a sample
            for ext, data in items:
                if rng.integers(0, 5) == 0:
                    ext = ext.upper()
                info = tarfile.TarInfo(sample["__key__"] + "." + ext)
                info.size = len(data)
                info.mtime = MTIME + int(rng.integers(0, 1000))
                if fmt == "ustar":
                    info.name = info.name.encode("ascii", "replace").decode()
                tar.addfile(info, io.BytesIO(data))


def read(path):
    return [dict(s) for s in tarfile_samples([{"url": path}])]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "../../.build/debug/datacomp"))
    parser.add_argument("--shards", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-count", type=int, default=37)
    parser.add_argument("--max-size", type=int, default=900_000)
    parser.add_argument("--mutants", type=int, default=300)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    work = tempfile.mkdtemp(prefix="wds-parity-")
    inputs = []
    expected = []
    formats = ["tarwriter", "gnu", "pax", "ustar"]
    for shard in range(args.shards):
        fmt = formats[shard % len(formats)]
        samples = random_samples(rng, shard, int(rng.integers(1, 60)))
        if fmt == "ustar":
            for s in samples:  # USTAR cannot store names over 255 bytes
                s["__key__"] = s["__key__"][-90:].encode("ascii", "replace").decode()
        path = os.path.join(work, "in%03d_%s.tar" % (shard, fmt))
        write_input(path, samples, fmt, rng)
        inputs.append(path)
        expected.extend(read(path))

    # 2. inspect
    inspect_mismatches = 0
    for path in inputs:
        summary = json.loads(subprocess.run([args.binary, "inspect", path], check=True, capture_output=True, text=True).stdout)
        py = read(path)
        counts = collections.Counter(k for s in py for k in s if not k.startswith("__"))
        if summary["samples"] != len(py) or summary["extensions"] != dict(counts):
            inspect_mismatches += 1
            print("inspect mismatch", path, summary["samples"], len(py))

    # 3. copy-shards
    out = os.path.join(work, "out")
    subprocess.run([args.binary, "copy-shards", out, *inputs, "--max-count", str(args.max_count),
                    "--max-size", str(args.max_size), "--mtime", str(MTIME)], check=True, capture_output=True)
    shard_files = sorted(f for f in os.listdir(out) if f.endswith(".tar"))

    # 4. webdataset reads the Swift output
    got = []
    for name in shard_files:
        got.extend(read(os.path.join(out, name)))
    sample_mismatches = 0
    for a, b in zip(expected, got):
        strip = lambda s: {k: v for k, v in s.items() if not k.startswith("__")}
        if a["__key__"] != b["__key__"] or strip(a) != strip(b):
            sample_mismatches += 1
    sample_mismatches += abs(len(expected) - len(got))

    # 5. webdataset's ShardWriter on the same samples
    ref = os.path.join(work, "ref")
    os.makedirs(ref)
    with wds.ShardWriter(os.path.join(ref, "%08d.tar"), maxcount=args.max_count, maxsize=args.max_size,
                         mtime=MTIME, verbose=0) as writer:
        for sample in expected:
            writer.write({k: v for k, v in sample.items() if k != "__url__"})
    ref_files = sorted(f for f in os.listdir(ref) if f.endswith(".tar"))
    byte_mismatches = 0
    for name in ref_files:
        mine = os.path.join(out, name)
        if not os.path.exists(mine) or open(mine, "rb").read() != open(os.path.join(ref, name), "rb").read():
            byte_mismatches += 1
            print("byte mismatch", name)
    stats_mismatches = 0
    for name in shard_files:
        stats = json.load(open(os.path.join(out, name.replace(".tar", "_stats.json"))))
        n = len(read(os.path.join(out, name)))
        if stats["successes"] != n or stats["count"] != n or list(stats) != [
                "count", "successes", "failed_to_download", "failed_to_resize", "duration", "start_time", "end_time", "status_dict"]:
            stats_mismatches += 1

    # 6. differential corruption
    mutation = collections.Counter()
    for index in range(args.mutants):
        original = inputs[index % len(inputs)]
        data = bytearray(open(original, "rb").read())
        if rng.integers(0, 2):
            data = data[: int(rng.integers(0, len(data)))]
        else:
            for _ in range(int(rng.integers(1, 4))):
                block = int(rng.integers(0, max(1, len(data) // 512))) * 512
                position = min(len(data) - 1, block + int(rng.choice([0, 5, 100, 124, 130, 148, 156, 257, 345, int(rng.integers(0, 512))])))
                data[position] = int(rng.integers(0, 256))
        path = os.path.join(work, "mutant.tar")
        with open(path, "wb") as f:
            f.write(bytes(data))
        try:
            py = [(s["__key__"], sorted((k, v) for k, v in s.items() if not k.startswith("__"))) for s in read(path)]
        except Exception:
            py = None
        result = subprocess.run([args.binary, "inspect", path], capture_output=True, text=True)
        if result.returncode != 0 and "[" not in result.stderr:
            mutation["swift_crash_or_unexplained"] += 1
        sw = json.loads(result.stdout) if result.returncode == 0 else None
        if py is None and sw is None:
            mutation["both_reject"] += 1
        elif py is None:
            mutation["swift_accepts_python_rejects"] += 1
        elif sw is None:
            # Did tarfile stop early (a short read of a damaged shard) or read everything?
            full = [(s["__key__"], sorted((k, v) for k, v in s.items() if not k.startswith("__"))) for s in read(original)]
            complete = py == full
            mutation["python_accepts_swift_rejects_" + ("python_complete" if complete else "python_short")] += 1
            if complete and mutation["python_accepts_swift_rejects_python_complete"] <= 3:
                keep = os.path.join(work, "strict%d.tar" % mutation["python_accepts_swift_rejects_python_complete"])
                shutil.copy(path, keep)
                print("swift stricter on a complete read:", keep, result.stderr.strip()[:300])
        elif sw["samples"] == len(py) and sw["first_keys"] == [k for k, _ in py[:5]]:
            mutation["both_accept_same"] += 1
        elif sw["samples"] == len(py) and any(
                any(0xDC80 <= ord(c) <= 0xDCFF for c in k) for k, _ in py[:5]) and sw["first_keys"] == [
                k.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for k, _ in py[:5]]:
            # Documented: non-UTF-8 name bytes are U+FFFD in Swift, surrogate escapes in Python.
            mutation["both_accept_same_except_non_utf8_name"] += 1
        else:
            mutation["both_accept_different"] += 1
            keep = os.path.join(work, "different%d.tar" % mutation["both_accept_different"])
            shutil.copy(path, keep)
            print("different samples:", keep, "python", len(py), [k for k, _ in py[:5]], "swift", sw["samples"], sw["first_keys"])

    total_bytes = sum(len(v) for s in expected for k, v in s.items() if not k.startswith("__"))
    print(json.dumps({
        "input_shards": len(inputs), "samples": len(expected), "payload_bytes": total_bytes,
        "inspect_mismatches": inspect_mismatches,
        "output_shards_swift": len(shard_files), "output_shards_python": len(ref_files),
        "sample_mismatches": sample_mismatches, "byte_mismatches": byte_mismatches,
        "stats_mismatches": stats_mismatches, "mutants": dict(mutation), "work": work,
    }, indent=1))
    ok = (inspect_mismatches == 0 and sample_mismatches == 0 and byte_mismatches == 0 and stats_mismatches == 0
          and len(shard_files) == len(ref_files) and mutation["swift_accepts_python_rejects"] == 0
          and mutation["both_accept_different"] == 0 and mutation["swift_crash_or_unexplained"] == 0)
    if ok:
        shutil.rmtree(work)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
