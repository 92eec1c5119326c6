"""Times the Python reference for the work the Swift benchmarks do, on one core.

Usage: python bench.py DATA_DIR  -> prints one JSON object {benchmark name: items per second}
Each timing is the median of several passes over the same inputs the Swift benchmarks use.
"""
import glob, json, os, sys, time
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import torch
torch.set_num_threads(1)
from PIL import Image
import open_clip
import webdataset as wds
import pandas as pd

data = sys.argv[1]
results = {}

def best_rate(fn, items, passes=5):
    """Items per second from the median wall-clock time of `passes` runs (the Swift side also
    reports the median iteration)."""
    times = []
    for _ in range(passes):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return items / sorted(times)[len(times) // 2]

# 1. JPEG decode + OpenCLIP evaluation transform (Pillow + torchvision), as OpenCLIP's preprocess.
preprocess = open_clip.image_transform(224, is_train=False)
files = sorted(glob.glob(os.path.join(data, "jpeg", "*.jpg")))
blobs = [open(f, "rb").read() for f in files]
import io
def decode_and_transform():
    for b in blobs:
        preprocess(Image.open(io.BytesIO(b)))
results["JPEG decode + evaluation transform"] = best_rate(decode_and_transform, len(blobs))

# 2. Subset files: DataComp's baselines sort the structured array and np.save it; readers np.load it.
unsorted = np.load(os.path.join(data, "subset_uids.npy"))
out = os.path.join(data, "py_subset.npy")
def write_subset():
    a = unsorted.copy(); a.sort(); np.save(out, a)
results["Subset write (sort + save)"] = best_rate(write_subset, len(unsorted))
def read_subset():
    a = np.load(os.path.join(data, "subset.npy"))
    assert a.dtype == np.dtype("u8,u8")
results["Subset read"] = best_rate(read_subset, len(unsorted))

# 3. Tar shard read: webdataset groups members into samples (no image decoding).
shard = os.path.join(data, "shard.tar")
def read_tar():
    n = 0
    for _ in wds.WebDataset(shard, shardshuffle=False):
        n += 1
    assert n == 2000
results["Tar read (samples)"] = best_rate(read_tar, 2000)

# 4. Pool metadata: pandas.read_parquet of the columns the CLIP-score and basic filters read.
parquet = os.path.join(data, "datacomp_1m.parquet")
pool_columns = ["uid", "text", "clip_b32_similarity_score", "clip_l14_similarity_score"]
def read_parquet():
    frame = pd.read_parquet(parquet, columns=pool_columns)
    assert len(frame) == 1_000_000
results["Parquet read uid text scores"] = best_rate(read_parquet, 1_000_000)
# 5. CLIP tokenizer: OpenCLIP's SimpleTokenizer (open_clip.tokenize) on the same captions.
captions = open(os.path.join(data, "captions.txt"), encoding="utf-8").read().split("\n")[:-1]
def tokenize():
    open_clip.tokenize(captions)
results["Tokenize captions"] = best_rate(tokenize, len(captions), passes=3)
print(json.dumps(results))
