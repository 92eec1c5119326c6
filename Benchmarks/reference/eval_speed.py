#!/usr/bin/env python3
"""Zero-shot classification speed: DataComp's evaluation code against `datacomp evaluate`, side by
side (driver of Benchmarks/eval-compare.sh). Three subcommands:

  make-data --out BENCH_DATA [--images 2000] [--shards 4] [--seed 1]
      (needs torch, open_clip 3.3, safetensors, Pillow, numpy: /work/refenv or /work/evalenv)
      BENCH_DATA/ViT-B-32.json             OpenCLIP's model_configs/ViT-B-32.json, verbatim
      BENCH_DATA/vit-b-32-random.safetensors  open_clip.create_model("ViT-B-32") after
                                           torch.manual_seed(0) (OpenCLIP's random init), state_dict
                                           with OpenCLIP's names, fp32 (605 MB)
      BENCH_DATA/evalsets/wds_cifar10_test/  DataComp's wds layout: classnames.txt (CIFAR-10's 10
                                           names), zeroshot_classification_templates.txt (CLIP's 18
                                           CIFAR templates), test/nshards.txt, test/0..S-1.tar with
                                           s%07d.jpg + .cls; seeded "photo-like" JPEGs (gradients,
                                           low-frequency colour, shapes, blur, noise), 200-640 px a
                                           side, quality 75-95, 4:2:0
      BENCH_DATA/manifest.json             what was made (images, sizes, bytes, seed)

  run --datacomp-dir D --data-root BENCH_DATA/evalsets --checkpoint F --threads T --workers W
      --json OUT  (the Python side; needs DataComp's eval env: /work/evalenv)
      torch.set_num_threads(T), then DataComp's unmodified
      eval_utils.wds_eval.evaluate_webdataset("cifar10", "ViT-B-32", F, data_root, dataset_len=N,
      batch_size=64, num_workers=W) (OpenCLIP's create_model_and_transforms + clip_benchmark's
      zero_shot_classifier / run_classification, CPU fp32). Writes the metrics and, from pass-through
      timers around create_model / zero_shot_classifier / run_classification, where the time went.

  compare --datacomp-bin B --python P --datacomp-dir D --bench-data BENCH_DATA --work W
      [--workers 2] [--threads 2] [--python-workers 2,4] [--repeats 2] [--idle-cores 0.3]
      [--max-wait 600] [--json OUT]  (standard library only)
      Times whole processes with filters_compare.measure (waits for an idle machine first, reruns a
      run that overlapped other work, reports the CPU others used): `P eval_speed.py run …` once per
      --python-workers value and `B evaluate --checkpoint … --model-config … --data-dir …
      --output-dir … --tasks cifar10 --num-workers W --overwrite`, alternating, --repeats times.
      Prints images/second (N images / whole-process wall clock), the ratio of the medians (target
      ≥ 1× against the Python side with the same worker count) and whether acc1 (and acc5,
      mean_per_class_recall) agree.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CIFAR10 = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
TEMPLATES = [  # CLIP's CIFAR-10 templates (as clip_benchmark / DataComp's wds_cifar10_test carry them)
    "a photo of a {c}.", "a blurry photo of a {c}.", "a black and white photo of a {c}.",
    "a low contrast photo of a {c}.", "a high contrast photo of a {c}.", "a bad photo of a {c}.",
    "a good photo of a {c}.", "a photo of a small {c}.", "a photo of a big {c}.",
    "a photo of the {c}.", "a blurry photo of the {c}.", "a black and white photo of the {c}.",
    "a low contrast photo of the {c}.", "a high contrast photo of the {c}.",
    "a bad photo of the {c}.", "a good photo of the {c}.", "a photo of the small {c}.",
    "a photo of the big {c}.",
]
ARCH = "ViT-B-32"
CHECKPOINT = "vit-b-32-random.safetensors"
CONFIG = "ViT-B-32.json"


# ------------------------------------------------------------------------------------------------
# make-data


def photo(rng, w, h):
    import math

    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter

    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 2 * math.pi)
    t = ((xx / w - 0.5) * math.cos(a) + (yy / h - 0.5) * math.sin(a) + 0.5).clip(0, 1)[..., None]
    img = rng.uniform(0, 255, 3).astype(np.float32) * (1 - t) + rng.uniform(0, 255, 3).astype(np.float32) * t
    lf = rng.normal(128, rng.uniform(10, 50), (int(rng.integers(2, 7)), int(rng.integers(2, 7)), 3))
    img += np.asarray(Image.fromarray(lf.clip(0, 255).astype(np.uint8)).resize((w, h), Image.BICUBIC),
                      dtype=np.float32) - 128
    im = Image.fromarray(img.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(im, "RGBA")
    for _ in range(int(rng.integers(3, 15))):
        col = tuple(int(v) for v in rng.integers(0, 256, 3)) + (int(rng.integers(80, 256)),)
        x0, y0 = rng.uniform(-0.2, 1.0) * w, rng.uniform(-0.2, 1.0) * h
        x1, y1 = x0 + rng.uniform(0.05, 0.6) * w, y0 + rng.uniform(0.05, 0.6) * h
        kind = int(rng.integers(0, 4))
        if kind == 0:
            draw.ellipse([x0, y0, x1, y1], fill=col)
        elif kind == 1:
            draw.rectangle([x0, y0, x1, y1], fill=col)
        elif kind == 2:
            draw.polygon([(float(rng.uniform(0, w)), float(rng.uniform(0, h))) for _ in range(int(rng.integers(3, 8)))],
                         fill=col)
        else:
            draw.line([x0, y0, x1, y1], fill=col, width=int(rng.integers(1, max(2, min(w, h) // 12))))
    im = im.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.3, 1.5))))
    noise = rng.normal(0, rng.uniform(2, 12), (h, w, 3)).astype(np.float32)
    return Image.fromarray((np.asarray(im, dtype=np.float32) + noise).clip(0, 255).round().astype(np.uint8), "RGB")


def make_data(args):
    import io
    import shutil
    import tarfile

    import numpy as np
    import open_clip
    import torch
    from safetensors.torch import save_file

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    # model: OpenCLIP's config file verbatim, OpenCLIP's random init
    src = os.path.join(os.path.dirname(open_clip.__file__), "model_configs", CONFIG)
    shutil.copyfile(src, os.path.join(out, CONFIG))
    ckpt = os.path.join(out, CHECKPOINT)
    if not os.path.exists(ckpt):
        torch.manual_seed(0)
        model = open_clip.create_model(ARCH)
        save_file({k: v.detach().contiguous() for k, v in model.state_dict().items()}, ckpt + ".tmp")
        os.replace(ckpt + ".tmp", ckpt)
    # eval set
    root = os.path.join(out, "evalsets", "wds_cifar10_test")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "test"))
    with open(os.path.join(root, "classnames.txt"), "w") as f:
        f.write("\n".join(CIFAR10) + "\n")
    with open(os.path.join(root, "zeroshot_classification_templates.txt"), "w") as f:
        f.write("\n".join(TEMPLATES) + "\n")
    with open(os.path.join(root, "test", "nshards.txt"), "w") as f:
        f.write("%d\n" % args.shards)
    rng = np.random.default_rng(args.seed)
    per = [args.images // args.shards + (1 if s < args.images % args.shards else 0) for s in range(args.shards)]
    k, total, pixels = 0, 0, 0
    for s, n in enumerate(per):
        with tarfile.open(os.path.join(root, "test", "%d.tar" % s), "w", format=tarfile.USTAR_FORMAT) as tf:
            for _ in range(n):
                w, h = int(rng.integers(200, 641)), int(rng.integers(200, 641))
                b = io.BytesIO()
                photo(rng, w, h).save(b, format="jpeg", quality=int(rng.integers(75, 96)))
                members = {"cls": str(int(rng.integers(0, 10))).encode(), "jpg": b.getvalue()}
                for ext in sorted(members):
                    ti = tarfile.TarInfo("s%07d.%s" % (k, ext))
                    ti.size, ti.mtime, ti.mode = len(members[ext]), 1700000000, 0o444
                    ti.uname = ti.gname = "bigdata"
                    tf.addfile(ti, io.BytesIO(members[ext]))
                total += len(members["jpg"])
                pixels += w * h
                k += 1
    manifest = {"images": k, "shards": args.shards, "seed": args.seed, "jpeg_bytes": total,
                "mean_pixels": pixels / k, "model": ARCH, "checkpoint": CHECKPOINT, "config": CONFIG,
                "open_clip": open_clip.__version__, "torch": torch.__version__}
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(manifest))


# ------------------------------------------------------------------------------------------------
# run (the timed Python side)


def run(args):
    started = time.perf_counter()
    import torch

    torch.set_num_threads(args.threads)
    sys.path.insert(0, args.datacomp_dir)
    from clip_benchmark.metrics import zeroshot_classification as zsc

    import eval_utils.wds_eval as wds_eval

    imported = time.perf_counter()
    phases = {}

    def timed(name, fn):
        def wrapper(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    # pass-through timers (DataComp's code itself is unchanged)
    wds_eval.create_model = timed("create_model", wds_eval.create_model)
    zsc.zero_shot_classifier = timed("zero_shot_classifier", zsc.zero_shot_classifier)
    zsc.run_classification = timed("run_classification", zsc.run_classification)
    metrics = wds_eval.evaluate_webdataset("cifar10", ARCH, args.checkpoint, data_root=args.data_root,
                                           dataset_len=args.images, batch_size=args.batch_size,
                                           num_workers=args.workers)
    done = time.perf_counter()
    out = {"metrics": {k: (float(v) if v is not None else None) for k, v in metrics.items()},
           "threads": torch.get_num_threads(), "workers": args.workers, "import_s": imported - started,
           "evaluate_s": done - imported, "phases_s": phases, "torch": torch.__version__}
    with open(args.json, "w") as f:
        json.dump(out, f)
    print(json.dumps(out))


# ------------------------------------------------------------------------------------------------
# compare (driver)


def compare(opts):
    sys.path.insert(0, HERE)
    from filters_compare import loadavg, measure

    data = os.path.abspath(opts.bench_data)
    with open(os.path.join(data, "manifest.json")) as f:
        manifest = json.load(f)
    n = manifest["images"]
    ckpt, config = os.path.join(data, CHECKPOINT), os.path.join(data, CONFIG)
    evalsets = os.path.join(data, "evalsets")
    os.makedirs(opts.work, exist_ok=True)
    started = datetime.datetime.now().isoformat(timespec="seconds")
    print("started %s, load %s; %d images (mean %.0f px), %s random init" % (
        started, loadavg(), n, manifest["mean_pixels"], ARCH), flush=True)
    import glob
    for path in [ckpt] + sorted(glob.glob(os.path.join(evalsets, "wds_cifar10_test", "test", "*.tar"))):
        # both sides read the inputs from the page cache
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass
    py_workers = [int(w) for w in opts.python_workers.split(",") if w]
    py_runs = {w: [] for w in py_workers}
    py_metrics = {w: [] for w in py_workers}
    sw_runs, sw_metrics = [], []
    sw_out = os.path.join(opts.work, "ours")

    def clean_ours():
        import shutil
        shutil.rmtree(sw_out, ignore_errors=True)

    for repeat in range(opts.repeats):
        for w in py_workers:
            out = os.path.join(opts.work, "python-w%d.json" % w)
            py_runs[w].append(measure(opts, "DataComp evaluate_webdataset T=%d W=%d #%d" % (opts.threads, w, repeat + 1),
                                      [opts.python, os.path.abspath(__file__), "run", "--datacomp-dir", opts.datacomp_dir,
                                       "--data-root", evalsets, "--checkpoint", ckpt, "--threads", str(opts.threads),
                                       "--workers", str(w), "--images", str(n), "--batch-size", str(opts.batch_size),
                                       "--json", out], log=os.path.join(opts.work, "python-w%d.log" % w)))
            with open(out) as f:
                py_metrics[w].append(json.load(f))
            p = py_metrics[w][-1]
            print("    python: imports %.1f s, create_model %.1f s, classifier %.1f s, images %.1f s" % (
                p["import_s"], p["phases_s"].get("create_model", 0), p["phases_s"].get("zero_shot_classifier", 0),
                p["phases_s"].get("run_classification", 0)), flush=True)
        sw_runs.append(measure(opts, "datacomp evaluate --num-workers %d #%d" % (opts.workers, repeat + 1),
                               [opts.datacomp_bin, "evaluate", "--checkpoint", ckpt, "--model-config", config,
                                "--data-dir", evalsets, "--output-dir", sw_out, "--tasks", "cifar10",
                                "--batch-size", str(opts.batch_size), "--num-workers", str(opts.workers), "--overwrite"],
                               log=os.path.join(opts.work, "ours.log"), setup=clean_ours))
        with open(os.path.join(sw_out, "eval_results.jsonl")) as f:
            rows = [json.loads(line) for line in f if line.strip()]
        sw_metrics.append([r for r in rows if r["key"] == "cifar10"][0]["metrics"])

    def versions():
        def run_(cmd):
            try:
                return subprocess.run(cmd, capture_output=True, text=True, timeout=300).stdout.strip()
            except Exception:
                return "?"
        py = run_([opts.python, "-c", "import sys, torch, open_clip, importlib.metadata as m; print('Python %s, torch %s "
                   "(%s), open_clip %s, clip_benchmark %s, webdataset %s, Pillow %s, numpy %s' % (sys.version.split()[0], "
                   "torch.__version__, torch.backends.cpu.get_cpu_capability(), open_clip.__version__, "
                   "m.version('clip_benchmark'), m.version('webdataset'), m.version('pillow'), m.version('numpy')))"])
        commit = run_(["git", "-C", opts.datacomp_dir, "rev-parse", "--short", "HEAD"])
        if not commit and opts.datacomp_commit:
            commit = opts.datacomp_commit
        commit = commit or "(not a git checkout)"
        cpu = "?"
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        py = py.splitlines()[-1] if py else "?"  # open_clip may print huggingface_hub import notes first
        return {"Python side": py, "DataComp checkout": commit,
                "machine": "%s, %d cores, %.0f GB RAM, %s" % (cpu, os.cpu_count(), os.sysconf("SC_PAGE_SIZE") *
                                                             os.sysconf("SC_PHYS_PAGES") / 2**30, platform.platform()),
                "datacomp binary": "%s (%s)%s" % (opts.datacomp_bin, datetime.datetime.fromtimestamp(
                    os.path.getmtime(opts.datacomp_bin)).isoformat(timespec="seconds"),
                    (", built from " + opts.binary_commit) if opts.binary_commit else "")}

    info = versions()

    def overlapped(r):  # the same rule measure() uses to run again
        return r["others_cpu"] > max(1.0, 0.05 * r["wall"])

    def median_wall(runs):
        """Median over the runs that did not overlap other work (all runs if none is clean)."""
        clean = [r for r in runs if not overlapped(r)] or runs
        return statistics.median(r["wall"] for r in clean)

    def walls(runs):
        return " / ".join("%.1f%s" % (r["wall"], "*" if overlapped(r) else "") for r in runs)

    sw_med = median_wall(sw_runs)
    print()
    print("Zero-shot classification, %s (random init) on %d JPEGs (%s shards, 200-640 px), 10 classes x 18 "
          "templates, batch %d: whole-process wall clock, %d runs each (listed in run order; * = overlapped other "
          "work even after two reruns, left out of the median when a clean run exists); images/s = %d / median "
          "wall" % (ARCH, n, manifest["shards"], opts.batch_size, opts.repeats, n))
    for key, value in info.items():
        print("  %s: %s" % (key, value))
    print("  started %s, finished %s" % (started, datetime.datetime.now().isoformat(timespec="seconds")))
    print()
    head = ["side", "settings", "wall s", "images/s", "ratio ours / this", "target", "met", "acc1",
            "others' CPU s (max)", "max RSS MB"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    ours_acc = sorted(set(m["acc1"] for m in sw_metrics))
    rows = []
    for w in py_workers:
        runs = py_runs[w]
        med = median_wall(runs)
        accs = sorted(set(m["metrics"]["acc1"] for m in py_metrics[w]))
        target = "1×" if w == opts.workers else "-"
        ratio = med / sw_med
        rows.append(["DataComp (Python)", "torch threads %d, DataLoader workers %d" % (opts.threads, w),
                     walls(runs), "%.1f" % (n / med), "%.2f×" % ratio, target,
                     ("yes" if ratio >= 1 else "NO") if target != "-" else "-", " / ".join("%.4f" % a for a in accs),
                     "%.1f" % max(r["others_cpu"] for r in runs), "%.0f" % (max(r["rss_kb"] for r in runs) / 1024)])
    rows.append(["ours", "--num-workers %d" % opts.workers, walls(sw_runs),
                 "%.1f" % (n / sw_med), "-", "-", "-", " / ".join("%.4f" % a for a in ours_acc),
                 "%.1f" % max(r["others_cpu"] for r in sw_runs), "%.0f" % (max(r["rss_kb"] for r in sw_runs) / 1024)])
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    # correctness: every metric of every run against the first Python run
    ref = py_metrics[py_workers[0]][0]["metrics"]
    worst = {}
    for m in sw_metrics + [p["metrics"] for w in py_workers for p in py_metrics[w]]:
        for key in ("acc1", "acc5", "mean_per_class_recall"):
            a, b = ref.get(key), m.get(key)
            d = 0.0 if a == b else (abs(a - b) if a is not None and b is not None else float("inf"))
            worst[key] = max(worst.get(key, 0.0), d)
    agree = all(v <= 1e-12 for v in worst.values())
    print("metrics: DataComp %s; ours %s -> %s (max |Δ| %s)" % (
        json.dumps({k: ref.get(k) for k in ("acc1", "acc5", "mean_per_class_recall")}),
        json.dumps({k: sw_metrics[0].get(k) for k in ("acc1", "acc5", "mean_per_class_recall")}),
        "agree" if agree else "DIFFER", ", ".join("%s %.2g" % kv for kv in worst.items())))
    if opts.json:
        with open(opts.json, "w") as f:
            json.dump({"started": started, "info": info, "images": n, "python": {str(w): {"runs": py_runs[w],
                       "metrics": py_metrics[w]} for w in py_workers}, "ours": {"runs": sw_runs, "metrics": sw_metrics}},
                      f, indent=1)
    return 0 if agree else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make-data")
    m.add_argument("--out", required=True)
    m.add_argument("--images", type=int, default=2000)
    m.add_argument("--shards", type=int, default=4)
    m.add_argument("--seed", type=int, default=1)
    r = sub.add_parser("run")
    r.add_argument("--datacomp-dir", required=True)
    r.add_argument("--data-root", required=True)
    r.add_argument("--checkpoint", required=True)
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--workers", type=int, default=2)
    r.add_argument("--images", type=int, default=None)
    r.add_argument("--batch-size", type=int, default=64)
    r.add_argument("--json", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--datacomp-bin", required=True)
    c.add_argument("--binary-commit", default="")
    c.add_argument("--datacomp-commit", default="", help="DataComp's commit, when --datacomp-dir is not a git checkout")
    c.add_argument("--python", required=True)
    c.add_argument("--datacomp-dir", required=True)
    c.add_argument("--bench-data", required=True)
    c.add_argument("--work", required=True)
    c.add_argument("--workers", type=int, default=2)
    c.add_argument("--threads", type=int, default=2)
    c.add_argument("--python-workers", default="2")
    c.add_argument("--batch-size", type=int, default=64)
    c.add_argument("--repeats", type=int, default=2)
    c.add_argument("--idle-cores", type=float, default=0.3)
    c.add_argument("--max-wait", type=float, default=600)
    c.add_argument("--json", default=None)
    args = ap.parse_args()
    if args.cmd == "make-data":
        return make_data(args)
    if args.cmd == "run":
        return run(args)
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
