#!/usr/bin/env python3
"""Embedding throughput, side by side: `datacomp embed --shards` against OpenCLIP's
`encode_image` + `encode_text` under `torch.no_grad()` (images decoded with PIL, converted to RGB,
OpenCLIP's evaluation transform, batches of 64; captions with OpenCLIP's tokenizer), the same
ViT-B-32 weights (safetensors), the same shards and 2 threads. Whole-process wall clock for both,
as a user runs them; prints samples/second, the ratio and the largest feature difference.

    ../evalenv/bin/python Benchmarks/reference/embed_speed.py [--work DIR] [--count 512]
"""
import argparse
import io
import os
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
from train_speed import make_shards  # noqa: E402

PYTHON_SIDE = r'''
import io, sys, tarfile, time, numpy as np, torch, open_clip
from PIL import Image
from safetensors.torch import load_file
torch.set_num_threads(int(sys.argv[3]))
model = open_clip.create_model("ViT-B-32", precision="fp32", device="cpu")
model.load_state_dict(load_file(sys.argv[1]), strict=True)
model.eval()
transform = open_clip.image_transform(224, is_train=False)
tokenizer = open_clip.get_tokenizer("ViT-B-32")
images, texts = [], []
for path in sorted(__import__("glob").glob(sys.argv[2] + "/*.tar")):
    with tarfile.open(path) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    for name in sorted(k for k in members if k.endswith(".jpg")):
        images.append(members[name]); texts.append(members[name[:-4] + ".txt"].decode())
out_i, out_t = [], []
with torch.no_grad():
    for start in range(0, len(images), 64):
        batch = torch.stack([transform(Image.open(io.BytesIO(b)).convert("RGB")) for b in images[start:start + 64]])
        out_i.append(model.encode_image(batch, normalize=True))
        out_t.append(model.encode_text(tokenizer(texts[start:start + 64]), normalize=True))
np.savez(sys.argv[4], image_features=torch.cat(out_i).numpy(), text_features=torch.cat(out_t).numpy())
'''


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "datacomp-embed-compare"))
    parser.add_argument("--count", type=int, default=512)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--datacomp-bin", default=str(ROOT / ".build/release/datacomp"))
    args = parser.parse_args()
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    shards = work / f"shards-224px-{args.count}"
    make_shards(shards, 224, args.count)
    weights = work / "vit-b-32.safetensors"
    if not weights.exists():
        import open_clip
        import torch
        from safetensors.torch import save_file
        torch.manual_seed(0)
        model = open_clip.create_model("ViT-B-32", precision="fp32", device="cpu")
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(weights))
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    start = time.time()
    subprocess.run([sys.executable, "-c", PYTHON_SIDE, str(weights), str(shards), str(args.threads),
                    str(work / "openclip.npz")], check=True, env=env, capture_output=True)
    reference = time.time() - start
    start = time.time()
    subprocess.run([args.datacomp_bin, "embed", "--model-config", "ViT-B-32", "--checkpoint", str(weights),
                    "--shards", str(shards), "--output", str(work / "ours.npz"), "--num-workers",
                    str(args.threads)], check=True, env=env, capture_output=True)
    ours = time.time() - start
    a, b = np.load(work / "ours.npz"), np.load(work / "openclip.npz")
    # Ours reads shards in shard order, samples in tar order; the Python side sorts names within a
    # shard: both are the writer's order here.
    diff = max(float(np.abs(a["image_features"] - b["image_features"]).max()),
               float(np.abs(a["text_features"] - b["text_features"]).max()))
    print(f"ViT-B-32 embed, {args.count} samples, {args.threads} threads: ours {args.count / ours:.1f} samples/s "
          f"({ours:.1f} s), OpenCLIP {args.count / reference:.1f} samples/s ({reference:.1f} s): "
          f"{reference / ours:.2f}x; largest feature difference {diff:.1e}")


if __name__ == "__main__":
    main()
