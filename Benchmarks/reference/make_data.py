"""Makes the shared benchmark inputs (deterministic), so that Swift and Python time the same files.

Usage: python make_data.py OUT_DIR
  OUT_DIR/jpeg/*.jpg      200 JPEGs shaped like img2dataset output (longest side 512, quality 95)
  OUT_DIR/subset_uids.npy 1,000,000 unsorted (f0, f1) uid pairs (the Swift side sorts and writes them)
  OUT_DIR/subset.npy      the same uids sorted, written by np.save (both sides read it)
  OUT_DIR/shard.tar       2,000 samples (jpg, json, txt) written by webdataset's TarWriter
  OUT_DIR/captions.txt         20,000 of its captions, one per line (tokenizer benchmark)
  OUT_DIR/datacomp_1m.parquet  1,000,000 rows in the DataComp metadata schema (datacomp.md §1.3),
                          written by pyarrow's defaults (snappy, dictionary with PLAIN fallback,
                          one row group): unique hex uids, captions of 1-30 words from a
                          2,000-word vocabulary (some non-ASCII), varied URLs, fp16-valued scores
"""
import io, json, os, sys
import numpy as np
from PIL import Image, ImageFilter
import webdataset as wds
import pyarrow as pa
import pyarrow.parquet as pq

out = sys.argv[1]
os.makedirs(os.path.join(out, "jpeg"), exist_ok=True)
rng = np.random.default_rng(20231127)

def synthetic_photo(w, h):
    # Smooth gradients plus blurred noise and a few shapes: compresses like a photo, not like noise.
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack([128 + 100 * np.sin(x / (17 + c * 5) + y / 23 + c) for c in range(3)], -1)
    noise = rng.normal(0, 25, (h, w, 3)).astype(np.float32)
    img = Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1.2))
    return img

sizes = [(512, 384), (384, 512), (512, 341), (512, 512), (400, 300), (512, 288)]
for i in range(200):
    w, h = sizes[i % len(sizes)]
    synthetic_photo(w, h).save(os.path.join(out, "jpeg", f"{i:04d}.jpg"), quality=95)

n = 1_000_000
uids = np.empty(n, dtype=np.dtype("u8,u8"))
uids["f0"] = rng.integers(0, 2**63, n, dtype=np.uint64) * 2 + rng.integers(0, 2, n, dtype=np.uint64)
uids["f1"] = rng.integers(0, 2**63, n, dtype=np.uint64) * 2 + rng.integers(0, 2, n, dtype=np.uint64)
np.save(os.path.join(out, "subset_uids.npy"), uids)
np.save(os.path.join(out, "subset.npy"), np.sort(uids))

jpegs = [open(os.path.join(out, "jpeg", f"{i:04d}.jpg"), "rb").read() for i in range(50)]
with wds.TarWriter(os.path.join(out, "shard.tar")) as sink:
    for i in range(2000):
        uid = "%016x%016x" % (int(uids["f0"][i]), int(uids["f1"][i]))
        meta = {"uid": uid, "caption": f"a photo number {i}", "key": f"{i:012d}", "status": "success"}
        sink.write({"__key__": f"{i:012d}", "jpg": jpegs[i % 50], "txt": f"a photo number {i}",
                    "json": json.dumps(meta, indent=4).encode()})


def make_datacomp_parquet(path, n=1_000_000):
    r = np.random.default_rng(20231128)
    hi = r.integers(0, 2**63, n, dtype=np.uint64) * 2 + r.integers(0, 2, n, dtype=np.uint64)
    lo = r.integers(0, 2**63, n, dtype=np.uint64) * 2 + r.integers(0, 2, n, dtype=np.uint64)
    uids = ["%016x%016x" % pair for pair in zip(hi.tolist(), lo.tolist())]
    syllables = ["ka", "lo", "mi", "ne", "ro", "ta", "vu", "shi", "bel", "dor", "gar", "qui", "zen", "é", "ö", "ñ"]
    vocabulary = np.array(["".join(r.choice(syllables, int(r.integers(1, 4)))) for _ in range(1900)]
                          + "a photo of the cat dog on beach with red car in city at night vintage poster art for sale "
                            "new free best 2019 black white blue green woman man kids home design logo icon vector "
                            "illustration background stock image".split()
                          + ["東京", "café", "ストア", "Ünïcödé", "🐶"] * 10)
    lengths = np.minimum(r.geometric(0.1, n), 30)
    picks = r.integers(0, len(vocabulary), int(lengths.sum()))
    words = vocabulary[picks].tolist()
    texts, p = [], 0
    for length in lengths.tolist():
        texts.append(" ".join(words[p:p + length]))
        p += length
    domains = ["images.example.com", "cdn.shop.example.net", "i.pinimg.example.org", "media.news.example.co.uk",
               "upload.wiki.example.org", "static.blog.example.io"]
    table = pa.table({
        "uid": uids,
        "url": ["https://%s/%d/%s.jpg" % (domains[i % 6], i % 9973, u[:20]) for i, u in enumerate(uids)],
        "text": texts,
        "original_width": r.integers(64, 4000, n), "original_height": r.integers(64, 4000, n),
        "clip_b32_similarity_score": r.uniform(-0.06, 0.54, n).astype(np.float16).astype(np.float32),
        "clip_l14_similarity_score": r.uniform(-0.18, 0.57, n).astype(np.float16).astype(np.float32),
        "face_bboxes": pa.array([[] if v < 0.7 else [[0.1, 0.2, 0.3, 0.4]] for v in r.random(n)],
                                type=pa.list_(pa.list_(pa.float64()))),
        "sha256": [u + u[::-1] for u in uids],
    })
    pq.write_table(table, path, compression="snappy")
    return texts


texts = make_datacomp_parquet(os.path.join(out, "datacomp_1m.parquet"))
# The tokenizer benchmark: 20,000 of those captions, one per line.
with open(os.path.join(out, "captions.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(texts[:20_000]) + "\n")
print("benchmark data ready:", out)
