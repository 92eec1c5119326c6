#!/usr/bin/env python3
"""Runs DataComp's own baseline code (baselines.py's check_args and baselines/apply_filter.py's
apply_filter, unmodified) on a metadata folder, writes each variant's subset .npy, optionally writes
Tests/Fixtures/baselines/expected.json, and optionally runs our `datacomp filter` on the same
variants and compares the two .npy files byte for byte.

Environment: DataComp's pinned stack cannot be installed here; use a venv with fastText 0.9.2's own
binding (which needs numpy < 2) and NLTK 3.8.1:
    python3 -m venv /work/dcenv && /work/dcenv/bin/pip install /opt/wheels/torch-*.whl "numpy<2" \\
        "pandas<2.2" "pyarrow<16" fsspec tqdm nltk==3.8.1 fasttext-wheel faiss-cpu
DataComp's code, outside this repository (the checkout is only read and imported, never changed):
    mkdir -p /tmp/datacomp && git -C /work/.mirror/mlfoundations+datacomp/repo archive HEAD | tar -x -C /tmp/datacomp
Reference run that writes the fixture's expected.json (after Scripts/fixtures/baselines_fixtures.py):
    /work/dcenv/bin/python Scripts/parity/baselines_parity.py --datacomp /tmp/datacomp \\
        --datacomp-commit 4a8df1992566ef8334773f7152e1855b1f716162 \\
        --expected Tests/Fixtures/baselines/expected.json
Parity against our CLI (after `swift build --product datacomp`), any subset of variants:
    /work/dcenv/bin/python Scripts/parity/baselines_parity.py --datacomp /tmp/datacomp \\
        --swift .build/debug/datacomp [--variants clip_score_l14_fraction_0.3,laion2b] [--num-workers 2]
Defaults: --metadata Tests/Fixtures/baselines/metadata, --assets Tests/Fixtures/baselines/assets,
--fasttext ~/.cache/datacomp/lid.176.ftz, --imagenet21k-ids ~/.cache/datacomp/imagenet21k_goog_synsets.txt,
--wordnet /usr/share/wordnet, --num-workers os.cpu_count() (baselines.py's default). Everything
upstream writes goes to --scratch (default: a new folder under /tmp; refused inside this repository):
  <scratch>/site/        sitecustomize.py (the substitutions) and dc_parity_runner.py
  <scratch>/nltk_data/   WordNet 3.0 for NLTK
  <scratch>/upstream/    <variant>.npy written by DataComp's apply_filter (or --out)
  <scratch>/ours/        <variant>.npy (+ .report.json) written by our CLI
Each variant runs in its own process with cwd <scratch>/work.

Substitutions (only where this machine cannot follow upstream; all installed by
<scratch>/site/sitecustomize.py, which PYTHONPATH puts in front, so that they also hold in the
processes that multiprocessing's "spawn" start method creates: apply_filter() forces "spawn", and a
spawned child re-imports baselines.apply_filter from scratch, losing any monkeypatch made in the
parent. The sitecustomize installs an import hook that patches baselines.utils and
baselines.apply_filter right after they execute, in every process; it is active only when
DC_PARITY_SUBSTITUTIONS=1):
  (a) baselines.utils.download (and the copy apply_filter imported) returns local files instead of
      downloading and checking sha256: "fasttext" -> --fasttext (lid.176.ftz: the quantised
      version of DataComp's lid.176.bin, the model our CLI uses through DATACOMP_FASTTEXT_LID);
      "imagenet21k_wordnet_ids" -> --imagenet21k-ids (byte-identical to DataComp's asset, same
      sha256 66362bde...); "in1k_clip_vit_l14_{i}" -> <assets>/in1k_clip_vit_l14_{i}.pt when that
      file exists, otherwise a .pt holding {"image_features": float16 tensor of shape (0, 768)}, so
      DataComp's unchanged 5-file loop concatenates the fixture's 2 files with 3 empty tensors (the
      result is the same tensor); "{small,medium,large,xlarge}_centroids" -> <assets>/centroids_l14.pt
      (the image-based variants pass --image_based_scale small).
  (b) get_centroid_ids_gpu is replaced by the same computation on the CPU: per batch of
      --batch-size rows, einsum("ik, jk -> ij", features.float(), centroids) and argmax over the
      centroids (torch CPU float32); num_gpus = 1, so one image_filter_helper worker process.
      baselines.py's check_args requires torch.cuda.is_available(); the runner calls check_args
      with is_available() answering True for the duration of that call only.
  (c) gcld3 (laion2b) is not installable here: a module named gcld3 is provided whose
      NNetLanguageIdentifier(...).FindLanguage(text=...).language is fastText's top-1 label of the
      text (DataComp has already replaced "\\n" by " "). So laion2b = fastText "en" and
      clip_b32_similarity_score >= 0.28, on both sides.
  (d) nltk.download is a no-op and NLTK reads <scratch>/nltk_data, built from Debian's WordNet 3.0
      (--wordnet, wordnet-base) plus WordNet's standard lexnames file (as in
      Scripts/fixtures/wordnet_fixtures.py).
  (e) torch.load defaults to weights_only=False (torch >= 2.6 refuses DataComp's pickled NumPy
      centroids otherwise).
  For k-means (used by Scripts/fixtures/baselines_fixtures.py through run_clustering):
  (f) faiss' GPU classes (StandardGpuResources, GpuIndexFlatConfig, GpuIndexFlatL2) are replaced by
      faiss.IndexFlatL2 on the CPU, so baselines/image_based_clustering.py runs unchanged; the
      clustering process gets OMP_NUM_THREADS=1 for reproducible centroids.

expected.json (--expected PATH): per variant (keys below) the baseline's arguments, the sorted
lowercase uid hex list DataComp selected, its count, the sha256 of the .npy DataComp wrote; for
fraction variants n = int(N * fraction), the threshold that DataComp's get_threshold returns (value
and float32 bit pattern) and how many rows score exactly that / more; for threshold variants the
rows scoring exactly the float32 threshold; for the image-based variants the target centroid ids
(the unique argmax of the reference embeddings, as computed inside load_uids_with_image_filter).
Variants: no_filter, basic_filter, text_based, image_based,
image_based_intersect_clip_score_l14_fraction_0.3, image_based_intersect_clip_score_b32_threshold_0.3,
clip_score_l14_fraction_0.3, clip_score_b32_fraction_0.1, clip_score_b32_threshold_0.3,
clip_score_l14_threshold_0.25, laion2b.

--swift BINARY runs, per variant, `datacomp filter --name NAME --metadata-dir DIR --save-path OUT.npy
[--threshold X | --fraction F] [--arch A] [--centroids F --reference-embeddings F ...]
[--num-workers N]` with DATACOMP_FASTTEXT_LID and DATACOMP_IMAGENET21K_WORDNET_IDS set, and prints
a table: variant, upstream count, ours count, identical bytes?, upstream seconds, ours seconds
(wall time of each whole process). --swift-assets npy passes centroids_l14.npy and
in1k_clip_vit_l14.npy instead of the .pt files. Exit status 1 if any variant differs.
"""
import argparse
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "Tests" / "Fixtures" / "baselines"

