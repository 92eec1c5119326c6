#!/usr/bin/env python3
"""Training speed, side by side: `datacomp train` (native CPU trainer) against OpenCLIP's own
training (`open_clip_train.main`, fp32, CPU) with the same model config, batch size, data and
thread budget. Called by Benchmarks/train-compare.sh; see its header.

For each case it runs both trainers for STEPS steps on the same webdataset shards (JPEGs of the
model's image size + captions, made once), without augmentation, and reports the median
samples/second over the steps after the first two (ours: train_log.jsonl's samples_per_second;
OpenCLIP: the per-step "N/s" of its log with --log-every-n-steps 1), and each process's peak RSS.
"""
import argparse
import io
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tarfile

import numpy as np
from PIL import Image

CASES = {
    "mini-RN": dict(config={"embed_dim": 64, "vision_cfg": {"image_size": 32, "layers": [1, 1, 1, 1], "width": 16,
                                                             "head_width": 64},
                            "text_cfg": {"context_length": 20, "vocab_size": 49408, "width": 64, "heads": 2,
                                         "layers": 2}}, batch=128, target=1.3),
    "mini-ViT": dict(config={"embed_dim": 64, "vision_cfg": {"image_size": 32, "layers": 2, "width": 64,
                                                              "patch_size": 8, "head_width": 32},
                             "text_cfg": {"context_length": 20, "vocab_size": 49408, "width": 64, "heads": 2,
                                          "layers": 2}}, batch=128, target=1.3),
    "ViT-B-32": dict(config=None, batch=32, target=1.0),
}
WORDS = ["red", "green", "blue", "small", "large", "circle", "square", "star", "on", "a", "grey", "striped"]


def make_shards(folder, size, count, seed=0):
    if (folder / "done").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    per_shard = 512
    for shard in range((count + per_shard - 1) // per_shard):
        with tarfile.open(folder / f"{shard:08d}.tar", "w") as tar:
            for i in range(shard * per_shard, min(count, (shard + 1) * per_shard)):
                base = rng.integers(0, 256, size=3)
                pixels = np.clip(base + rng.normal(0, 25, size=(size, size, 3)), 0, 255).astype(np.uint8)
                buffer = io.BytesIO()
                Image.fromarray(pixels).save(buffer, format="JPEG", quality=90)
                caption = " ".join(rng.choice(WORDS, size=int(rng.integers(3, 9))))
                for ext, data in (("jpg", buffer.getvalue()), ("txt", caption.encode())):
                    info = tarfile.TarInfo(f"{i:09d}.{ext}")
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
    (folder / "done").write_text("ok\n")


def timed(command, env):
    """Runs a command under /usr/bin/time -v; returns (stdout+stderr, peak RSS in MB)."""
    result = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True, env=env)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"{' '.join(command[:6])} … failed:\n{output[-3000:]}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", output)
    return output, (int(peak.group(1)) / 1024 if peak else float("nan"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--datacomp-bin", required=True)
    parser.add_argument("--openclip-python", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cases", default="mini-RN,mini-ViT,ViT-B-32")
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    rows = []
    for name in args.cases.split(","):
        case = CASES[name]
        size = case["config"]["vision_cfg"]["image_size"] if case["config"] else 224
        batch = case["batch"]
        count = batch * (args.steps + 1)
        shards = work / f"shards-{size}px-{count}"
        make_shards(shards, size, count)
        if case["config"]:
            config_path = work / f"{name}.json"
            config_path.write_text(json.dumps(case["config"]))
            model_dir = work / f"{name}-openclip"
            model_dir.mkdir(exist_ok=True)
            (model_dir / "open_clip_config.json").write_text(json.dumps({"model_cfg": case["config"]}))
            ours_model, openclip_model = str(config_path), f"local-dir:{model_dir}"
        else:
            ours_model, openclip_model = name, name

        ours_dir = work / f"ours-{name}"
        subprocess.run(["rm", "-rf", str(ours_dir)])
        _, ours_peak = timed([args.datacomp_bin, "train", "--model-config", ours_model, "--data-dir", str(shards),
                              "--output-dir", str(ours_dir), "--batch-size", str(batch), "--steps", str(args.steps),
                              "--no-augment", "--num-workers", str(args.threads), "--checkpoint-interval",
                              str(args.steps)], env)
        log = [json.loads(line) for line in (ours_dir / "train_log.jsonl").read_text().splitlines()]
        ours = statistics.median(row["samples_per_second"] for row in log[2:])

        logs = work / f"openclip-{name}"
        subprocess.run(["rm", "-rf", str(logs)])
        output, openclip_peak = timed(
            [args.openclip_python, "-m", "open_clip_train.main", "--train-data",
             str(shards / f"{{00000000..{len(list(shards.glob('*.tar'))) - 1:08d}}}.tar"),
             "--train-num-samples", str(batch * args.steps), "--dataset-type", "webdataset", "--batch-size",
             str(batch), "--epochs", "1", "--lr", "5e-4", "--warmup", "1", "--precision", "fp32", "--workers", "1",
             "--model", openclip_model, "--logs", str(logs), "--name", "run", "--log-every-n-steps", "1",
             "--save-frequency", "0", "--seed", "0"], env)
        speeds = [float(m) for m in re.findall(r"Batch \(t\): [0-9.]+, ([0-9.]+)/s", output)]
        reference = statistics.median(speeds[2:]) if len(speeds) > 2 else float("nan")
        rows.append((name, batch, ours, reference, ours / reference, case["target"], ours_peak, openclip_peak))
        print(f"{name}: ours {ours:.1f} samples/s, OpenCLIP {reference:.1f} samples/s "
              f"({ours / reference:.2f}x, target {case['target']}x); peak RSS ours {ours_peak:.0f} MB, "
              f"OpenCLIP {openclip_peak:.0f} MB", flush=True)
    print()
    print("| model | batch | ours (samples/s) | OpenCLIP (samples/s) | ratio | target | peak RSS ours / OpenCLIP (MB) |")
    print("|---|---|---|---|---|---|---|")
    for name, batch, ours, reference, ratio, target, a, b in rows:
        print(f"| {name} | {batch} | {ours:.1f} | {reference:.1f} | {ratio:.2f}x | {target}x | {a:.0f} / {b:.0f} |")


if __name__ == "__main__":
    main()
