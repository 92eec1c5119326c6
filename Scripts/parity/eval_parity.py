#!/usr/bin/env python3
"""End-to-end parity of `datacomp evaluate` with DataComp's own evaluation code on a real
(small) OpenCLIP model. Run by hand, never by the test suite.

    /work/evalenv/bin/python Scripts/parity/eval_parity.py [--scratch DIR] [--tasks k1,k2]
        [--datacomp-bin BIN] [--batch-size 64] [--num-workers 2] [--rgb-only] [--reference-only]
        [--no-preprocess-check]

About 30 s on two cores (the reference takes most of it); rerunning rewrites every input (seeded,
identical).

(Started with an interpreter that lacks wilds 2.0.0 / webdataset 0.2.31 it re-executes itself with
$EVALENV/bin/python, default /work/evalenv; see Scripts/fixtures/eval_fixtures.py for how that env
is made.) Environment: DATACOMP_DIR (DataComp checkout, default /tmp/datacomp; its code is
imported from there, never copied), DATACOMP_BIN (default .build/release/datacomp of this
package), EVALENV. Everything generated goes to --scratch (default /work/scratch/eval-parity),
which must be outside the repository.

What it does
  1. Model: a seeded OpenCLIP ViT CLIP with the full tokenizer (vocab 49408, context 77):
     embed_dim 64; vision image_size 64, patch 16, width 64, 2 layers, head_width 32; text width
     64, 2 heads, 2 layers. OpenCLIP's random init, then a small perturbation (LayerNorm weights
     1 + 0.1·N, LayerNorm biases + 0.1·N, every other parameter + 0.02·N) and, in both towers,
     attention in_proj ×3 and out_proj / MLP c_proj ×4, so that an image's embedding depends on
     its content rather than only on the class token (without this all images land within
     cos 0.97 of each other and every image gets the same class). Saved as
     SCRATCH/model/model_config.json (OpenCLIP JSON) and SCRATCH/model/weights.safetensors
     (state_dict, OpenCLIP names).
  2. Eval sets in DataComp's wds layout (SCRATCH/evalsets/wds_<key with / as ->_test) with seeded
     natural-ish images (gradient background, low-frequency colour blobs, ellipses / rectangles /
     polygons / lines, sometimes blur, pixel noise; 40-300 px a side; JPEG of several qualities,
     chroma subsamplings, progressive and grayscale; PNG RGB / RGBA / L / LA / P; WebP lossy and
     lossless, RGB and RGBA; with --rgb-only, and always in the retrieval set, RGB and L only):
     cifar10 (10 classes, CLIP's 18 templates, 2 shards), vtab/kitti_closest_vehicle_distance
     (4 classes), retrieval/flickr_1k_test_image_text_retrieval (1-7 captions per image),
     wilds/fmow (npy metadata [region, year, y], empty groups included), fairness/dollar_street
     (npy metadata [income_ds, income_meta, region]); 230 images.
  3. Reference: DataComp's eval_utils.main.evaluate_model(task_key, train_info, data_root,
     tasklist size, batch_size) with train_info = {"scale_config": {"model": "eval-parity-vit"},
     "checkpoint": weights.safetensors} (the config is registered with open_clip.add_model_config;
     open_clip 3.3 loads a .safetensors `pretrained` path with safetensors.torch.load_file), each
     row written as evaluate.py writes it (metrics + main_metric from tasklist.yml) to
     SCRATCH/reference/eval_results.jsonl. The retrieval set is served to DataComp's retr_eval
     through a stub `datasets.load_dataset` that reads the wds folder and hands over the images as
     the HF datasets Image feature does (PIL.Image.open, no mode conversion; DataComp loads Flickr
     from the HF hub), captions = txt.splitlines(). Classification sets go through DataComp's own
     wds path (clip_benchmark's build_wds_dataset: webdataset's ImageHandler("pil") converts every
     image to RGB at decode, before OpenCLIP's transform resizes it). CPU only: every autocast is a
     no-op, all fp32. DataComp's loaders run with its default 4 workers.
  4. Ours: $DATACOMP_BIN evaluate --checkpoint … --model-config … --data-dir SCRATCH/evalsets
     --output-dir SCRATCH/ours --tasks … --batch-size … --num-workers … --overwrite.
  5. Compares row order, dataset names, metric keys (set and order) and every value; prints
     task | metric | DataComp | ours | |Δ| and the largest |Δ| per metric family (accuracy:
     acc1/acc5; balanced accuracy: mean_per_class_recall; retrieval: *_recall@k; group metrics:
     the WILDS / fairness keys; main_metric counts in the family of the key it copies).
  6. Inputs and embeddings (before step 4): `datacomp preprocess --size 64` on every eval image
     against OpenCLIP's transform in DataComp's order (converted to RGB at decode, then resized)
     and on the raw file (resized first), per format and mode, and the OpenCLIP image embeddings
     of our tensors against DataComp's. The CLI does not expose the embeddings `evaluate`
     computes, so they are not compared directly; the Swift forward pass alone matches OpenCLIP to
     ≤ 1.5e-6 (Tests/Fixtures/clip).

Tolerance. The metrics are counts over samples (or means of such), so both sides write exactly the
same numbers unless a ranking decision flips. A decision (top-1, the top-5 boundary, a retrieval
top-k boundary) flips only when its margin in the reference is below the difference between the
two sides' embeddings: different float summation orders (BLAS blocking, threads) give ~1e-6; the
decoded and resized inputs are bit-identical to Pillow's for RGB and L images of all three
formats (step 6 shows it, and what other modes do). |Δ| ≤ 1e-6 counts as equal (float32-rounded
values such as acc_avg round alike on both sides). For each task the script prints the smallest
decision margin of the reference (cosine units); a metric that differs in a task whose smallest
margin is below NEAR_TIE (1e-4) is reported as "near tie" (explained), anything else as a
mismatch.

When a task differs, DataComp's code is run once more on it with webdataset's decoder returning
the image unconverted (so RGBA / LA / P images are resized in their own mode, as OpenCLIP does on
a raw file and `datacomp preprocess` does); if ours equal that variant exactly, the difference is
reported as the image-mode conversion order (a mismatch, not a near tie).

Exit status: 0 when every metric agrees (|Δ| ≤ 1e-6) or differs only in near-tie tasks, and the
rows / names / keys agree; 1 on any other difference; 2 when something could not be run.
"""
import os
import sys