VARIANTS = [
    ("no_filter", {"name": "no_filter"}),
    ("basic_filter", {"name": "basic_filter"}),
    ("text_based", {"name": "text_based"}),
    ("image_based", {"name": "image_based", "image_based_scale": "small"}),
    ("image_based_intersect_clip_score_l14_fraction_0.3",
     {"name": "image_based_intersect_clip_score", "arch": "l14", "fraction": 0.3, "image_based_scale": "small"}),
    ("image_based_intersect_clip_score_b32_threshold_0.3",
     {"name": "image_based_intersect_clip_score", "arch": "b32", "threshold": 0.3, "image_based_scale": "small"}),
    ("clip_score_l14_fraction_0.3", {"name": "clip_score", "arch": "l14", "fraction": 0.3}),
    ("clip_score_b32_fraction_0.1", {"name": "clip_score", "arch": "b32", "fraction": 0.1}),
    ("clip_score_b32_threshold_0.3", {"name": "clip_score", "arch": "b32", "threshold": 0.3}),
    ("clip_score_l14_threshold_0.25", {"name": "clip_score", "arch": "l14", "threshold": 0.25}),
    ("laion2b", {"name": "laion2b"}),
]

SUBSTITUTIONS = [
    "baselines.utils.download returns local files: fasttext -> lid.176.ftz (not lid.176.bin); "
    "imagenet21k_wordnet_ids -> imagenet21k_goog_synsets.txt (same sha256 as DataComp's asset); "
    "in1k_clip_vit_l14_{0,1} -> assets/in1k_clip_vit_l14_{0,1}.pt and in1k_clip_vit_l14_{2,3,4} -> an empty "
    "(0, 768) float16 tensor; small_centroids -> assets/centroids_l14.pt",
    "get_centroid_ids_gpu runs the same einsum('ik, jk -> ij') and argmax on the CPU (torch float32); num_gpus=1",
    "gcld3 is a stand-in whose FindLanguage(text).language is fastText's top-1 label (laion2b: fastText en)",
    "nltk.download is a no-op; NLTK 3.8.1 reads Debian's WordNet 3.0 (wordnet-base) plus WordNet's lexnames file",
    "torch.load defaults to weights_only=False",
    "check_args runs with torch.cuda.is_available() answering True for that call only",
]

