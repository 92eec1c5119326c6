"""Parity and throughput of `datacomp preprocess` against Pillow 13 + OpenCLIP 3.3.0.

Usage (from the package root, after `swift build -c release --product datacomp`):
    refenv/bin/python Scripts/parity/preprocess_parity.py [--datacomp .build/release/datacomp]

1. Parity: writes ~120 seeded synthetic images of varied sizes (1×1, 7×3000, 3000×7, small, large)
   and modes (RGB, L, RGBA, LA, P with and without transparency, CMYK, 1, I;16) as JPEG, PNG and
   WebP, runs OpenCLIP's eval preprocess (224) on Pillow's decode, runs our CLI on the files, and
   reports max/mean |Δ| per image and overall (acceptance: max ≤ 0.02, mean ≤ 0.002).
2. Throughput on one core (taskset), JPEG decode + eval transform, in process CPU time: Pillow +
   torchvision (torch.set_num_threads(1)) vs our CLI's --report-throughput (sequential).
"""
import argparse, io, os, subprocess, sys, tempfile, time
import numpy as np
import torch
from PIL import Image
from open_clip.transform import image_transform

parser = argparse.ArgumentParser()
parser.add_argument("--datacomp", default=".build/release/datacomp")
parser.add_argument("--size", type=int, default=224)
parser.add_argument("--bench-images", type=int, default=150)
args = parser.parse_args()
torch.set_num_threads(1)
preprocess = image_transform(args.size, is_train=False)


