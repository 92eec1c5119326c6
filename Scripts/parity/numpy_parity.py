#!/usr/bin/env python3
"""Parity checks between the Swift NumPy/subset code and NumPy (run by hand; needs a debug build).

    swift build --build-tests
    refenv/bin/python Scripts/parity/numpy_parity.py

1. Random uid sets (with duplicates) -> `datacomp subset create` -> bytes compared with np.save
   of the sorted array, np.load of our file, and `datacomp subset show` output.
2. The Swift test NumPyExportTests writes every dtype as .npy / stored .npz / deflated .npz
   into a folder; np.load must read each and give exactly the values regenerated here.
3. Random numpy arrays -> np.save / np.savez / np.savez_compressed -> `datacomp inspect` must
   report the same descr and shape.
"""
import os
import sys

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILD = os.path.join(ROOT, ".build", "debug")
CLI = os.path.join(BUILD, "datacomp")
MASK = (1 << 64) - 1


def splitmix64(seed):
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def check_subsets(tmp):
    rng = np.random.default_rng(12345)
    sizes = [0, 1, 2, 17, 1000, 65_537, 250_000, 1_000_000]
    ok = 0
    for trial, n in enumerate(sizes * 2):
        hi = rng.integers(0, 2**64, size=n, dtype=np.uint64)
        lo = rng.integers(0, 2**64, size=n, dtype=np.uint64)
        if n > 2:  # duplicates: repeat ~10% of rows, and make some share f0
            dup = rng.random(n) < 0.1
            src = rng.integers(0, n, size=n)
            hi[dup], lo[dup] = hi[src[dup]], lo[src[dup]]
            same_hi = rng.random(n) < 0.05
            hi[same_hi] = hi[0]
        lines = [f"{a:016x}{b:016x}" for a, b in zip(hi.tolist(), lo.tolist())]
        if trial % 2 == 1:  # upper case, blank lines and CRLF
            lines = [line.upper() + ("\r" if i % 3 == 0 else "") + ("\n" if i % 7 == 0 else "")
                     for i, line in enumerate(lines)]
        txt = os.path.join(tmp, f"uids{trial}.txt")
        with open(txt, "w") as f:
            f.write("\n".join(lines) + ("\n" if lines else ""))
        ours = os.path.join(tmp, f"ours{trial}.npy")
        start = time.time()
        subprocess.run([CLI, "subset", "create", "--uids", txt, "--output", ours], check=True)
        elapsed = time.time() - start
        arr = np.zeros(n, dtype="u8,u8")
        arr["f0"], arr["f1"] = hi, lo
        arr.sort()
        theirs = os.path.join(tmp, f"theirs{trial}.npy")
        np.save(theirs, arr)
        same = open(ours, "rb").read() == open(theirs, "rb").read()
        loaded = np.load(ours, mmap_mode="r")
        load_ok = loaded.dtype == np.dtype("u8,u8") and np.array_equal(loaded, arr)
        start = time.time()
        shown = subprocess.run([CLI, "subset", "show", ours], check=True, capture_output=True).stdout.decode()
        show_elapsed = time.time() - start
        expected = "".join(f"{a:016x}{b:016x}\n" for a, b in arr.tolist())
        show_ok = shown == expected
        ok += same and load_ok and show_ok
        print(f"subset n={n:>9}: bytes identical={same} np.load equal={load_ok} show equal={show_ok} "
              f"(create {elapsed:.2f}s, show {show_elapsed:.2f}s, debug build)")
    return ok, len(sizes) * 2


def regenerate(kind, shape_index):
    shapes = [(), (0,), (7,), (3, 5), (2, 3, 4)]
    kinds = ["f2", "f4", "f8", "i1", "i4", "i8", "u1", "u8", "b1", "uid"]
    shape = shapes[shape_index]
    count = int(np.prod(shape))
    gen = splitmix64(1000 * kinds.index(kind) + shape_index)
    d = np.array([next(gen) for _ in range(count)], dtype=np.uint64)
    if kind == "f2":
        v = ((d % 2001).astype(np.float64) / 100 - 10).astype(np.float16)
    elif kind == "f4":
        v = ((d % (1 << 24)).astype(np.float64) / 4096 - 2048).astype(np.float32)
    elif kind == "f8":
        v = (d >> np.uint64(11)).astype(np.float64) * 2.0**-53
    elif kind in ("i1", "i4", "i8"):
        v = d.view(np.int64).astype({"i1": np.int8, "i4": np.int32, "i8": np.int64}[kind])
    elif kind in ("u1", "u8"):
        v = d.astype({"u1": np.uint8, "u8": np.uint64}[kind])
    elif kind == "b1":
        v = (d & np.uint64(1)) == 1
    else:
        v = np.zeros(count, dtype="u8,u8")
        v["f0"], v["f1"] = d, ~d
    return v.reshape(shape)