LEXNAMES = """adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body
noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location noun.motive
noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process noun.quantity noun.relation
noun.shape noun.state noun.substance noun.time verb.body verb.change verb.cognition verb.communication
verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion verb.perception
verb.possession verb.social verb.stative verb.weather adj.ppl""".split()

# Installed on PYTHONPATH as sitecustomize.py: imported at start-up by every interpreter of the run,
# including the children that multiprocessing's spawn start method creates.
SITECUSTOMIZE = r'''
import os
import sys

if os.environ.get("DC_PARITY_SUBSTITUTIONS") == "1":
    import importlib.abc
    import importlib.machinery
    import importlib.util
    import re
    import types

    _ENV = os.environ
    _FASTTEXT_MODEL = []
    ASSIGNMENTS = []  # every result of the CPU centroid assignment in this process (runner reads the first)

    def _fasttext_model():
        if not _FASTTEXT_MODEL:
            import fasttext
            fasttext.FastText.eprint = lambda x: None
            _FASTTEXT_MODEL.append(fasttext.load_model(_ENV["DC_PARITY_FASTTEXT"]))
        return _FASTTEXT_MODEL[0]

    def local_download(name, root=None):
        """(a) baselines.utils.download without network: the local copy of each asset."""
        if name == "fasttext":
            return _ENV["DC_PARITY_FASTTEXT"]
        if name == "imagenet21k_wordnet_ids":
            return _ENV["DC_PARITY_IMAGENET21K_IDS"]
        match = re.fullmatch(r"in1k_clip_vit_l14_([0-4])", name)
        if match:
            path = os.path.join(_ENV["DC_PARITY_ASSETS"], "in1k_clip_vit_l14_%s.pt" % match.group(1))
            return path if os.path.isfile(path) else _ENV["DC_PARITY_EMPTY_IN1K"]
        if re.fullmatch(r"(small|medium|large|xlarge)_centroids", name):
            return os.path.join(_ENV["DC_PARITY_ASSETS"], "centroids_l14.pt")
        raise ValueError("unsupported cloud checkpoint: %s" % name)

    def assign_on_cpu(features, centroids, batch_size, device):
        """(b) get_centroid_ids_gpu on the CPU: argmax over centroids of einsum('ik, jk -> ij')."""
        import torch
        parts = []
        with torch.no_grad():
            for start in range(0, features.shape[0], batch_size):
                block = features[start:start + batch_size, :].float()
                parts.append(torch.argmax(torch.einsum("ik, jk -> ij", block, centroids), dim=1).long())
        labels = torch.cat(parts) if parts else torch.zeros(0, dtype=torch.long)
        ASSIGNMENTS.append(labels.clone())
        return labels

    class _LanguageResult:
        def __init__(self, language, probability):
            self.language = language
            self.probability = probability
            self.is_reliable = True
            self.proportion = 1.0

    class NNetLanguageIdentifier:
        """(c) gcld3 stand-in: fastText's top-1 language of the text."""

        def __init__(self, min_num_bytes=0, max_num_bytes=1000):
            self.min_num_bytes = min_num_bytes
            self.max_num_bytes = max_num_bytes

        def FindLanguage(self, text):
            labels, probabilities = _fasttext_model().predict(text)
            return _LanguageResult(labels[0].replace("__label__", ""), float(probabilities[0]))

    def _patch_common():
        if "torch" in sys.modules:  # (e)
            torch = sys.modules["torch"]
            if not getattr(torch.load, "_dc_parity", False):
                original = torch.load

                def load(*args, **kwargs):
                    kwargs.setdefault("weights_only", False)
                    return original(*args, **kwargs)

                load._dc_parity = True
                torch.load = load
        if "nltk" in sys.modules:  # (d)
            nltk = sys.modules["nltk"]
            nltk.download = lambda *args, **kwargs: True
            if _ENV["DC_PARITY_NLTK_DATA"] not in nltk.data.path:
                nltk.data.path.insert(0, _ENV["DC_PARITY_NLTK_DATA"])
        if "faiss" in sys.modules:  # (f)
            faiss = sys.modules["faiss"]

            class GpuIndexFlatConfig:
                useFloat16 = False
                device = 0

            faiss.StandardGpuResources = lambda: None
            faiss.GpuIndexFlatConfig = GpuIndexFlatConfig
            faiss.GpuIndexFlatL2 = lambda resources, d, config: faiss.IndexFlatL2(d)

    def _patch_utils(module):
        module.download = local_download
        _patch_common()

    def _patch_apply_filter(module):
        module.download = local_download
        module.get_centroid_ids_gpu = assign_on_cpu
        _patch_common()

    _PATCHES = {"baselines.utils": _patch_utils, "baselines.apply_filter": _patch_apply_filter}

    class _Gcld3Loader(importlib.abc.Loader):
        def create_module(self, spec):
            return None

        def exec_module(self, module):
            module.NNetLanguageIdentifier = NNetLanguageIdentifier
            module.__doc__ = "DataComp parity stand-in for gcld3: fastText top-1 language"

    class _PatchingLoader(importlib.abc.Loader):
        def __init__(self, inner, patch):
            self.inner = inner
            self.patch = patch

        def create_module(self, spec):
            return self.inner.create_module(spec)

        def exec_module(self, module):
            self.inner.exec_module(module)
            self.patch(module)

        def __getattr__(self, name):
            return getattr(self.inner, name)

    class _Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname == "gcld3":
                return importlib.util.spec_from_loader("gcld3", _Gcld3Loader())
            patch = _PATCHES.get(fullname)
            if patch is None:
                return None
            spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
            if spec is None or spec.loader is None:
                return None
            spec.loader = _PatchingLoader(spec.loader, patch)
            return spec

    sys.meta_path.insert(0, _Finder())
    sys.modules["dc_parity_substitutions"] = types.SimpleNamespace(
        ASSIGNMENTS=ASSIGNMENTS, local_download=local_download)
'''

