#!/usr/bin/env python3
"""Randomized safetensors parity check between the `safetensors` package (0.8.0) and the Swift CLI.

Run with refenv/bin/python after `swift build`:
    refenv/bin/python Scripts/parity/safetensors_parity.py [--binary .build/debug/datacomp] [--files 200] [--mutants 600]

1. Writes random files with safetensors.torch.save_file (random dtypes among the 15 this
   package knows, shapes with zero and unit dimensions, non-ASCII names, optional metadata) and
   checks that `datacomp inspect` lists the same tensors in the same order with the same dtype,
   shape, data_offsets and metadata as the header the Rust crate wrote.
2. Mutates and truncates those files at random and checks that Swift accepts exactly the files
   the Rust crate accepts (`safetensors.safe_open`), i.e. both validators agree.
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import numpy as np  # noqa: E402
import torch  # noqa: E402
from safetensors import safe_open  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

DTYPES = [torch.float32, torch.float16, torch.bfloat16, torch.int64, torch.float64, torch.int32, torch.int16,
          torch.int8, torch.uint8, torch.bool, torch.uint16, torch.uint32, torch.uint64, torch.float8_e5m2,
          torch.float8_e4m3fn]


def header(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n))


def swift_inspect(binary, path):
    result = subprocess.run([binary, "inspect", path], capture_output=True, text=True)
    return json.loads(result.stdout) if result.returncode == 0 else None


def python_accepts(path):
    try:
        with safe_open(path, "pt") as f:
            for k in f.keys():
                f.get_slice(k)
        return True
    except Exception:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "../../.build/debug/datacomp"))
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--mutants", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    work = tempfile.mkdtemp(prefix="st-parity-")
    paths = []
    header_mismatches = 0
    for index in range(args.files):
        tensors = {}
        for t in range(int(rng.integers(0, 8))):
            dtype = DTYPES[int(rng.integers(0, len(DTYPES)))]
            shape = [int(rng.choice([0, 1, 2, 3, 7])) for _ in range(int(rng.integers(0, 4)))]
            name = rng.choice(["w", "layer.%d.weight" % t, "caf\u00e9_%d" % t, "a\"b\\c_%d" % t, "\u732b%d" % t])
            tensors[str(name)] = torch.zeros(shape, dtype=torch.float32).to(dtype) if dtype != torch.bool else torch.zeros(shape, dtype=torch.bool)
        metadata = None if rng.integers(0, 2) else {"format": "pt"}
        path = os.path.join(work, "f%04d.safetensors" % index)
        save_file(tensors, path, metadata=metadata)
        paths.append(path)
        reference = header(path)
        summary = swift_inspect(args.binary, path)
        expected_tensors = [
            {"name": k, "dtype": v["dtype"], "shape": v["shape"], "data_offsets": v["data_offsets"]}
            for k, v in reference.items() if k != "__metadata__"
        ]
        if summary is None or summary["tensors"] != expected_tensors or summary["metadata"] != reference.get("__metadata__"):
            header_mismatches += 1
            print("header mismatch", path)

    agree = disagree = accepted = 0
    for index in range(args.mutants):
        data = bytearray(open(paths[index % len(paths)], "rb").read())
        if rng.integers(0, 2) and len(data) > 1:
            data = data[: int(rng.integers(0, len(data)))]
        else:
            for _ in range(int(rng.integers(1, 4))):
                position = int(rng.integers(0, min(len(data), 300)))
                data[position] = int(rng.choice([0x30, 0x31, 0x39, 0x2C, 0x5B, 0x5D, 0x22, 0x20, 0x00, int(rng.integers(0, 256))]))
        path = os.path.join(work, "mutant.safetensors")
        with open(path, "wb") as f:
            f.write(bytes(data))
        py = python_accepts(path)
        sw = swift_inspect(args.binary, path) is not None
        accepted += py
        if py == sw:
            agree += 1
        else:
            disagree += 1
            if disagree <= 5:
                keep = os.path.join(work, "disagree%d.safetensors" % disagree)
                shutil.copy(path, keep)
                print("disagreement: python accepts=%s swift accepts=%s" % (py, sw), keep)
    print(json.dumps({"files": len(paths), "header_mismatches": header_mismatches, "mutants": args.mutants,
                      "python_accepted_mutants": accepted, "agree": agree, "disagree": disagree, "work": work}, indent=1))
    ok = header_mismatches == 0 and disagree == 0
    if ok:
        shutil.rmtree(work)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
