#!/usr/bin/env python3
"""Checkpoints both ways between DataComp for Swift and OpenCLIP, with the embeddings they give.
Run by hand, never by the test suite:

    ../refenv/bin/python Scripts/parity/checkpoint_parity.py [--scratch DIR] [--datacomp-bin BIN]

About a minute on two cores. Everything generated goes to --scratch (default
$TMPDIR/datacomp-checkpoint-parity), outside the repository; DATACOMP_BIN defaults to
.build/release/datacomp.

  1. Data: 24 seeded 32x32 JPEG + caption samples in two webdataset shards.
  2. Ours -> OpenCLIP, for mini-RN (ModifiedResNet, BatchNorm) and mini-ViT: `datacomp train`
     (3 steps, --no-augment --sequential) writes checkpoints/epoch_latest.safetensors; OpenCLIP
     creates the same config (open_clip.add_model_config) and load_state_dict(..., strict=True)
     must succeed; `datacomp embed --shards` and OpenCLIP (eval mode, its eval transform on the
     PIL image converted to RGB, open_clip.tokenize with the config's context length) embed the
     24 samples; the largest |difference| of the normalised image and text features is printed.
  3. OpenCLIP -> ours: an OpenCLIP model of each config (seeded init) saved as open_clip_train
     saves epoch_latest.pt ({"epoch", "name", "state_dict" with DDP's "module." prefix}); `datacomp
     embed --checkpoint epoch_latest.pt` against OpenCLIP's own features of that model.
  4. ViT-B-32 (OpenCLIP's built-in config, full tokenizer, 224 px): OpenCLIP's seeded init with a
     small perturbation, saved as safetensors; `datacomp embed --model-config ViT-B-32` against
     OpenCLIP's features (forward parity at DataComp's small and medium scale model).
Exit status 1 if any difference exceeds 1e-4 (the training issue's embedding tolerance).
"""
import argparse
import io
import json
import os
import pathlib
import subprocess
import sys
import tarfile
import tempfile

sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != pathlib.Path(__file__).resolve().parent]

import numpy as np
import open_clip
import torch
from PIL import Image
from safetensors.torch import load_file

REPO = pathlib.Path(__file__).resolve().parents[2]
CONFIGS = {
    "mini-RN": {"embed_dim": 64, "vision_cfg": {"image_size": 32, "layers": [1, 1, 1, 1], "width": 16,
                                                 "head_width": 64},
                "text_cfg": {"context_length": 20, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2}},
    "mini-ViT": {"embed_dim": 64, "vision_cfg": {"image_size": 32, "layers": 2, "width": 64, "patch_size": 8,
                                                  "head_width": 32},
                 "text_cfg": {"context_length": 20, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2}},
}
WORDS = ["red", "green", "blue", "small", "large", "circle", "square", "on", "a", "grey", "background"]


def make_shards(folder, count=24, seed=7):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    samples = []
    for i in range(count):
        base = rng.integers(0, 256, size=3)
        pixels = np.clip(base + rng.normal(0, 30, size=(32, 32, 3)), 0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="JPEG", quality=90)
        caption = " ".join(rng.choice(WORDS, size=int(rng.integers(2, 7))))
        samples.append((f"{i:09d}", buffer.getvalue(), caption))
    for shard in range(2):
        with tarfile.open(folder / f"{shard:08d}.tar", "w") as tar:
            for key, jpeg, caption in samples[shard::2]:
                for ext, data in (("jpg", jpeg), ("txt", caption.encode())):
                    info = tarfile.TarInfo(f"{key}.{ext}")
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
    # shard order, as `datacomp embed --shards` reads them
    return samples[0::2] + samples[1::2]


def openclip_model(name, config_path):
    open_clip.add_model_config(config_path)
    model = open_clip.create_model(config_path.stem, precision="fp32", device="cpu")
    model.eval()
    return model


def openclip_features(model, samples, context):
    size = model.visual.image_size
    size = size[0] if isinstance(size, (tuple, list)) else size
    transform = open_clip.image_transform(size, is_train=False)
    images = torch.stack([transform(Image.open(io.BytesIO(jpeg)).convert("RGB")) for _, jpeg, _ in samples])
    tokens = open_clip.tokenize([caption for _, _, caption in samples], context_length=context)
    with torch.no_grad():
        return (model.encode_image(images, normalize=True).numpy(),
                model.encode_text(tokens, normalize=True).numpy())


