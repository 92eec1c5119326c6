#!/usr/bin/env python3
"""The faiss-cpu side of the k-means benchmark in Benchmarks/filters-compare.sh.

    python faiss_kmeans.py --metadata-dir DIR --num-clusters K --threads 2 [--niter 20] [--out C.npy]

Reads --embedding-key (default l14_img) of every DIR/*.npz in sorted file order (all rows: as
`datacomp kmeans --disable-caption-filtering`), float16 -> float32, and trains faiss.Clustering
exactly as DataComp's baselines/image_based_clustering.py sets it up (niter 20, seed 0,
max_points_per_centroid 10,000,000, L2), with faiss.IndexFlatL2 on the CPU in place of
GpuIndexFlatL2 and faiss.omp_set_num_threads(--threads). Prints one JSON line: points, dim, k,
seconds to load, seconds to train, the per-iteration times faiss records (iteration_stats[i].time is
the time of iteration i, search + update), the final objective.
"""
import argparse
import glob
import json
import os
import time

import faiss
import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--metadata-dir", required=True)
    parser.add_argument("--num-clusters", type=int, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--niter", type=int, default=20)
    parser.add_argument("--embedding-key", default="l14_img")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    faiss.omp_set_num_threads(args.threads)

    start = time.perf_counter()
    parts = [np.load(path)[args.embedding_key] for path in sorted(glob.glob(os.path.join(args.metadata_dir, "*.npz")))]
    x = np.ascontiguousarray(np.concatenate(parts).astype(np.float32))
    loaded = time.perf_counter()

    d = x.shape[1]
    cluster = faiss.Clustering(d, args.num_clusters)
    cluster.verbose = False
    cluster.niter = args.niter
    cluster.seed = 0
    cluster.max_points_per_centroid = 10000000
    index = faiss.IndexFlatL2(d)
    cluster.train(x, index)
    trained = time.perf_counter()

    stats = cluster.iteration_stats
    per_iteration = [stats.at(i).time for i in range(stats.size())]
    centroids = faiss.vector_float_to_array(cluster.centroids).reshape(args.num_clusters, d)
    if args.out:
        np.save(args.out, centroids)
    print(json.dumps({"points": int(x.shape[0]), "dim": d, "k": args.num_clusters, "threads": args.threads,
                      "niter": args.niter, "load_s": loaded - start, "train_s": trained - loaded,
                      "iteration_s": per_iteration, "objective": stats.at(stats.size() - 1).obj,
                      "faiss": faiss.__version__}))


if __name__ == "__main__":
    main()