def check_swift_written(tmp):
    out = os.path.join(tmp, "export")
    os.makedirs(out)
    env = dict(os.environ, DATACOMP_NUMPY_PARITY_DIR=out)
    test = os.path.join(BUILD, "DataCompPackageTests.xctest")
    subprocess.run([test, "--testing-library", "swift-testing", "--filter", "NumPyExportTests"],
                   check=True, env=env, capture_output=True)
    ok = total = 0
    stored, deflated = np.load(os.path.join(out, "stored.npz")), np.load(os.path.join(out, "deflated.npz"))
    for kind in ["f2", "f4", "f8", "i1", "i4", "i8", "u1", "u8", "b1", "uid"]:
        for index in range(5):
            expected = regenerate(kind, index)
            for got in [np.load(os.path.join(out, f"{kind}_{index}.npy")), stored[f"{kind}_{index}"],
                        deflated[f"{kind}_{index}"]]:
                total += 1
                ok += got.dtype == expected.dtype and got.shape == expected.shape and np.array_equal(got, expected)
    arrays = {f"{k}_{i}": regenerate(k, i) for k in ["f2", "f4", "f8", "i1", "i4", "i8", "u1", "u8", "b1", "uid"]
              for i in range(5)}
    for name, save in [("stored.npz", np.savez), ("deflated.npz", np.savez_compressed)]:
        reference = os.path.join(tmp, "numpy_" + name)
        save(reference, **arrays)
        same = open(reference, "rb").read() == open(os.path.join(out, name), "rb").read()
        print(f"{name}: byte-identical to np.{save.__name__} = {same}")
        total += 1
        ok += same
    print(f"Swift-written arrays read by np.load with exact values (+2 byte-identity checks): {ok}/{total}")
    return ok, total


def check_inspect(tmp):
    rng = np.random.default_rng(7)
    dtypes = ["<f2", "<f4", "<f8", "|i1", "<i4", "<i8", "|u1", "<u8", "|b1", "u8,u8"]
    ok = total = 0
    for trial in range(60):
        dt = dtypes[trial % len(dtypes)]
        shape = tuple(int(x) for x in rng.integers(0, 6, size=int(rng.integers(0, 4))))
        arr = np.zeros(shape, dtype=dt)
        path = os.path.join(tmp, f"inspect{trial}.npy")
        np.save(path, arr)
        summary = json.loads(subprocess.run([CLI, "inspect", path], check=True, capture_output=True).stdout)
        want = str(np.dtype(dt).descr) if np.dtype(dt).names else np.dtype(dt).str
        total += 1
        ok += summary["descr"] == want and summary["shape"] == list(shape)
        npz = os.path.join(tmp, f"inspect{trial}.npz")
        (np.savez_compressed if trial % 2 else np.savez)(npz, a=arr, b=arr.reshape(-1))
        summary = json.loads(subprocess.run([CLI, "inspect", npz], check=True, capture_output=True).stdout)
        total += 1
        ok += ([m["key"] for m in summary["members"]] == ["a", "b"]
               and summary["members"][0]["shape"] == list(shape)
               and summary["members"][0]["compression"] == ("deflated" if trial % 2 else "stored"))
    print(f"datacomp inspect agrees with numpy on descr/shape/compression: {ok}/{total}")
    return ok, total


def main():
    if not os.path.exists(CLI):
        sys.exit("build first: swift build --build-tests")
    print(f"numpy {np.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        results = [check_subsets(tmp), check_swift_written(tmp), check_inspect(tmp)]
    failed = sum(total - ok for ok, total in results)
    print("PARITY OK" if failed == 0 else f"PARITY FAILED: {failed} mismatches")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