# Runs one variant in a fresh interpreter: check_args and apply_filter from DataComp, then (for the
# report) get_threshold again for fraction variants. Arguments: a JSON file with the Namespace fields.
RUNNER = r'''
import argparse
import importlib.util
import json
import os
import sys
import time


def main():
    job = json.load(open(sys.argv[1]))
    datacomp = job["datacomp"]
    spec = importlib.util.spec_from_file_location("datacomp_baselines_cli", os.path.join(datacomp, "baselines.py"))
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)  # imports baselines.apply_filter (patched by sitecustomize)
    import torch
    from baselines import apply_filter as af
    args = argparse.Namespace(**job["args"])
    available = torch.cuda.is_available
    torch.cuda.is_available = lambda: True  # check_args insists on a GPU for image_based names
    try:
        cli.check_args(args)
    finally:
        torch.cuda.is_available = available
    start = time.perf_counter()
    af.apply_filter(args)
    seconds = time.perf_counter() - start
    out = {"seconds_apply_filter": seconds}
    if args.fraction is not None:
        key = "clip_b32_similarity_score" if args.arch == "b32" else "clip_l14_similarity_score"
        threshold = af.get_threshold(args.metadata_dir, key, args.fraction, args.num_workers)
        out["threshold_type"] = type(threshold).__name__
        out["threshold"] = float(threshold)
    if "image_based" in args.name:
        assignments = sys.modules["dc_parity_substitutions"].ASSIGNMENTS
        out["target_centroids"] = [int(x) for x in torch.unique(assignments[0]).tolist()]
    json.dump(out, open(job["result"], "w"))


if __name__ == "__main__":
    main()
'''


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def inside(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder + os.sep)