EVALENV = os.environ.get("EVALENV", "/work/evalenv")
os.environ.setdefault("TQDM_DISABLE", "1")  # DataComp's and clip_benchmark's progress bars


def _ensure_env():
    try:
        import wilds  # noqa: F401
        from importlib.metadata import version

        if version("webdataset") != "0.2.31":
            raise ImportError("webdataset != 0.2.31")
    except ImportError:
        py = os.path.join(EVALENV, "bin", "python")
        if os.path.exists(py) and os.path.realpath(sys.prefix) != os.path.realpath(EVALENV):
            os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])
        sys.exit("eval_parity.py needs wilds==2.0.0 and webdataset==0.2.31 (DataComp's pins); "
                 "see Scripts/fixtures/eval_fixtures.py for how to create " + EVALENV)


if __name__ == "__main__":
    _ensure_env()

# This folder holds scripts named after packages (numpy_parity.py, ...); keep it off sys.path.
sys.path[:] = [p for p in sys.path
               if os.path.realpath(p or ".") != os.path.realpath(os.path.dirname(os.path.abspath(__file__)))]

import argparse
import hashlib
import io
import json
import math
import shutil
import subprocess
import tarfile
import time
import types
import warnings
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[2]
DATACOMP_DIR = Path(os.environ.get("DATACOMP_DIR", "/tmp/datacomp"))
ARCH = "eval-parity-vit"
SEED = 20261207
MTIME = 1700000000
TOL = 1e-6
NEAR_TIE = 1e-4

MODEL_CONFIG = OrderedDict(
    embed_dim=64,
    vision_cfg=OrderedDict(image_size=64, layers=2, width=64, patch_size=16, head_width=32),
    text_cfg=OrderedDict(context_length=77, vocab_size=49408, width=64, heads=2, layers=2),
)

CIFAR10 = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
CLIP_TEMPLATES = [  # CLIP's CIFAR templates (clip_benchmark's cifar10 list)
    "a photo of a {c}.", "a blurry photo of a {c}.", "a black and white photo of a {c}.",
    "a low contrast photo of a {c}.", "a high contrast photo of a {c}.", "a bad photo of a {c}.",
    "a good photo of a {c}.", "a photo of a small {c}.", "a photo of a big {c}.",
    "a photo of the {c}.", "a blurry photo of the {c}.", "a black and white photo of the {c}.",
    "a low contrast photo of the {c}.", "a high contrast photo of the {c}.",
    "a bad photo of the {c}.", "a good photo of the {c}.", "a photo of the small {c}.",
    "a photo of the big {c}.",
]
KITTI = ["a photo i took of a car on my left or right side.", "a photo i took with a car nearby.",
         "a photo i took with a car in the distance.", "a photo i took with no car."]
FMOW = ["airport", "airport hangar", "airport terminal", "amusement park", "aquaculture",
        "archaeological site", "barn", "border checkpoint", "burial site", "car dealership",
        "construction site", "crop field"]
FMOW_TEMPLATES = ["satellite imagery of {c}.", "aerial imagery of {c}.", "satellite photo of {c}.",
                  "aerial photo of {c}.", "satellite view of {c}.", "aerial view of {c}.",
                  "satellite imagery of a {c}.", "aerial imagery of a {c}."]
DOLLAR = ["toothbrush", "toilet", "sofa", "stove", "bed", "cups", "plates", "shoes", "light source",
          "wardrobe", "soap", "books", "front door", "kitchen sink", "get water"]
DOLLAR_TEMPLATES = ["a photo of a {c}.", "a bad photo of a {c}.", "a photo of many {c}.",
                    "a photo of the hard to see {c}.", "a low resolution photo of the {c}.",
                    "a close-up photo of a {c}.", "a photo of a clean {c}."]
WORDS = ["dog", "river", "bright", "market", "window", "mountain", "bicycle", "child", "street",
         "yellow", "old", "wooden", "boat", "table", "woman", "man", "red", "snowy", "park",
         "bench", "crowd", "kitchen", "guitar", "train", "field", "horse", "blue", "small",
         "running", "sitting", "under", "beside", "two", "three", "a group of", "green"]

ALL_TASKS = ["cifar10", "vtab/kitti_closest_vehicle_distance",
             "retrieval/flickr_1k_test_image_text_retrieval", "wilds/fmow", "fairness/dollar_street"]


def folder_for(task):
    if task.startswith("fairness/"):
        task = task.split("/", 1)[1]
    return f"wds_{task.replace('/', '-')}_test"


# ------------------------------------------------------------------------------------------
# Natural-ish images
# ------------------------------------------------------------------------------------------


