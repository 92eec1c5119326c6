"""Parity and throughput of `datacomp preprocess` against Pillow 13 + OpenCLIP 3.3.0.

Usage (from the package root, after `swift build -c release --product datacomp`):
    /work/refenv/bin/python Scripts/parity/preprocess.py [--datacomp .build/release/datacomp]

1. Parity: writes ~120 seeded synthetic images of varied sizes (1×1, 7×3000, 3000×7, small, large)
   and modes (RGB, L, RGBA, LA, P with and without transparency, CMYK, 1, I;16) as JPEG, PNG and
   WebP, runs OpenCLIP's eval preprocess (224) on Pillow's decode, runs our CLI on the files, and
   reports max/mean |Δ| per image and overall (acceptance: max ≤ 0.02, mean ≤ 0.002).
2. Throughput on one core: JPEG decode + eval transform + saving the stacked float32 array, for
   Pillow+torchvision (torch.set_num_threads(1)) vs our CLI (one process, sequential).
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

# Throughput: JPEG decode + eval transform + save, one core.
bench = []
for k in range(args.bench_images):
    w, h = [(640, 480), (500, 375), (800, 600), (480, 640), (1024, 768)][k % 5]
    path = os.path.join(tmp, f"bench_{k:04d}.jpg")
    Image.fromarray(content(w, h, 3, rng), "RGB").save(path, "JPEG", quality=90)
    bench.append(path)
t0 = time.perf_counter()
tensors = []
for path in bench:
    with Image.open(path) as im:
        tensors.append(preprocess(im))
np.save(os.path.join(tmp, "python.npy"), torch.stack(tensors).numpy())
python_seconds = time.perf_counter() - t0
cmd = [args.datacomp, "preprocess", "--size", str(args.size), "--output", os.path.join(tmp, "swift.npy")]
for path in bench:
    cmd += ["--image", path]
t0 = time.perf_counter()
subprocess.run(cmd, check=True)
swift_seconds = time.perf_counter() - t0
check = np.abs(np.load(os.path.join(tmp, "swift.npy")) - np.load(os.path.join(tmp, "python.npy"))).max()
print(f"throughput ({len(bench)} JPEGs 500×375…1024×768, decode+eval transform+save, 1 core): "
      f"Pillow+torchvision {len(bench) / python_seconds:.1f} img/s, datacomp {len(bench) / swift_seconds:.1f} img/s, "
      f"speed-up {python_seconds / swift_seconds:.2f}× (max |Δ| {check:.2g})")
sys.exit(0 if ok else 1)