def build_nltk_data(folder, wordnet):
    corpus = os.path.join(folder, "corpora", "wordnet")
    os.makedirs(corpus, exist_ok=True)
    for name in os.listdir(wordnet):
        link = os.path.join(corpus, name)
        if not os.path.lexists(link):
            os.symlink(os.path.join(wordnet, name), link)
    with open(os.path.join(corpus, "lexnames"), "w") as f:
        for i, name in enumerate(LEXNAMES):
            f.write("%02d\t%s\t%d\n" % (i, name, 3 if name.startswith("adj") else 4 if name.startswith("adv")
                                          else 1 if name.startswith("noun") else 2))


def prepare(scratch, datacomp, assets, fasttext, imagenet21k_ids, wordnet, python):
    """Writes the substitution layer into scratch; returns the environment for upstream processes."""
    if inside(scratch, ROOT):
        sys.exit("--scratch must be outside the repository (%s)" % ROOT)
    site = os.path.join(scratch, "site")
    os.makedirs(site, exist_ok=True)
    os.makedirs(os.path.join(scratch, "work"), exist_ok=True)
    with open(os.path.join(site, "sitecustomize.py"), "w") as f:
        f.write(SITECUSTOMIZE)
    with open(os.path.join(site, "dc_parity_runner.py"), "w") as f:
        f.write(RUNNER)
    nltk_data = os.path.join(scratch, "nltk_data")
    build_nltk_data(nltk_data, wordnet)
    empty = os.path.join(scratch, "in1k_empty.pt")
    subprocess.run([python, "-c", "import sys, torch; torch.save({'image_features': "
                    "torch.zeros((0, 768), dtype=torch.float16)}, sys.argv[1])", empty], check=True)
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": os.pathsep.join([site, os.path.abspath(datacomp)]),
        "DC_PARITY_SUBSTITUTIONS": "1",
        "DC_PARITY_FASTTEXT": os.path.abspath(fasttext),
        "DC_PARITY_IMAGENET21K_IDS": os.path.abspath(imagenet21k_ids),
        "DC_PARITY_ASSETS": os.path.abspath(assets),
        "DC_PARITY_EMPTY_IN1K": empty,
        "DC_PARITY_NLTK_DATA": nltk_data,
        "PYTHONNOUSERSITE": "1",
    })
    return env


def run_clustering(datacomp, metadata, save_path, num_clusters, num_workers, scratch, fasttext,
                   imagenet21k_ids, wordnet, python=sys.executable):
    """Runs DataComp's baselines/image_based_clustering.py (caption filter on, all samples, seed 0,
    niter 20, max_points_per_centroid 10,000,000) with faiss on the CPU (substitution f). Its
    torch.save(centroids, save_path, pickle_protocol=4) writes save_path, which must be outside the
    repository; the caller copies it."""
    env = prepare(scratch, datacomp, os.path.join(scratch, "no-assets"), fasttext, imagenet21k_ids, wordnet, python)
    env["OMP_NUM_THREADS"] = "1"
    if inside(save_path, ROOT):
        sys.exit("the clustering output must be written outside the repository")
    subprocess.run([python, os.path.join(os.path.abspath(datacomp), "baselines", "image_based_clustering.py"),
                    "--metadata_dir", os.path.abspath(metadata), "--save_path", save_path,
                    "--num_clusters", str(num_clusters), "--num_gpus", "1", "--num_workers", str(num_workers),
                    "--seed", "0"],
                   check=True, env=env, cwd=os.path.join(scratch, "work"))


def namespace(args_for_variant, metadata, save_path, num_workers, batch_size):
    """The Namespace baselines.py's parser would produce (num_gpus 1)."""
    fields = {"name": None, "metadata_dir": os.path.abspath(metadata), "save_path": save_path,
              "threshold": None, "fraction": None, "arch": None, "num_workers": num_workers, "num_gpus": 1,
              "batch_size": batch_size, "image_based_scale": None}
    fields.update(args_for_variant)
    return fields