def perturb(model, scale):
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(scale * torch.randn_like(parameter))


def embedding_differences(datacomp_bin, model_config, checkpoint, shards, output, model, samples, context,
                          extra=()):
    """`datacomp embed` of the shards with a checkpoint against OpenCLIP's features of `model`:
    the largest |difference| of the image and of the text features."""
    run([datacomp_bin, "embed", "--model-config", str(model_config), "--checkpoint", str(checkpoint),
         "--shards", str(shards), "--output", str(output), *extra])
    reference_images, reference_texts = openclip_features(model, samples, context)
    archive = np.load(output)
    return (float(np.abs(archive["image_features"] - reference_images).max()),
            float(np.abs(archive["text_features"] - reference_texts).max()))


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scratch", default=os.path.join(tempfile.gettempdir(), "datacomp-checkpoint-parity"))
    parser.add_argument("--datacomp-bin", default=os.environ.get("DATACOMP_BIN", str(REPO / ".build/release/datacomp")))
    args = parser.parse_args()
    scratch = pathlib.Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    samples = make_shards(scratch / "shards")
    worst = 0.0
    torch.manual_seed(0)
    for name, config in CONFIGS.items():
        config_path = scratch / f"{name.replace('-', '_')}_parity.json"
        config_path.write_text(json.dumps(config))
        context = config["text_cfg"]["context_length"]

        # Ours -> OpenCLIP
        run_dir = scratch / f"train-{name}"
        run([args.datacomp_bin, "train", "--model-config", str(config_path), "--data-dir", str(scratch / "shards"),
             "--output-dir", str(run_dir), "--steps", "3", "--batch-size", "8", "--no-augment", "--sequential",
             "--seed", "1", "--num-workers", "2"])
        checkpoint = run_dir / "checkpoints" / "epoch_latest.safetensors"
        model = openclip_model(name, config_path)
        model.load_state_dict(load_file(str(checkpoint)), strict=True)  # raises on any missing or extra key
        image_diff, text_diff = embedding_differences(
            args.datacomp_bin, config_path, checkpoint, scratch / "shards", scratch / f"ours-{name}.npz", model,
            samples, context)
        print(f"{name}: our checkpoint loads strictly in OpenCLIP ({len(model.state_dict())} entries); "
              f"embeddings max |diff| image {image_diff:.2e}, text {text_diff:.2e}")
        worst = max(worst, image_diff, text_diff)

        # OpenCLIP -> ours
        trained = openclip_model(name, config_path)
        perturb(trained, 0.02)
        pt = scratch / f"openclip-{name}-epoch_latest.pt"
        torch.save({"epoch": 1, "name": f"{name}-parity",
                    "state_dict": {"module." + k: v for k, v in trained.state_dict().items()}}, pt)
        image_diff, text_diff = embedding_differences(
            args.datacomp_bin, config_path, pt, scratch / "shards", scratch / f"ours-from-pt-{name}.npz", trained,
            samples, context)
        print(f"{name}: OpenCLIP's epoch_latest.pt loads in ours; embeddings max |diff| image {image_diff:.2e}, "
              f"text {text_diff:.2e}")
        worst = max(worst, image_diff, text_diff)
    # ViT-B-32, OpenCLIP's built-in config.
    from safetensors.torch import save_file

    torch.manual_seed(3)
    b32 = open_clip.create_model("ViT-B-32", precision="fp32", device="cpu")
    perturb(b32, 0.01)
    b32.eval()
    weights = scratch / "vit-b-32.safetensors"
    save_file({k: v.contiguous() for k, v in b32.state_dict().items()}, str(weights))
    image_diff, text_diff = embedding_differences(
        args.datacomp_bin, "ViT-B-32", weights, scratch / "shards", scratch / "ours-vit-b-32.npz", b32, samples, 77,
        extra=("--batch-size", "8"))
    print(f"ViT-B-32: embeddings max |diff| image {image_diff:.2e}, text {text_diff:.2e}")
    worst = max(worst, image_diff, text_diff)
    print(f"largest |difference| {worst:.2e} (tolerance 1e-4)")
    sys.exit(0 if worst <= 1e-4 else 1)


if __name__ == "__main__":
    main()