def content(w, h, c, rng):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    planes = []
    for k in range(c):
        g = 255 * (0.5 + 0.5 * np.sin((x * (k + 1) / max(w, 1) * rng.uniform(1, 9) + y / max(h, 1) * rng.uniform(1, 9)) + k))
        g = np.where(((x // rng.integers(2, 40) + y // rng.integers(2, 40) + k) % 3) == 0, 255 - g, g)
        g = g + rng.normal(0, rng.uniform(0, 30), size=g.shape)
        planes.append(np.clip(g, 0, 255))
    return np.stack(planes, -1).round().astype(np.uint8)


def make(mode, w, h, rng):
    if mode in ("L", "1"):
        im = Image.fromarray(content(w, h, 1, rng)[..., 0], "L")
        return im.convert("1") if mode == "1" else im
    if mode in ("RGB", "CMYK", "P", "PT"):
        im = Image.fromarray(content(w, h, 3, rng), "RGB")
        if mode == "CMYK":
            return im.convert("CMYK")
        if mode in ("P", "PT"):
            return im.quantize(colors=int(rng.integers(2, 256)))
        return im
    if mode == "RGBA":
        return Image.fromarray(content(w, h, 4, rng), "RGBA")
    if mode == "LA":
        return Image.fromarray(content(w, h, 2, rng), "LA")
    if mode == "I;16":
        a = content(w, h, 1, rng)[..., 0].astype(np.uint16)
        return Image.frombytes("I;16", (w, h), (a * rng.integers(1, 257)).astype("<u2").tobytes())
    raise ValueError(mode)


FORMATS = {"RGB": ["JPEG", "PNG", "WEBP"], "L": ["JPEG", "PNG"], "CMYK": ["JPEG"], "RGBA": ["PNG", "WEBP"],
           "LA": ["PNG"], "P": ["PNG"], "PT": ["PNG"], "1": ["PNG"], "I;16": ["PNG"]}
SIZES = [(1, 1), (7, 3000), (3000, 7), (2, 5), (5, 2), (224, 224), (225, 224), (223, 300), (640, 480),
         (480, 640), (1200, 900), (97, 33), (33, 97), (300, 7), (1, 500), (500, 1)]

rng = np.random.default_rng(20261127)
tmp = tempfile.mkdtemp(prefix="datacomp-parity-")
files = []
i = 0
for mode, formats in FORMATS.items():
    for fmt in formats:
        for (w, h) in SIZES:
            if fmt == "WEBP" and max(w, h) > 16383:
                continue
            im = make(mode, w, h, rng)
            kw = {}
            if fmt == "JPEG":
                kw = {"quality": int(rng.integers(50, 100))}
            elif fmt == "WEBP":
                kw = {"lossless": bool(rng.integers(0, 2)), "quality": int(rng.integers(50, 100))}
            elif mode == "PT":
                kw = {"transparency": 0}
            path = os.path.join(tmp, f"{i:04d}_{mode.replace(';', '')}_{w}x{h}.{fmt.lower()}")
            im.save(path, fmt, **kw)
            files.append(path)
            i += 1

expected = []
for path in files:
    with Image.open(path) as im:
        expected.append(preprocess(im).numpy())
out = os.path.join(tmp, "ours.npy")
cmd = [args.datacomp, "preprocess", "--size", str(args.size), "--output", out]
for path in files:
    cmd += ["--image", path]
subprocess.run(cmd, check=True)
ours = np.load(out)
worst_max, worst_mean, worst_file = 0.0, 0.0, None
exact = 0
for path, e, o in zip(files, expected, ours):
    d = np.abs(e - o)
    if d.max() > worst_max:
        worst_max, worst_file = float(d.max()), path
    worst_mean = max(worst_mean, float(d.mean()))
    exact += int(d.max() <= 1e-6)
print(f"parity: {len(files)} images, max |Δ| {worst_max:.3g} (worst {os.path.basename(worst_file) if worst_file else '-'}), "
      f"worst per-image mean |Δ| {worst_mean:.3g}, {exact} images within 1e-6")
ok = worst_max <= 0.02 and worst_mean <= 0.002
print("parity acceptance (max ≤ 0.02, mean ≤ 0.002):", "PASS" if ok else "FAIL")

# Throughput: JPEG decode + eval transform, one core, process CPU time (so that other processes
# on a shared machine do not skew it). Two kinds of content: photo-like (smooth, mild noise, q85)
# and noisy (the synthetic pattern above with heavy noise, q90, which makes decoding slow).
import re
BENCH_PY = r"""
import sys, glob, time, torch
from PIL import Image
from open_clip.transform import image_transform
torch.set_num_threads(1)
files = sys.argv[2:]
pre = image_transform(int(sys.argv[1]), is_train=False)
dec = tr = 0.0
for f in files:
    t0 = time.process_time(); im = Image.open(f); im.load(); t1 = time.process_time()
    pre(im); t2 = time.process_time()
    dec += t1 - t0; tr += t2 - t1
print(len(files) / (dec + tr), 1000 * dec / len(files), 1000 * tr / len(files))
"""
for kind in ("photo-like", "noisy"):
    bench = []
    for k in range(args.bench_images):
        w, h = [(640, 480), (500, 375), (800, 600), (480, 640), (1024, 768)][k % 5]
        path = os.path.join(tmp, f"bench_{kind}_{k:04d}.jpg")
        if kind == "noisy":
            Image.fromarray(content(w, h, 3, rng), "RGB").save(path, "JPEG", quality=90)
        else:
            small = Image.fromarray(rng.integers(0, 256, (h // 24, w // 24, 3), dtype=np.uint8), "RGB")
            big = np.asarray(small.resize((w, h), Image.BICUBIC)).astype(np.float64) + rng.normal(0, 4, (h, w, 3))
            Image.fromarray(np.clip(big, 0, 255).astype(np.uint8)).save(path, "JPEG", quality=85)
        bench.append(path)
    py = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", BENCH_PY, str(args.size)] + bench,
                        check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1].split()
    cmd = ["taskset", "-c", "0", args.datacomp, "preprocess", "--size", str(args.size), "--report-throughput",
           "--output", os.path.join(tmp, "swift.npy")]
    for path in bench:
        cmd += ["--image", path]
    err = subprocess.run(cmd, check=True, capture_output=True, text=True).stderr
    m = re.search(r"decode ([0-9.]+) ms/image, transform ([0-9.]+) ms/image, ([0-9.]+) images/s", err)
    ours = float(m.group(3))
    print(f"throughput, {kind} ({len(bench)} JPEGs 480×640…1024×768, decode + eval transform, 1 core, CPU time): "
          f"Pillow+torchvision {float(py[0]):.0f} img/s (decode {float(py[1]):.2f} + transform {float(py[2]):.2f} ms), "
          f"datacomp {ours:.0f} img/s (decode {float(m.group(1)):.2f} + transform {float(m.group(2)):.2f} ms), "
          f"speed-up {ours / float(py[0]):.2f}×")
sys.exit(0 if ok else 1)
