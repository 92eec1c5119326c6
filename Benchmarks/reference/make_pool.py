#!/usr/bin/env python3
"""Writes a synthetic DataComp candidate pool (metadata folder) for the filter, k-means and
peak-memory benchmarks of Benchmarks/filters-compare.sh. Deterministic for a given --seed.

Usage:
  python make_pool.py --out DIR --files 20 --rows-per-file 100000 [--captions realistic|short]
                      [--npz] [--seed 1] [--row-group-size N]

  DIR/<32 hex>.parquet   DataComp's nine columns with their Arrow types (datacomp.md §1.3): uid
                         (32 lowercase hex, unique), url, text, original_width/original_height
                         int64, clip_b32/l14_similarity_score float32 holding float16 values,
                         face_bboxes list<list<float64>> (mostly empty, some one or two boxes),
                         sha256 (64 hex). pyarrow's defaults (snappy, dictionary with PLAIN
                         fallback); one row group per file unless --row-group-size.
  DIR/<32 hex>.npz       with --npz: np.savez (stored, not compressed) of b32_img, b32_txt
                         [N,512] float16, l14_img, l14_txt [N,768] float16 (unit rows) and dedup
                         [N,256] float32 (datacomp.md §1.4). l14_img rows are drawn around 2,000
                         random unit centres (so k-means has structure to find) plus Gaussian
                         noise of norm --embedding-noise.

Captions:
  realistic  each caption is one of the 517 captions of the baseline test fixture
             (Tests/Fixtures/baselines/metadata: English captions naming things, about 60 other
             languages, edge cases), drawn with replacement; 60 % of them get 1-4 words of the
             fixture's vocabulary added before or after (so most captions are distinct). fastText
             calls about 60 % of the fixture captions English; the mix here is similar.
  short      3-8 words from a small English/other vocabulary (cheap: for the 10M-row memory pool).

Image sizes: a mix of common web sizes and log-normal random ones (some below 200 px, some with
aspect ratio above 3). Scores: B/32 about N(0.27, 0.05), L/14 about N(0.25, 0.065), rounded to
float16 and stored as float32, as DataComp's are.

Needs numpy and pyarrow (any recent version; the files are read by pyarrow < 16 and pandas < 2.2
in the DataComp environment too).
"""
import argparse
import glob
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "baselines", "metadata")

COMMON_SIZES = [(640, 480), (480, 640), (800, 600), (1024, 768), (1280, 720), (1920, 1080), (1080, 1080),
                (500, 500), (300, 300), (1200, 800), (600, 400), (400, 600), (2048, 1365), (3000, 2000),
                (150, 150), (100, 100), (180, 240), (120, 90), (250, 188), (728, 90), (160, 600), (1600, 400)]
DOMAINS = ["images.example.com", "cdn.shop.example.net", "media.example.org", "static.blog.example.io",
           "i.example.co.uk", "img.example.de", "photos.example.fr", "example.jp", "pbs.example.com",
           "assets.store.example.com"]
SHORT_WORDS = ("a photo of the cat dog on beach with red car in city at night vintage poster art house "
               "garden flower tree mountain lake river sunset woman man child table chair kitchen food "
               "Hund Katze Strand chat plage perro playa gato 猫 犬 海 東京 кошка собака море").split()
HEX = np.array([("%02x" % i).encode() for i in range(256)], dtype="S2")


def hex_strings(rng, n, nbytes):
    """n distinct-with-overwhelming-probability lowercase hex strings of 2*nbytes digits (Arrow string)."""
    raw = rng.integers(0, 256, (n, nbytes), dtype=np.uint8)
    digits = HEX[raw].view("S%d" % (2 * nbytes)).reshape(n)
    return pa.array(digits, type=pa.binary(2 * nbytes)).cast(pa.string())


def fixture_captions():
    files = sorted(glob.glob(os.path.join(FIXTURE, "*.parquet")))
    if not files:
        sys.exit("no fixture captions under %s" % FIXTURE)
    texts = []
    for path in files:
        texts += pq.read_table(path, columns=["text"]).column("text").to_pylist()
    return texts


def make_captions(rng, n, kind, base, vocabulary):
    if kind == "short":
        words = np.array(SHORT_WORDS, dtype=object)
        counts = rng.integers(3, 9, n)
        picks = rng.integers(0, len(words), counts.sum())
        out, start = [], 0
        for c in counts.tolist():
            out.append(" ".join(words[picks[start:start + c]]))
            start += c
        return out
    choice = rng.integers(0, len(base), n).tolist()
    extra = rng.random(n) < 0.6
    count = rng.integers(1, 5, n).tolist()
    before = (rng.random(n) < 0.3).tolist()
    picks = rng.integers(0, len(vocabulary), int(4 * n)).tolist()
    out, p = [], 0
    for i in range(n):
        text = base[choice[i]]
        if extra[i]:
            added = " ".join(vocabulary[j] for j in picks[p:p + count[i]])
            p += count[i]
            text = added + " " + text if before[i] else text + " " + added
        out.append(text)
    return out