def run_upstream(key, variant_args, opts, env, out_dir):
    save_path = os.path.join(out_dir, key + ".npy")
    if os.path.exists(save_path):
        os.remove(save_path)
    job = {"datacomp": os.path.abspath(opts.datacomp),
           "args": namespace(variant_args, opts.metadata, save_path, opts.num_workers, opts.batch_size),
           "result": os.path.join(opts.scratch, "work", key + ".result.json")}
    job_path = os.path.join(opts.scratch, "work", key + ".job.json")
    with open(job_path, "w") as f:
        json.dump(job, f)
    log_path = os.path.join(opts.scratch, "work", key + ".log")
    start = time.perf_counter()
    with open(log_path, "w") as log:
        code = subprocess.run([opts.python, os.path.join(opts.scratch, "site", "dc_parity_runner.py"), job_path],
                              env=env, cwd=os.path.join(opts.scratch, "work"), stdout=log, stderr=subprocess.STDOUT).returncode
    seconds = time.perf_counter() - start
    if code != 0:
        sys.stderr.write(open(log_path).read()[-4000:])
        sys.exit("DataComp failed on %s (log: %s)" % (key, log_path))
    result = json.load(open(job["result"]))
    result["seconds_process"] = seconds
    return save_path, result


def swift_command(binary, variant_args, metadata, save_path, num_workers, assets, asset_format):
    command = [binary, "filter", "--name", variant_args["name"], "--metadata-dir", os.path.abspath(metadata),
               "--save-path", save_path]
    if "threshold" in variant_args:
        command += ["--threshold", repr(variant_args["threshold"])]
    if "fraction" in variant_args:
        command += ["--fraction", repr(variant_args["fraction"])]
    if "arch" in variant_args:
        command += ["--arch", variant_args["arch"]]
    if "image_based" in variant_args["name"]:
        if asset_format == "npy":
            command += ["--centroids", os.path.join(assets, "centroids_l14.npy"),
                        "--reference-embeddings", os.path.join(assets, "in1k_clip_vit_l14.npy")]
        else:
            command += ["--centroids", os.path.join(assets, "centroids_l14.pt")]
            for i in range(5):
                path = os.path.join(assets, "in1k_clip_vit_l14_%d.pt" % i)
                if os.path.isfile(path):
                    command += ["--reference-embeddings", path]
    command += ["--num-workers", str(num_workers)]
    return command


def uid_hex(path):
    import numpy as np
    array = np.load(path)
    assert array.dtype == np.dtype("u8,u8"), array.dtype
    return ["%016x%016x" % (int(a), int(b)) for a, b in zip(array["f0"], array["f1"])]


def pool_columns(metadata):
    import numpy as np
    import pyarrow.parquet as pq
    names = sorted(x for x in os.listdir(metadata) if ".parquet" in x)
    tables = [pq.read_table(os.path.join(metadata, x), columns=["clip_b32_similarity_score",
                                                                "clip_l14_similarity_score"]) for x in names]
    shards = [{"stem": x.split(".parquet")[0], "rows": t.num_rows} for x, t in zip(names, tables)]
    columns = {key: np.concatenate([t.column(key).to_numpy() for t in tables]).astype(np.float32)
               for key in ("clip_b32_similarity_score", "clip_l14_similarity_score")}
    return shards, columns