def natural_image(rng, w, h):
    """Gradient background + low-frequency colour blobs + shapes + optional blur + noise (RGB)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    a = rng.uniform(0, 2 * math.pi)
    t = ((xx / w - 0.5) * math.cos(a) + (yy / h - 0.5) * math.sin(a) + 0.5).clip(0, 1)[..., None]
    c0, c1 = rng.uniform(0, 255, 3), rng.uniform(0, 255, 3)
    img = c0 * (1 - t) + c1 * t
    lf = rng.normal(0, rng.uniform(5, 45), (int(rng.integers(2, 6)), int(rng.integers(2, 6)), 3))
    lf_img = Image.fromarray(np.clip(lf + 128, 0, 255).astype(np.uint8)).resize((w, h), Image.BILINEAR)
    img = img + np.asarray(lf_img, dtype=np.float64) - 128
    im = Image.fromarray(np.clip(img, 0, 255).round().astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(im, "RGBA")
    for _ in range(int(rng.integers(2, 13))):
        col = tuple(int(v) for v in rng.integers(0, 256, 3)) + (int(rng.integers(90, 256)),)
        x0, y0 = rng.uniform(-0.2, 1.0) * w, rng.uniform(-0.2, 1.0) * h
        x1, y1 = x0 + rng.uniform(0.05, 0.7) * w, y0 + rng.uniform(0.05, 0.7) * h
        kind = int(rng.integers(0, 4))
        if kind == 0:
            draw.ellipse([x0, y0, x1, y1], fill=col)
        elif kind == 1:
            draw.rectangle([x0, y0, x1, y1], fill=col)
        elif kind == 2:
            pts = [(float(rng.uniform(0, w)), float(rng.uniform(0, h))) for _ in range(int(rng.integers(3, 7)))]
            draw.polygon(pts, fill=col)
        else:
            draw.line([x0, y0, x1, y1], fill=col, width=int(rng.integers(1, max(2, min(w, h) // 10))))
    if rng.random() < 0.3:
        im = im.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 2.5))))
    sigma = rng.uniform(0, 15)
    if sigma > 1:
        a = np.asarray(im, dtype=np.float64) + rng.normal(0, sigma, (h, w, 3))
        im = Image.fromarray(np.clip(a, 0, 255).round().astype(np.uint8), "RGB")
    return im


def encode_image(rng, im, alpha=True):
    """Returns (extension, bytes, description) with a randomly chosen format / mode; alpha=False
    keeps to RGB and L (modes for which converting before or after resizing is the same)."""
    r = rng.random()
    b = io.BytesIO()
    if r < 0.45:  # JPEG
        ext = "jpeg" if rng.random() < 0.1 else "jpg"
        gray = rng.random() < 0.12
        src = im.convert("L") if gray else im
        q = int(rng.integers(50, 97))
        sub = int(rng.choice([0, 1, 2]))
        prog = bool(rng.random() < 0.2)
        kw = dict(format="jpeg", quality=q, progressive=prog)
        if not gray:
            kw["subsampling"] = sub
        src.save(b, **kw)
        desc = f"jpeg {'L' if gray else 'RGB'} q{q}" + ("" if gray else f" sub{sub}") + (" progressive" if prog else "")
    elif r < 0.72:  # PNG
        ext = "png"
        mode = str(rng.choice(["RGB", "RGB", "RGBA", "L", "LA", "P"] if alpha else ["RGB", "RGB", "L"]))
        if mode == "RGBA":
            alpha = Image.fromarray(rng.integers(0, 256, (im.height, im.width), dtype=np.uint8))
            src = im.copy()
            src.putalpha(alpha)
        elif mode == "LA":
            src = im.convert("LA")
        elif mode == "P":
            src = im.quantize(colors=int(rng.integers(8, 256)))
        else:
            src = im.convert(mode)
        src.save(b, format="png")
        desc = f"png {mode}"
    else:  # WebP
        ext = "webp"
        lossless = bool(rng.random() < 0.35)
        rgba = bool(rng.random() < 0.2) and alpha
        src = im.copy()
        if rgba:
            src.putalpha(Image.fromarray(np.full((im.height, im.width), int(rng.integers(0, 256)), np.uint8)))
        q = int(rng.integers(50, 96))
        src.save(b, format="webp", lossless=lossless, quality=q)
        desc = f"webp {'RGBA' if rgba else 'RGB'} " + ("lossless" if lossless else f"q{q}")
    return ext, b.getvalue(), desc


def random_size(rng):
    return int(rng.integers(40, 301)), int(rng.integers(40, 301))


def npy_bytes(a):
    b = io.BytesIO()
    np.lib.format.write_array(b, np.asarray(a))
    return b.getvalue()


def write_tar(path, samples):
    """USTAR, members sorted by extension, fixed mtime (like webdataset.TarWriter otherwise)."""
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tf:
        for s in samples:
            for ext in sorted(k for k in s if k != "__key__"):
                data = s[ext]
                ti = tarfile.TarInfo(s["__key__"] + "." + ext)
                ti.size = len(data)
                ti.mtime = MTIME
                ti.mode = 0o444
                ti.uname = ti.gname = "bigdata"
                tf.addfile(ti, io.BytesIO(data))


def write_wds(root, samples, shard_sizes, classnames=None, templates=None, dataset_type=None):
    assert sum(shard_sizes) == len(samples)
    (root / "test").mkdir(parents=True, exist_ok=True)
    if classnames is not None:
        (root / "classnames.txt").write_text("\n".join(classnames) + "\n")
    if templates is not None:
        (root / "zeroshot_classification_templates.txt").write_text("\n".join(templates) + "\n")
    if dataset_type is not None:
        (root / "dataset_type.txt").write_text(dataset_type + "\n")
    (root / "test" / "nshards.txt").write_text(f"{len(shard_sizes)}\n")
    k = 0
    for si, n in enumerate(shard_sizes):
        shard = []
        for s in samples[k:k + n]:
            s = dict(s)
            s["__key__"] = "s%07d" % k
            shard.append(s)
            k += 1
        write_tar(root / "test" / f"{si}.tar", shard)


def make_evalsets(out, rng, rgb_only=False):
    """Writes the five eval sets; returns {task: [(ext, description)]} for the report. The
    retrieval set holds RGB and L images only: DataComp reads Flickr from the HF hub (images as
    opened), clip_benchmark's wds reader converts to RGB at decode, and only for RGB / L images do
    the two orders agree."""
    info = OrderedDict()

    def image_sample(label=None, alpha=not rgb_only):
        ext, data, desc = encode_image(rng, natural_image(rng, *random_size(rng)), alpha=alpha)
        s = {ext: data}
        if label is not None:
            s["cls"] = str(int(label)).encode()
        return s, desc

    def classification(task, names, templates, n, shards, metadata=None):
        samples, descs = [], []
        labels = rng.integers(0, len(names), n)
        for j in range(n):
            s, d = image_sample(labels[j])
            if metadata is not None:
                s["npy"] = npy_bytes(np.asarray(metadata(j, int(labels[j])), dtype=np.int64))
            samples.append(s)
            descs.append(d)
        write_wds(out / folder_for(task), samples, shards, names, templates)
        info[task] = descs

    classification("cifar10", CIFAR10, CLIP_TEMPLATES, 80, [40, 40])
    classification("vtab/kitti_closest_vehicle_distance", KITTI, ["{c}"], 30, [30])

    # retrieval: 40 images, 1-7 captions each
    samples, descs = [], []
    for j in range(40):
        s, d = image_sample(alpha=False)
        n_caps = int(rng.choice([5, 5, 5, 5, 1, 2, 3, 4, 6, 7]))
        caps = []
        for c in range(n_caps):
            w = [WORDS[int(k)] for k in rng.integers(0, len(WORDS), 5)]
            caps.append(f"A {w[0]} {w[1]} {w[2]} near the {w[3]} {w[4]}.")
        s["txt"] = "\n".join(caps).encode()
        samples.append(s)
        descs.append(d)
    write_wds(out / folder_for("retrieval/flickr_1k_test_image_text_retrieval"), samples, [40],
              dataset_type="retrieval")
    info["retrieval/flickr_1k_test_image_text_retrieval"] = descs

    # FMoW: metadata [region, year, y]; region 3 and some years never occur (empty groups -> NaN)
    regions = [0, 1, 2, 4, 5]
    years = [0, 2, 3, 5, 7, 8, 10, 13]
    classification("wilds/fmow", FMOW, FMOW_TEMPLATES, 40, [20, 20],
                   metadata=lambda j, y: [regions[j % len(regions)], years[(j * 3) % len(years)], y])
    # Dollar Street: metadata [income_ds, income_meta, region]
    classification("fairness/dollar_street", DOLLAR, DOLLAR_TEMPLATES, 40, [40],
                   metadata=lambda j, y: [j % 4, int(rng.integers(20, 200)) * (j % 4 + 1) * 10, int(rng.integers(0, 4))])
    return info


# ------------------------------------------------------------------------------------------
# Model
# ------------------------------------------------------------------------------------------


def make_model(model_dir):
    import open_clip
    import torch
    from safetensors.torch import save_file
    from torch import nn

    model_dir.mkdir(parents=True, exist_ok=True)
    (model_dir / "model_config.json").write_text(json.dumps(MODEL_CONFIG, indent=2) + "\n")
    # open_clip names a registered config after its file's stem
    arch_dir = model_dir / "open_clip_config"
    arch_dir.mkdir(exist_ok=True)
    (arch_dir / f"{ARCH}.json").write_text(json.dumps(MODEL_CONFIG, indent=2) + "\n")
    open_clip.add_model_config(arch_dir / f"{ARCH}.json")

    torch.manual_seed(SEED % 2**31)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = open_clip.create_model(ARCH)
    g = torch.Generator().manual_seed(SEED + 1)
    owner = {}
    for mname, module in model.named_modules():
        for pname, _ in module.named_parameters(recurse=False):
            owner[f"{mname}.{pname}" if mname else pname] = module
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g, dtype=p.dtype)
            if name == "logit_scale":
                continue
            if isinstance(owner[name], nn.LayerNorm) and name.endswith(".weight"):
                p.copy_(1 + 0.1 * noise)
            elif isinstance(owner[name], nn.LayerNorm):
                p.add_(0.1 * noise)
            else:
                p.add_(0.02 * noise)
            if ".resblocks." in name and name.endswith("in_proj_weight"):
                p.mul_(3.0)
            if ".resblocks." in name and (name.endswith("out_proj.weight") or name.endswith("c_proj.weight")):
                p.mul_(4.0)
    sd = OrderedDict((k, v.detach().contiguous().clone()) for k, v in model.state_dict().items())
    save_file(sd, str(model_dir / "weights.safetensors"))
    digest = hashlib.sha256((model_dir / "weights.safetensors").read_bytes()).hexdigest()
    return dict(parameters=sum(v.numel() for v in sd.values()), tensors=len(sd), sha256=digest)


# ------------------------------------------------------------------------------------------
# DataComp reference
# ------------------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.task = None
        self.logits = {}  # task -> list of (logits, target)
        self.images = {}  # task -> list of image embeddings (raw)
        self.texts = {}  # task -> list of text embeddings (raw)
        self.retrieval_rows = {}  # task -> list of caption lists
        self.active = True


def load_dataset_stub(path, split=None, cache_dir=None, **kw):
    """Stand-in for datasets.load_dataset('nlphuji/<name>') (DataComp reads Flickr / COCO from the
    HF hub): the wds retrieval folder as {"image", "caption"} rows in key order. Like the HF
    datasets Image feature, the image is the PIL image as opened (PIL.Image.open + load, no mode
    conversion; OpenCLIP's transform converts to RGB after resizing); captions =
    txt.splitlines() as clip_benchmark reads wds retrieval sets. The image member is the first of
    webp / png / jpg / jpeg."""
    assert split == "test", split
    owner, name = path.split("/", 1)
    assert owner == "nlphuji", path
    folder = Path(cache_dir).parent / f"wds_retrieval-{name}_test" / "test"
    rows = []
    for si in range(int((folder / "nshards.txt").read_text())):
        samples = OrderedDict()
        with tarfile.open(folder / f"{si}.tar") as tf:
            for ti in tf.getmembers():
                key, ext = ti.name.split(".", 1)
                samples.setdefault(key, {})[ext] = tf.extractfile(ti).read()
        for key, m in samples.items():
            ext = next(e for e in ("webp", "png", "jpg", "jpeg") if e in m)
            with io.BytesIO(m[ext]) as stream:
                im = Image.open(stream)
                im.load()
            rows.append(dict(image=im, caption=m["txt"].decode("utf-8").splitlines()))
    if RECORDER.active:
        RECORDER.retrieval_rows["retrieval/" + name] = [r["caption"] for r in rows]
    return rows


RECORDER = Recorder()


def run_reference(tasks, model_dir, data_root, batch_size, out_file):
    import open_clip
    import torch
    import yaml

    if not getattr(sys.modules.get("datasets"), "__parity_stub__", False):
        fake_datasets = types.ModuleType("datasets")
        fake_datasets.load_dataset = load_dataset_stub
        fake_datasets.__parity_stub__ = True
        sys.modules["datasets"] = fake_datasets
    if str(DATACOMP_DIR) not in sys.path:
        sys.path.insert(0, str(DATACOMP_DIR))
    import eval_utils.main as em
    from clip_benchmark.metrics import zeroshot_classification as zsc

    # pass-through recorders (values unchanged)
    orig_run = zsc.run_classification

    def run_classification(*a, **k):
        logits, target = orig_run(*a, **k)
        if RECORDER.active:
            RECORDER.logits.setdefault(RECORDER.task, []).append((logits.clone(), target.clone()))
        return logits, target

    zsc.run_classification = run_classification
    CLIP = open_clip.model.CLIP
    orig_img, orig_txt = CLIP.encode_image, CLIP.encode_text

    def encode_image(self, *a, **k):
        out = orig_img(self, *a, **k)
        if RECORDER.active:
            RECORDER.images.setdefault(RECORDER.task, []).append(out.detach().clone())
        return out

    def encode_text(self, *a, **k):
        out = orig_txt(self, *a, **k)
        if RECORDER.active:
            RECORDER.texts.setdefault(RECORDER.task, []).append(out.detach().clone())
        return out

    CLIP.encode_image, CLIP.encode_text = encode_image, encode_text

    with open(DATACOMP_DIR / "tasklist.yml") as f:
        tasklist = yaml.safe_load(f)
    train_info = {"scale_config": {"model": ARCH}, "checkpoint": str(model_dir / "weights.safetensors")}
    rows, times = [], {}
    for key in [k for k in tasklist if k in tasks]:  # evaluate.py's order
        RECORDER.task = key
        t0 = time.time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            metrics = em.evaluate_model(key, train_info, str(data_root), tasklist[key].get("size"),
                                        batch_size=batch_size)
        times[key] = time.time() - t0
        RECORDER.task = None
        metrics["main_metric"] = metrics.get(tasklist[key].get("main_metric", "acc1"))
        rows.append({"key": key, "dataset": tasklist[key].get("name", key), "metrics": metrics})
    CLIP.encode_image, CLIP.encode_text = orig_img, orig_txt
    zsc.run_classification = orig_run
    with open(out_file, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return [json.loads(json.dumps(r)) for r in rows], tasklist, times


def run_reference_decode_variant(tasks, model_dir, data_root, batch_size, out_file):
    """DataComp's code once more, with one change: webdataset's ImageHandler returns the image as
    opened instead of convert("RGB")-ing it, so OpenCLIP's transform resizes RGBA (premultiplied),
    LA and P (NEAREST) images before converting them, as it does on a raw file (and as
    `datacomp preprocess` does). Used to tell whether a difference comes from the order of mode
    conversion and resizing."""
    import re

    import webdataset.autodecode as ad

    orig = ad.ImageHandler.__call__

    def call(self, key, data):
        if re.sub(r".*[.]", "", key).lower() not in self.extensions:
            return None
        with io.BytesIO(data) as stream:
            img = Image.open(stream)
            img.load()
        return img

    ad.ImageHandler.__call__ = call
    RECORDER.active = False
    try:
        rows, _, _ = run_reference(tasks, model_dir, data_root, batch_size, out_file)
    finally:
        ad.ImageHandler.__call__ = orig
        RECORDER.active = True
    return rows


# ------------------------------------------------------------------------------------------
# Decision margins of the reference
# ------------------------------------------------------------------------------------------


def classification_margin(logits, target, ks):
    """Smallest cosine margin of any decision the metrics depend on: argmax (top1 - top2) and,
    for every k, the target score against the k-th largest other score."""
    s = logits.double().numpy() / 100.0
    t = target.numpy()
    best = math.inf
    for i in range(len(s)):
        row = np.sort(s[i])[::-1]
        best = min(best, row[0] - row[1])
        others = np.sort(np.delete(s[i], t[i]))[::-1]
        for k in ks:
            if k <= len(others):
                best = min(best, abs(s[i, t[i]] - others[k - 1]))
    return best


def retrieval_margin(img, txt, captions, ks=(1, 5, 10)):
    import torch.nn.functional as F

    I = F.normalize(img.double(), dim=-1).numpy()
    T = F.normalize(txt.double(), dim=-1).numpy()
    owner = np.concatenate([[i] * len(c) for i, c in enumerate(captions)])
    S = T @ I.T  # captions x images
    best = math.inf
    for q in range(len(T)):  # text -> image: the one positive against the k-th negative
        neg = np.sort(np.delete(S[q], owner[q]))[::-1]
        for k in ks:
            if k <= len(neg):
                best = min(best, abs(S[q, owner[q]] - neg[k - 1]))
    for i in range(len(I)):  # image -> text: the best positive against the k-th negative
        pos = S[owner == i, i]
        neg = np.sort(S[owner != i, i])[::-1]
        for k in ks:
            if k <= len(neg) and len(pos):
                best = min(best, abs(pos.max() - neg[k - 1]))
    return best


def reference_margins(tasks):
    import torch

    out = {}
    for key in tasks:
        if key.startswith("retrieval/"):
            imgs = RECORDER.images.get(key)
            txts = RECORDER.texts.get(key)
            caps = RECORDER.retrieval_rows.get(key)
            if imgs and txts and caps:
                out[key] = retrieval_margin(torch.cat(imgs), torch.cat(txts), caps)
        elif key in RECORDER.logits:
            # the first run_classification call is the task's; DataComp computes topk(1,5)
            logits, target = RECORDER.logits[key][0]
            out[key] = classification_margin(logits, target, (1, 5))
    return out


# ------------------------------------------------------------------------------------------
# Comparison
# ------------------------------------------------------------------------------------------


def family(metric, main_key):
    if metric == "main_metric":
        return family(main_key, None)
    if metric in ("acc1", "acc5"):
        return "accuracy"
    if metric == "mean_per_class_recall":
        return "balanced accuracy"
    if "recall@" in metric:
        return "retrieval"
    return "group metrics"


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def delta(a, b):
    if a is None or b is None:
        return 0.0 if (a is None and b is None) else math.inf
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return 0.0 if (math.isnan(a) and math.isnan(b)) else math.inf
    return abs(a - b)


def fmt(v):
    if v is None:
        return "null"
    if isinstance(v, float) and math.isnan(v):
        return "NaN"
    if isinstance(v, float):
        return f"{v:.9g}"
    return str(v)


def compare(ref_rows, our_rows, margins, tasklist, variant_rows):
    problems, warnings_, near = [], [], []
    ours = {r["key"]: r for r in our_rows}
    variant = {r["key"]: r["metrics"] for r in (variant_rows or [])}
    ref_keys = [r["key"] for r in ref_rows]
    our_keys = [r["key"] for r in our_rows]
    if our_keys != ref_keys:
        if sorted(our_keys) == sorted(ref_keys):
            warnings_.append(f"row order differs: DataComp {ref_keys}, ours {our_keys}")
        else:
            problems.append(f"rows differ: DataComp {ref_keys}, ours {our_keys}")
    fam_max = OrderedDict((f, (0.0, "")) for f in ("accuracy", "balanced accuracy", "retrieval", "group metrics"))
    lines = []
    for r in ref_rows:
        key = r["key"]
        o = ours.get(key)
        if o is None:
            continue
        if o.get("dataset") != r["dataset"]:
            problems.append(f"{key}: dataset name {o.get('dataset')!r}, DataComp {r['dataset']!r}")
        extra = set(o) - {"key", "dataset", "metrics"}
        if extra:
            warnings_.append(f"{key}: extra row fields {sorted(extra)}")
        rm, om = r["metrics"], o.get("metrics", {})
        if list(rm) != list(om):
            if set(rm) == set(om):
                warnings_.append(f"{key}: metric order differs: DataComp {list(rm)} / ours {list(om)}")
            else:
                problems.append(f"{key}: metric keys differ: only DataComp {sorted(set(rm) - set(om))}, "
                                f"only ours {sorted(set(om) - set(rm))}")
        task_mismatch = False
        for m, rv in rm.items():
            ov = om.get(m, "<missing>")
            d = delta(rv, ov) if ov != "<missing>" else math.inf
            f = family(m, tasklist[key].get("main_metric", "acc1"))
            if d > fam_max[f][0] or not fam_max[f][1]:
                fam_max[f] = (d, f"{key} {m}")
            flag = ""
            if d > TOL:
                task_mismatch = True
                flag = " <-"
            lines.append((key, m, fmt(rv), fmt(ov) if ov != "<missing>" else "missing", d, flag))
        if task_mismatch:
            mg = margins.get(key, math.inf)
            vm = variant.get(key)
            if vm is not None and all(delta(v, om.get(m)) <= TOL for m, v in vm.items()):
                problems.append(f"{key}: metrics differ; ours equal DataComp's exactly when its decoder does not "
                                f"convert images to RGB before resizing (RGBA / LA / P images are resized in their "
                                f"own mode by ours: premultiplied alpha, NEAREST for P)")
            elif mg < NEAR_TIE:
                near.append(f"{key}: metrics differ but the reference has a decision margin of {mg:.2e} < {NEAR_TIE:g}")
            else:
                problems.append(f"{key}: metrics differ (smallest reference decision margin {mg:.2e})")
    for k in ours:
        if k not in ref_keys:
            problems.append(f"ours wrote an extra row {k}")
    return lines, fam_max, problems, warnings_, near


def print_table(lines):
    w0 = max(len(l[0]) for l in lines)
    w1 = max(len(l[1]) for l in lines)
    print(f"{'task':{w0}}  {'metric':{w1}}  {'DataComp':>14}  {'ours':>14}  {'|Δ|':>9}")
    print("-" * (w0 + w1 + 47))
    prev = None
    for key, m, rv, ov, d, flag in lines:
        print(f"{key if key != prev else '':{w0}}  {m:{w1}}  {rv:>14}  {ov:>14}  {d:9.2e}{flag}")
        prev = key


# ------------------------------------------------------------------------------------------
# Preprocessing / embedding side check
# ------------------------------------------------------------------------------------------


def first_images(evalsets, tasks):
    """(task, key, ext, bytes) of the image member clip_benchmark uses (first of webp/png/jpg/jpeg)."""
    out = []
    for task in tasks:
        d = evalsets / folder_for(task) / "test"
        n = int((d / "nshards.txt").read_text())
        for si in range(n):
            members = OrderedDict()
            with tarfile.open(d / f"{si}.tar") as tf:
                for ti in tf.getmembers():
                    key, ext = ti.name.split(".", 1)
                    members.setdefault(key, {})[ext] = tf.extractfile(ti).read()
            for key, m in members.items():
                for ext in ("webp", "png", "jpg", "jpeg"):
                    if ext in m:
                        out.append((task, key, ext, m[ext]))
                        break
    return out


def preprocess_check(bin_path, evalsets, tasks, model_dir, work):
    """`datacomp preprocess --size 64` on the eval images against two Python orders:
    "eval" = DataComp's pipeline (webdataset's ImageHandler("pil") converts to RGB at decode, then
    OpenCLIP's transform resizes), "raw" = OpenCLIP's transform on the file as opened (resize first,
    so Pillow resizes RGBA premultiplied and P with NEAREST, then converts), which is what
    `preprocess` promises. Also the OpenCLIP image embeddings of our tensors vs the "eval" ones."""
    import open_clip
    import torch
    import torch.nn.functional as F

    images = first_images(evalsets, tasks)
    img_dir = work / "images"
    if img_dir.exists():
        shutil.rmtree(img_dir)
    img_dir.mkdir(parents=True)
    paths = []
    for task, key, ext, data in images:
        p = img_dir / f"{folder_for(task)}-{key}.{ext}"
        p.write_bytes(data)
        paths.append(str(p))
    out = work / "ours_preprocessed.npy"
    cmd = [bin_path, "preprocess", "--size", str(MODEL_CONFIG["vision_cfg"]["image_size"]), "--output", str(out)]
    for p in paths:
        cmd += ["--image", p]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return dict(error=f"datacomp preprocess failed ({r.returncode}): {r.stderr.strip()[-500:]}")
    ours = torch.from_numpy(np.load(out))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, _, transform = open_clip.create_model_and_transforms(
            ARCH, pretrained=str(model_dir / "weights.safetensors"))
    model.eval()
    ref_eval, ref_raw, kinds = [], [], []
    for task, key, ext, data in images:
        with io.BytesIO(data) as s:
            im = Image.open(s)
            im.load()
        kinds.append(f"{im.format} {im.mode}")
        ref_raw.append(transform(im))
        ref_eval.append(transform(im.convert("RGB")))  # webdataset ImageHandler("pil")
    ref_eval, ref_raw = torch.stack(ref_eval), torch.stack(ref_raw)
    d_eval = (ours - ref_eval).abs().flatten(1).max(1).values
    d_raw = (ours - ref_raw).abs().flatten(1).max(1).values
    by_kind = OrderedDict()
    for k, a, b in zip(kinds, d_eval.tolist(), d_raw.tolist()):
        n, ma, mb = by_kind.get(k, (0, 0.0, 0.0))
        by_kind[k] = (n + 1, max(ma, a), max(mb, b))
    with torch.no_grad():
        e_ref = F.normalize(model.encode_image(ref_eval), dim=-1)
        e_our = F.normalize(model.encode_image(ours), dim=-1)
    emb = (e_ref - e_our).abs().max(1).values
    exact = [i for i, v in enumerate(d_eval.tolist()) if v == 0]
    return dict(images=len(images), by_kind=by_kind, eval_max=float(d_eval.max()), raw_max=float(d_raw.max()),
                embedding_max=float(emb.max()),
                embedding_max_same_input=float(emb[exact].max()) if exact else None,
                n_exact=len(exact))


# ------------------------------------------------------------------------------------------
# main
# ------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scratch", default=os.environ.get("EVAL_PARITY_SCRATCH", "/work/scratch/eval-parity"))
    ap.add_argument("--datacomp-bin", default=os.environ.get("DATACOMP_BIN", str(ROOT / ".build/release/datacomp")))
    ap.add_argument("--tasks", default=",".join(ALL_TASKS))
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--num-workers", type=int, default=2, help="ours (DataComp's loaders use 4)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads for the reference")
    ap.add_argument("--reference-only", action="store_true")
    ap.add_argument("--no-preprocess-check", action="store_true")
    ap.add_argument("--rgb-only", action="store_true",
                    help="images in RGB and L modes only (no RGBA / LA / P), for which converting to RGB before "
                         "or after resizing gives the same tensor")
    args = ap.parse_args()

    scratch = Path(args.scratch).resolve()
    if str(scratch).startswith(str(ROOT) + os.sep) or scratch == ROOT:
        sys.exit("--scratch must be outside the repository")
    if not (DATACOMP_DIR / "eval_utils" / "main.py").exists():
        print(f"DataComp checkout not found at {DATACOMP_DIR}; make one with\n  mkdir -p /tmp/datacomp && "
              "git -C /work/.mirror/mlfoundations+datacomp/repo archive HEAD | tar -x -C /tmp/datacomp")
        return 2
    tasks = [t for t in args.tasks.split(",") if t]
    for t in tasks:
        if t not in ALL_TASKS:
            print(f"unknown task {t}; this script builds {', '.join(ALL_TASKS)}")
            return 2

    import torch

    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore")

    # 1-2: inputs (seeded; rewritten on every run)
    evalsets, model_dir = scratch / "evalsets", scratch / "model"
    for d in (evalsets, model_dir):
        if d.exists():
            shutil.rmtree(d)
    evalsets.mkdir(parents=True)
    rng = np.random.default_rng(SEED)
    model_info = make_model(model_dir)
    set_info = make_evalsets(evalsets, rng, rgb_only=args.rgb_only)
    n_images = sum(len(v) for v in set_info.values())
    kinds = OrderedDict()
    for v in set_info.values():
        for d in v:
            k = " ".join(d.split()[:2])
            kinds[k] = kinds.get(k, 0) + 1
    print(f"model: {ARCH} {json.dumps(MODEL_CONFIG)}; {model_info['parameters']:,} parameters, "
          f"weights sha256 {model_info['sha256'][:16]}…")
    print(f"eval sets: {n_images} images in {evalsets} ({', '.join(f'{k} {n}' for k, n in kinds.items())})")

    # 3: DataComp
    ref_dir = scratch / "reference"
    ref_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    ref_rows, tasklist, ref_times = run_reference(tasks, model_dir, evalsets, args.batch_size,
                                                  ref_dir / "eval_results.jsonl")
    print(f"DataComp evaluate_model: {len(ref_rows)} tasks in {time.time() - t0:.1f} s "
          f"({', '.join(f'{k} {v:.1f} s' for k, v in ref_times.items())})")
    margins = reference_margins(tasks)
    for k in tasks:
        if k in margins:
            print(f"  smallest decision margin {k}: {margins[k]:.2e}")
    if args.reference_only:
        for r in ref_rows:
            print(json.dumps(r))

    bin_path = args.datacomp_bin
    if not os.access(bin_path, os.X_OK):
        print(f"no datacomp binary at {bin_path} (set DATACOMP_BIN or --datacomp-bin)")
        return 0 if args.reference_only else 2
    # 6 (run first, it needs only `datacomp preprocess`): preprocessing / embeddings
    if not args.no_preprocess_check:
        pc = preprocess_check(bin_path, evalsets, tasks, model_dir, scratch / "preprocess")
        print()
        if "error" in pc:
            print("preprocess check: " + pc["error"])
        else:
            print(f"preprocessing: `datacomp preprocess --size 64` against Python, max |Δ| per image "
                  f"(normalised units), {pc['images']} eval images:")
            print(f"  {'format mode':14s} {'n':>4s}  {'vs DataComp eval order':>24s}  {'vs OpenCLIP on the raw file':>28s}")
            for k, (n, a, b) in pc["by_kind"].items():
                print(f"  {k:14s} {n:4d}  {a:24.2e}  {b:28.2e}")
            print("  (DataComp: webdataset converts to RGB at decode, then resizes; OpenCLIP on a raw RGBA / P file "
                  "resizes first, premultiplied / NEAREST)")
            print(f"  OpenCLIP image embeddings (normalised) of our tensors vs DataComp-order ones: max |Δ| "
                  f"{pc['embedding_max']:.2e}; over the {pc['n_exact']} bit-identical inputs "
                  + (f"{pc['embedding_max_same_input']:.2e}" if pc["embedding_max_same_input"] is not None else "n/a"))
        print("  (the CLI does not expose its embeddings; the Swift forward pass alone matches OpenCLIP to "
              "≤ 1.5e-6, Tests/Fixtures/clip)")

    if args.reference_only:
        return 0

    # 4: ours
    our_dir = scratch / "ours"
    cmd = [bin_path, "evaluate", "--checkpoint", str(model_dir / "weights.safetensors"),
           "--model-config", str(model_dir / "model_config.json"), "--data-dir", str(evalsets),
           "--output-dir", str(our_dir), "--tasks", ",".join(tasks), "--batch-size", str(args.batch_size),
           "--num-workers", str(args.num_workers), "--overwrite"]
    print("ours: " + " ".join(cmd))
    t0 = time.time()
    r = subprocess.run(cmd, capture_output=True, text=True)
    our_time = time.time() - t0
    (scratch / "ours_stdout.txt").write_text(r.stdout)
    (scratch / "ours_stderr.txt").write_text(r.stderr)
    if r.returncode != 0:
        print(f"datacomp evaluate failed with exit status {r.returncode} after {our_time:.1f} s:")
        print((r.stderr or r.stdout).strip()[-3000:])
        return 2
    results = our_dir / "eval_results.jsonl"
    if not results.exists():
        print(f"datacomp evaluate wrote no {results}")
        return 2
    our_rows = [json.loads(l) for l in results.read_text().splitlines() if l.strip()]
    print(f"datacomp evaluate: {len(our_rows)} rows in {our_time:.1f} s")

    # 5: compare
    differing = [r["key"] for r in ref_rows if any(
        delta(v, next((o["metrics"].get(m) for o in our_rows if o["key"] == r["key"]), None)) > TOL
        for m, v in r["metrics"].items())]
    variant_rows = None
    if differing:
        variant_rows = run_reference_decode_variant(differing, model_dir, evalsets, args.batch_size,
                                                    ref_dir / "eval_results.decode_without_rgb.jsonl")
    lines, fam_max, problems, warns, near = compare(ref_rows, our_rows, margins, tasklist, variant_rows)
    print()
    print_table(lines)
    print()
    print("largest |Δ| per metric family:")
    for f, (d, where) in fam_max.items():
        print(f"  {f:18s} {d:.2e}" + (f"  ({where})" if where and d > 0 else ""))

    print()
    for w in warns:
        print("warning: " + w)
    for n in near:
        print("near tie: " + n)
    for p in problems:
        print("MISMATCH: " + p)
    if problems:
        print(f"FAILED: {len(problems)} difference(s) beyond the tolerance")
        return 1
    n_metrics = len(lines)
    print(f"OK: {len(ref_rows)} tasks, {n_metrics} metrics; every value within {TOL:g}"
          + (f" except {len(near)} near-tie task(s)" if near else "")
          + (f"; {len(warns)} warning(s)" if warns else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