def sizes(rng, n):
    common = np.array(COMMON_SIZES, dtype=np.int64)
    pick = common[rng.integers(0, len(common), n)]
    random = np.exp(rng.normal(np.log(500), 0.6, (n, 2))).astype(np.int64) + 1
    aspect = rng.random(n) < 0.1  # some wide banners / tall images
    random[aspect, 0] = random[aspect, 1] * rng.integers(2, 6, int(aspect.sum()))
    use_common = rng.random(n) < 0.5
    out = np.where(use_common[:, None], pick, random)
    return out[:, 0].copy(), out[:, 1].copy()


def face_bboxes(rng, n):
    faces = rng.choice([0, 1, 2], n, p=[0.8, 0.15, 0.05])
    list_offsets = np.concatenate([[0], np.cumsum(faces)]).astype(np.int32)
    boxes = int(faces.sum())
    corner = rng.random((boxes, 2)) * 0.7
    extent = rng.random((boxes, 2)) * 0.25 + 0.02
    values = np.concatenate([corner, corner + extent], axis=1).reshape(-1)
    inner = pa.ListArray.from_arrays(pa.array(np.arange(0, 4 * boxes + 1, 4, dtype=np.int32)), pa.array(values))
    outer = pa.ListArray.from_arrays(pa.array(list_offsets), inner)
    return outer.cast(pa.list_(pa.list_(pa.float64())))


def scores(rng, n, mean, sd):
    return pa.array(rng.normal(mean, sd, n).astype(np.float16).astype(np.float32))


def unit_rows(rng, n, d, centres=None, noise=1.0):
    if centres is None:
        x = rng.standard_normal((n, d), dtype=np.float32)
    else:
        x = centres[rng.integers(0, len(centres), n)] + noise / np.sqrt(d) * rng.standard_normal((n, d), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


def write_npz(path, rng, n, centres, noise):
    arrays = {
        "b32_img": unit_rows(rng, n, 512).astype(np.float16),
        "b32_txt": unit_rows(rng, n, 512).astype(np.float16),
        "l14_img": unit_rows(rng, n, 768, centres, noise).astype(np.float16),
        "l14_txt": unit_rows(rng, n, 768).astype(np.float16),
        "dedup": unit_rows(rng, n, 256),
    }
    np.savez(path, **arrays)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="metadata folder to write (created; must be empty)")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rows-per-file", type=int, default=100000)
    parser.add_argument("--captions", choices=["realistic", "short"], default="realistic")
    parser.add_argument("--npz", action="store_true", help="also write the .npz feature files")
    parser.add_argument("--row-group-size", type=int, default=None)
    parser.add_argument("--embedding-noise", type=float, default=1.5,
                        help="norm of the Gaussian noise added to the l14_img centres (1.5: k-means on 200,000 rows "
                             "with k = 1,000 does not converge within 20 iterations, as on real embeddings; with "
                             "well-separated clusters faiss and datacomp stop early, once the objective repeats)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    if out == ROOT or out.startswith(ROOT + os.sep):
        sys.exit("--out must be outside the repository")
    os.makedirs(out, exist_ok=True)
    if any(".parquet" in name for name in os.listdir(out)):
        sys.exit("%s already holds .parquet files" % out)
    rng = np.random.default_rng(args.seed)
    base = fixture_captions() if args.captions == "realistic" else []
    vocabulary = sorted({w for t in base for w in t.split() if 1 < len(w) < 15}) if base else []
    centres = unit_rows(rng, 2000, 768) if args.npz else None
    start = time.time()
    for index in range(args.files):
        n = args.rows_per_file
        stem = "".join("%x" % int(x) for x in rng.integers(0, 16, 32))
        uid = hex_strings(rng, n, 16)
        sha = hex_strings(rng, n, 32)
        domain = np.array(DOMAINS, dtype=object)[rng.integers(0, len(DOMAINS), n)]
        path_numbers = rng.integers(0, 10**9, n).tolist()
        url = pa.array(["https://%s/photos/%d/%s.jpg" % (d, p, u[:12])
                        for d, p, u in zip(domain.tolist(), path_numbers, uid.to_pylist())])
        width, height = sizes(rng, n)
        table = pa.table({
            "uid": uid,
            "url": url,
            "text": pa.array(make_captions(rng, n, args.captions, base, vocabulary), type=pa.string()),
            "original_width": pa.array(width, type=pa.int64()),
            "original_height": pa.array(height, type=pa.int64()),
            "clip_b32_similarity_score": scores(rng, n, 0.27, 0.05),
            "clip_l14_similarity_score": scores(rng, n, 0.25, 0.065),
            "face_bboxes": face_bboxes(rng, n),
            "sha256": sha,
        })
        pq.write_table(table, os.path.join(out, stem + ".parquet"), row_group_size=args.row_group_size)
        if args.npz:
            write_npz(os.path.join(out, stem + ".npz"), rng, n, centres, args.embedding_noise)
        print("%s: file %d/%d (%d rows) %.0f s" % (out, index + 1, args.files, n, time.time() - start), flush=True)


if __name__ == "__main__":
    main()