def versions(python, env):
    code = ("import json, sys, numpy, pandas, pyarrow, torch, nltk, fsspec\n"
            "import importlib.metadata as m\n"
            "print(json.dumps({'python': sys.version.split()[0], 'numpy': numpy.__version__, "
            "'pandas': pandas.__version__, 'pyarrow': pyarrow.__version__, 'torch': torch.__version__, "
            "'nltk': nltk.__version__, 'fsspec': fsspec.__version__, 'fasttext': m.version('fasttext-wheel')}))")
    return json.loads(subprocess.run([python, "-c", code], env=env, check=True, capture_output=True,
                                     text=True).stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datacomp", default=os.environ.get("DATACOMP_DIR"),
                        help="DataComp checkout (folder with baselines.py); default $DATACOMP_DIR")
    parser.add_argument("--datacomp-commit", default=None, help="recorded in expected.json")
    parser.add_argument("--metadata", default=str(FIXTURE / "metadata"))
    parser.add_argument("--assets", default=str(FIXTURE / "assets"))
    parser.add_argument("--fasttext", default=os.path.expanduser("~/.cache/datacomp/lid.176.ftz"))
    parser.add_argument("--imagenet21k-ids", default=os.path.expanduser("~/.cache/datacomp/imagenet21k_goog_synsets.txt"))
    parser.add_argument("--wordnet", default="/usr/share/wordnet")
    parser.add_argument("--scratch", default=None)
    parser.add_argument("--out", default=None, help="folder for DataComp's .npy files (default <scratch>/upstream)")
    parser.add_argument("--variants", default=None, help="comma-separated subset of: " +
                        ", ".join(k for k, _ in VARIANTS))
    parser.add_argument("--num-workers", type=int, default=os.cpu_count())
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--python", default=sys.executable, help="interpreter for DataComp (the dcenv)")
    parser.add_argument("--expected", default=None, help="write expected.json here")
    parser.add_argument("--swift", default=None, help="our datacomp binary: also run it and compare")
    parser.add_argument("--swift-assets", choices=["pt", "npy"], default="pt")
    opts = parser.parse_args()

    selected = VARIANTS
    if opts.variants:
        wanted = opts.variants.split(",")
        unknown = sorted(set(wanted) - {k for k, _ in VARIANTS})
        if unknown:
            sys.exit("unknown variants: %s" % ", ".join(unknown))
        selected = [(k, a) for k, a in VARIANTS if k in wanted]
    if opts.expected and len(selected) != len(VARIANTS):
        sys.exit("--expected needs every variant")
    if not opts.datacomp:
        print("skipped: no DataComp checkout (pass --datacomp DIR or set DATACOMP_DIR: a checkout of "
              "mlfoundations/datacomp, e.g. git archive of the snapshot); the Swift tests check the recorded "
              "expectations in Tests/Fixtures/baselines/expected.json")
        return
    opts.scratch = opts.scratch or tempfile.mkdtemp(prefix="baselines-parity-")
    out_dir = opts.out or os.path.join(opts.scratch, "upstream")
    if inside(out_dir, ROOT):
        sys.exit("--out must be outside the repository")
    os.makedirs(out_dir, exist_ok=True)
    env = prepare(opts.scratch, opts.datacomp, opts.assets, opts.fasttext, opts.imagenet21k_ids, opts.wordnet,
                  opts.python)
    print("scratch:", opts.scratch)

    import numpy as np
    shards, scores = pool_columns(opts.metadata)
    rows = sum(s["rows"] for s in shards)
    results = {}
    for key, variant_args in selected:
        path, result = run_upstream(key, variant_args, opts, env, out_dir)
        uids = uid_hex(path)
        entry = {"args": variant_args, "count": len(uids), "npy_sha256": sha256(path)}
        column = scores["clip_%s_similarity_score" % variant_args["arch"]] if "arch" in variant_args else None
        if "fraction" in variant_args:
            threshold = np.float32(result["threshold"])
            entry.update({"n": int(rows * variant_args["fraction"]), "threshold": float(threshold),
                          "threshold_bits": int(threshold.view(np.uint32)),
                          "threshold_python_type": result["threshold_type"],
                          "rows_at_threshold": int((column == threshold).sum()),
                          "rows_above_threshold": int((column > threshold).sum())})
        if "threshold" in variant_args:
            threshold = np.float32(variant_args["threshold"])
            entry.update({"threshold_float32_bits": int(threshold.view(np.uint32)),
                          "rows_at_threshold": int((column == threshold).sum()),
                          "rows_above_threshold": int((column > threshold).sum())})
        if "target_centroids" in result:
            entry["target_centroids"] = result["target_centroids"]
        entry["uids"] = uids
        results[key] = {"entry": entry, "path": path, "seconds": result["seconds_process"],
                        "seconds_apply_filter": result["seconds_apply_filter"]}
        extra = ""
        if "threshold" in entry:
            extra = " n=%d threshold=%r (bits 0x%08x) at=%d above=%d" % (
                entry["n"], entry["threshold"], entry["threshold_bits"], entry["rows_at_threshold"],
                entry["rows_above_threshold"])
        if "target_centroids" in entry:
            extra += " targets=%s" % entry["target_centroids"]
        print("%-52s %4d of %d  %.1fs%s" % (key, len(uids), rows, result["seconds_process"], extra), flush=True)

    if opts.expected:
        if inside(opts.expected, ROOT) and not inside(opts.expected, FIXTURE):
            sys.exit("--expected inside the repository must be under %s" % FIXTURE)
        def rel(p):
            return os.path.relpath(p, os.path.dirname(os.path.abspath(opts.expected)))
        commit = opts.datacomp_commit
        if commit is None:
            probe = subprocess.run(["git", "-C", opts.datacomp, "rev-parse", "HEAD"], capture_output=True, text=True)
            commit = probe.stdout.strip() if probe.returncode == 0 else "unknown"
        assets = sorted(x for x in os.listdir(opts.assets) if x.startswith("in1k_clip_vit_l14_") and x.endswith(".pt"))
        document = {
            "generator": "Scripts/parity/baselines_parity.py (DataComp's own baselines code)",
            "datacomp_commit": commit,
            "environment": versions(opts.python, env),
            "metadata": rel(opts.metadata), "rows": rows, "shards": shards,
            "assets": {"fasttext_lid": {"file": os.path.basename(opts.fasttext), "sha256": sha256(opts.fasttext)},
                       "imagenet21k_wordnet_ids": {"file": os.path.basename(opts.imagenet21k_ids),
                                                   "sha256": sha256(opts.imagenet21k_ids)},
                       "centroids": rel(os.path.join(opts.assets, "centroids_l14.pt")),
                       "reference_embeddings": [rel(os.path.join(opts.assets, x)) for x in assets],
                       "image_based_scale": "small", "num_gpus": 1, "batch_size": opts.batch_size},
            "substitutions": SUBSTITUTIONS,
            "uid_order": "sorted as the subset file sorts them (numeric u8,u8 = lowercase hex order)",
            "variants": {key: results[key]["entry"] for key, _ in selected},
        }
        with open(opts.expected, "w") as f:
            json.dump(document, f, indent=1)
            f.write("\n")
        print("wrote", opts.expected)

    if opts.swift:
        ours_dir = os.path.join(opts.scratch, "ours")
        os.makedirs(ours_dir, exist_ok=True)
        swift_env = dict(os.environ)
        swift_env["DATACOMP_FASTTEXT_LID"] = os.path.abspath(opts.fasttext)
        swift_env["DATACOMP_IMAGENET21K_WORDNET_IDS"] = os.path.abspath(opts.imagenet21k_ids)
        rows_out, failures = [], 0
        for key, variant_args in selected:
            save_path = os.path.join(ours_dir, key + ".npy")
            if os.path.exists(save_path):
                os.remove(save_path)
            command = swift_command(opts.swift, variant_args, opts.metadata, save_path, opts.num_workers,
                                    os.path.abspath(opts.assets), opts.swift_assets)
            start = time.perf_counter()
            run = subprocess.run(command, env=swift_env, cwd=os.path.join(opts.scratch, "work"),
                                 capture_output=True, text=True)
            seconds = time.perf_counter() - start
            upstream = results[key]
            if run.returncode != 0 or not os.path.exists(save_path):
                failures += 1
                rows_out.append((key, upstream["entry"]["count"], "error", "no", upstream["seconds"], seconds))
                sys.stderr.write("%s: %s\n%s\n" % (key, " ".join(command), run.stderr[-2000:]))
                continue
            same = open(save_path, "rb").read() == open(upstream["path"], "rb").read()
            ours = uid_hex(save_path)
            if not same:
                failures += 1
                theirs = set(upstream["entry"]["uids"])
                mine = set(ours)
                sys.stderr.write("%s differs: only upstream %s; only ours %s\n" % (
                    key, sorted(theirs - mine)[:5], sorted(mine - theirs)[:5]))
            rows_out.append((key, upstream["entry"]["count"], len(ours), "yes" if same else "NO",
                             upstream["seconds"], seconds))
        print()
        print("%-52s %9s %6s %10s %11s %8s" % ("variant", "upstream", "ours", "identical", "upstream s", "ours s"))
        for key, theirs, ours, same, t_up, t_ours in rows_out:
            print("%-52s %9d %6s %10s %11.2f %8.2f" % (key, theirs, ours, same, t_up, t_ours))
        if failures:
            sys.exit(1)


if __name__ == "__main__":
    main()
