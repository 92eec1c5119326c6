#!/usr/bin/env python3
"""Parity and speed of `datacomp reshard` against DataComp's resharder.py.

Compare on an input folder (img2dataset layout) and a subset file:

    refenv/bin/python Scripts/parity/resharder_parity.py --datacomp /path/to/datacomp \
        --python /path/to/reshenv/bin/python -i SHARDS -s SUBSET.npy [-j 2] [--shard-size N] \
        [-n N] [--first-shard N] [--swift .build/release/datacomp]

Both programs run in their own scratch folder (input linked in as `in`, subset copied as
`subset.npy` or `subset.u16`, output `out`), with the same relative arguments, so meta.json's
stringified arguments are comparable. `--python` is an interpreter that imports resharder.py
(Python 3.10 with DataComp's pins; see Scripts/fixtures/resharder_fixtures.py); DATACOMP_DIR and
RESHARDER_PYTHON do the same. Checks (a failing one makes the exit status 1):
  samples         the multiset of (key, {extension: member bytes}) over all output tars is equal
  shard sizes     every output tar holds at most --shard-size samples (both sides)
  stats           every <id>_stats.json is {"successes": <samples in its tar>} (both sides); the
                  Swift text must equal resharder.py's ('{"successes": N}', no newline)
  names           output tars are exactly 0 … output_shard_count-1 in the output format
  sample_ids.npy  byte-equal to the subset file (both sides)
  counters        meta.json processed_count, output_count, output_shard_count, worker_success,
                  blur_count equal
  meta args       meta.json's keys in order and its stringified arguments equal (cwd ignored)
Informational (printed, never fatal): the per-shard key sequences ignoring shard numbers (equal
only when both sides plan workers alike) and the "N images in the subset were not found" count.
Then a table of wall-clock times and input samples per second.

Without --datacomp, the Swift binary is checked against the recorded runs of resharder.py in
Tests/Fixtures/resharder/expected.json (same checks, on the fixture inputs).

Make a larger img2dataset-style pool for the speed comparison (deterministic; 50 shards x 2,000
samples with ~20 KB JPEG members is about 2.2 GB):

    refenv/bin/python Scripts/parity/resharder_parity.py --make-pool /tmp/pool \
        [--pool-shards 50] [--pool-samples 2000] [--image-kb 20] [--keep-fraction 0.3] [--seed 1]

It writes POOL/shards/ (0000000N.tar + _stats.json, keys with gaps, members jpg/json/txt, a
few hundred distinct JPEGs reused) and POOL/subset.npy (about --keep-fraction of the uids, 5 % of those
listed twice and 1 % three times, plus 1,000 uids found in no shard; sorted `u8,u8`, np.save).
"""
import argparse
import collections
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "resharder")
COUNTERS = ["processed_count", "output_count", "output_shard_count", "worker_success", "blur_count"]


# ---------------------------------------------------------------------------------------------
# Pool generation


def make_pool(folder, shards, samples, image_kb, keep, seed):
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    os.makedirs(os.path.join(folder, "shards"), exist_ok=True)
    images = []
    side = int(64 * (image_kb / 20) ** 0.5)
    for i in range(300):
        w, h = int(side * rng.uniform(2.6, 3.4)), int(side * rng.uniform(1.8, 2.6))
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        base = np.stack([128 + 100 * np.sin(x / (7 + c * 3 + i % 5) + y / 11 + c) for c in range(3)], -1)
        noise = rng.normal(0, 40, (h, w, 3)).astype(np.float32)
        image = Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=95)
        images.append((buffer.getvalue(), w, h))
    words = ("a photo of the cat dog on beach with red car in city at night vintage poster art "
             "Café crème brûlée Straße naïve résumé 東京 夜景").split()
    all_uids = []
    attempted = int(samples / 0.9) + 1
    for shard in range(shards):
        rows = np.sort(rng.choice(attempted, samples, replace=False))
        uids = ["%032x" % int.from_bytes(rng.bytes(16), "big") for _ in range(samples)]
        all_uids += uids
        path = os.path.join(folder, "shards", "%08d.tar" % shard)
        with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
            for row, uid in zip(rows, uids):
                key = "%012d" % (shard * 10**4 + int(row))
                data, w, h = images[int(rng.integers(0, len(images)))]
                caption = " ".join(words[int(k)] for k in rng.integers(0, len(words), int(rng.integers(1, 15))))
                meta = {"uid": uid, "face_bboxes": [], "caption": caption,
                        "url": "https://images.example.com/%d/%s.jpg" % (row, uid[:8]), "key": key,
                        "status": "success", "error_message": None, "width": w, "height": h,
                        "original_width": w * 2, "original_height": h * 2, "exif": "{}",
                        "sha256": hashlib.sha256(uid.encode()).hexdigest()}
                for ext, value in (("jpg", data), ("json", json.dumps(meta, indent=4).encode()),
                                   ("txt", caption.encode())):
                    info = tarfile.TarInfo(key + "." + ext)
                    info.size, info.mtime, info.mode = len(value), 1700000000, 0o444
                    info.uname = info.gname = "bigdata"
                    tar.addfile(info, io.BytesIO(value))
        with open(os.path.join(folder, "shards", "%08d_stats.json" % shard), "w") as f:
            json.dump({"count": attempted, "successes": samples, "failed_to_download": attempted - samples,
                       "failed_to_resize": 0, "duration": 60.0, "start_time": 1700000000.0 + shard,
                       "end_time": 1700000060.0 + shard,
                       "status_dict": {"success": samples, "HTTP Error 404: Not Found": attempted - samples}},
                      f, indent=4)
    chosen = [u for u in all_uids if rng.random() < keep]
    twice = [u for u in chosen if rng.random() < 0.05]
    thrice = [u for u in chosen if rng.random() < 0.01]
    absent = ["%032x" % int.from_bytes(rng.bytes(16), "big") for _ in range(1000)]
    listed = chosen + twice + thrice * 2 + absent
    records = np.zeros(len(listed), np.dtype("u8,u8"))
    pairs = np.array([divmod(int(u, 16), 2**64) for u in listed], np.uint64)
    records["f0"], records["f1"] = pairs[:, 0], pairs[:, 1]
    records.sort()
    np.save(os.path.join(folder, "subset.npy"), records)
    total = sum(os.path.getsize(os.path.join(folder, "shards", n)) for n in os.listdir(os.path.join(folder, "shards")))
    print("pool: %d shards x %d samples (%.1f MB) in %s/shards; subset %d uids (%d kept, %d twice, %d three "
          "times, %d absent) in %s/subset.npy" % (shards, samples, total / 1e6, folder, len(records), len(chosen),
                                                  len(twice), len(thrice), len(absent), folder))


# ---------------------------------------------------------------------------------------------
# Running both sides


def prepare(work, input_dir, subset):
    os.makedirs(os.path.join(work, "out"))
    os.symlink(os.path.abspath(input_dir), os.path.join(work, "in"))
    with open(subset, "rb") as f:
        name = "subset.npy" if f.read(6) == b"\x93NUMPY" else "subset.u16"
    shutil.copy(subset, os.path.join(work, name))
    return name


def run(cmd, cwd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    return proc, time.perf_counter() - start


def common_args(subset_name, args):
    out = ["-i", "in", "-o", "out", "-s", subset_name]
    if args.num_workers is not None:
        out += ["-j", str(args.num_workers)]
    if args.shard_size is not None:
        out += ["--shard-size", str(args.shard_size)]
    if args.num_shards is not None:
        out += ["-n", str(args.num_shards)]
    if args.first_shard is not None:
        out += ["--first-shard", str(args.first_shard)]
    return out


# ---------------------------------------------------------------------------------------------
# Reading an output folder


def read_output(out, shard_format="{:08d}.tar", stats_format="{:08d}_stats.json"):
    names = sorted(os.listdir(out))
    tars = [n for n in names if n.endswith(".tar")]
    result = {"tars": {}, "stats_text": {}, "meta": None, "meta_text": None, "sample_ids": None, "names": names}
    for name in tars:
        samples = []
        with tarfile.open(os.path.join(out, name)) as tar:
            for info in tar:
                if not info.isreg():
                    continue
                data = tar.extractfile(info).read()
                key, _, ext = os.path.basename(info.name).partition(".")
                if not samples or samples[-1][0] != key:
                    samples.append((key, {}))
                samples[-1][1][ext] = hashlib.sha256(data).hexdigest()
        result["tars"][name] = samples
        stats = os.path.join(out, name[:-4] + "_stats.json")
        if os.path.exists(stats):
            with open(stats) as f:
                result["stats_text"][name] = f.read()
    if os.path.exists(os.path.join(out, "meta.json")):
        with open(os.path.join(out, "meta.json")) as f:
            result["meta_text"] = f.read()
        result["meta"] = json.loads(result["meta_text"])
    if os.path.exists(os.path.join(out, "sample_ids.npy")):
        with open(os.path.join(out, "sample_ids.npy"), "rb") as f:
            result["sample_ids"] = hashlib.sha256(f.read()).hexdigest()
    return result


def multiset(output):
    return collections.Counter((k, tuple(sorted(m.items()))) for s in output["tars"].values() for k, m in s)


def missing_warning(text):
    found = re.findall(r"(-?\d+) images in the subset were not found", text)
    return int(found[-1]) if found else None


# ---------------------------------------------------------------------------------------------
# Checks


class Report:
    def __init__(self):
        self.rows = []

    def check(self, name, ok, detail=""):
        self.rows.append((name, "ok" if ok else "FAIL", detail))
        return ok

    def info(self, name, detail):
        self.rows.append((name, "info", detail))

    def failed(self):
        return any(r[1] == "FAIL" for r in self.rows)

    def print(self):
        width = max(len(r[0]) for r in self.rows)
        for name, status, detail in self.rows:
            print("  %-*s  %-4s  %s" % (width, name, status, detail))


def side_checks(report, label, output, shard_size, subset_sha, strict_stats_text):
    sizes = {n: len(s) for n, s in output["tars"].items()}
    limit = shard_size if shard_size and shard_size > 0 else 1
    over = [n for n, c in sizes.items() if c > limit]
    report.check("%s: samples per tar <= %d" % (label, limit), not over, ", ".join(over[:5]))
    bad = [n for n in output["tars"] if output["stats_text"].get(n) is None
           or json.loads(output["stats_text"][n]) != {"successes": sizes[n]}]
    report.check("%s: stats successes = tar samples" % label, not bad, ", ".join(bad[:5]))
    if strict_stats_text:
        text = [n for n in output["tars"] if output["stats_text"].get(n) != '{"successes": %d}' % sizes[n]]
        report.check("%s: stats text is resharder.py's" % label, not text,
                     "e.g. %r" % output["stats_text"].get(text[0]) if text else "")
    count = (output["meta"] or {}).get("output_shard_count")
    expected = ["%08d.tar" % i for i in range(count or 0)]
    report.check("%s: names 0..output_shard_count-1" % label, sorted(output["tars"]) == expected,
                 "%d tars, output_shard_count %s" % (len(output["tars"]), count))
    report.check("%s: sample_ids.npy = subset bytes" % label, output["sample_ids"] == subset_sha,
                 "" if output["sample_ids"] == subset_sha else "missing" if output["sample_ids"] is None else "differs")


def compare(report, python_out, swift_out, shard_size, subset_sha):
    a, b = multiset(python_out), multiset(swift_out)
    only_a, only_b = a - b, b - a
    detail = "%d samples" % sum(a.values())
    if only_a or only_b:
        keys_a = sorted(k for k, _ in only_a)[:3]
        keys_b = sorted(k for k, _ in only_b)[:3]
        detail = "%d only in resharder.py (e.g. %s), %d only in Swift (e.g. %s)" % (
            sum(only_a.values()), keys_a, sum(only_b.values()), keys_b)
    report.check("samples (key, member bytes) multiset", not only_a and not only_b, detail)
    side_checks(report, "resharder.py", python_out, shard_size, subset_sha, False)
    side_checks(report, "swift", swift_out, shard_size, subset_sha, True)
    pm, sm = python_out["meta"] or {}, swift_out["meta"] or {}
    diff = ["%s %s/%s" % (k, pm.get(k), sm.get(k)) for k in COUNTERS if pm.get(k) != sm.get(k)]
    report.check("meta.json counters", not diff and bool(sm), "; ".join(diff) or
                 ", ".join("%s %s" % (k, pm.get(k)) for k in COUNTERS))
    keys_equal = [k for k in pm] == [k for k in sm]
    args_diff = [k for k in pm if k not in COUNTERS and k not in ("cwd", "blur_time") and pm.get(k) != sm.get(k)]
    report.check("meta.json keys (order) and args", keys_equal and not args_diff,
                 ("key order differs; " if not keys_equal else "") +
                 "; ".join("%s %r/%r" % (k, pm.get(k), sm.get(k)) for k in args_diff[:6]))
    seq_a = sorted(tuple(k for k, _ in s) for s in python_out["tars"].values())
    seq_b = sorted(tuple(k for k, _ in s) for s in swift_out["tars"].values())
    report.info("shard key sequences (ignoring numbers)", "equal" if seq_a == seq_b else "differ (worker plans differ)")


def summary_row(label, proc, seconds, output):
    meta = output["meta"] or {}
    processed = meta.get("processed_count")
    rate = "%.0f" % (processed / seconds) if processed and seconds > 0 else "-"
    return [label, "%d" % proc.returncode, "%.2f" % seconds, str(processed), rate,
            str(meta.get("output_count")), str(len(output["tars"])),
            str(missing_warning(proc.stderr + proc.stdout))]


def print_table(rows):
    head = ["program", "exit", "wall s", "input samples", "samples/s", "output samples", "tars", "not found"]
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    for row in [head, ["-" * w for w in widths]] + rows:
        print("  " + "  ".join(c.rjust(w) for c, w in zip(row, widths)))


def default_swift():
    for build in ("release", "debug"):
        path = os.path.join(ROOT, ".build", build, "datacomp")
        if os.path.exists(path):
            return path
    return None


def parity(args):
    work = tempfile.mkdtemp(prefix="resharder-parity-")
    report = Report()
    shard_size = args.shard_size if args.shard_size is not None else 10000
    try:
        with open(args.subset_file, "rb") as f:
            subset_sha = hashlib.sha256(f.read()).hexdigest()
        py_dir, sw_dir = os.path.join(work, "python"), os.path.join(work, "swift")
        name = prepare(py_dir, args.input_dir, args.subset_file)
        cmd = [args.python, os.path.join(args.datacomp, "resharder.py")] + common_args(name, args)
        print("resharder.py:", " ".join(cmd[1:]))
        py_proc, py_time = run(cmd, py_dir)
        python_out = read_output(os.path.join(py_dir, "out"))
        rows = [summary_row("resharder.py", py_proc, py_time, python_out)]
        if py_proc.returncode != 0:
            print(py_proc.stderr[-3000:])
        if args.swift:
            prepare(sw_dir, args.input_dir, args.subset_file)
            cmd = [args.swift, "reshard"] + common_args(name, args)
            print("swift:", " ".join(cmd))
            sw_proc, sw_time = run(cmd, sw_dir)
            swift_out = read_output(os.path.join(sw_dir, "out"))
            rows.append(summary_row("datacomp reshard", sw_proc, sw_time, swift_out))
            report.check("swift exit status", sw_proc.returncode == py_proc.returncode,
                         "%d (resharder.py %d)%s" % (sw_proc.returncode, py_proc.returncode,
                                                     ": " + sw_proc.stderr.strip()[-300:] if sw_proc.returncode else ""))
            compare(report, python_out, swift_out, shard_size, subset_sha)
            report.info("'not found' warning count", "resharder.py %s, swift %s" % (
                missing_warning(py_proc.stderr + py_proc.stdout), missing_warning(sw_proc.stderr + sw_proc.stdout)))
        else:
            print("no Swift binary (pass --swift or build .build/release/datacomp): timing resharder.py only")
            side_checks(report, "resharder.py", python_out, shard_size, subset_sha, False)
        print()
        report.print()
        print()
        print_table(rows)
        if args.swift and py_time > 0:
            print("\n  speed-up (wall clock): %.2fx" % (py_time / max(float(rows[1][2]), 1e-9)))
        if args.keep:
            shutil.copytree(work, args.keep, symlinks=True, dirs_exist_ok=True)
            print("  outputs kept in", args.keep)
    finally:
        shutil.rmtree(work)
    return 1 if report.failed() else 0


def fixture_parity(args):
    """Checks the Swift binary against the runs recorded in Tests/Fixtures/resharder."""
    with open(os.path.join(FIXTURE, "expected.json")) as f:
        expected = json.load(f)
    if not args.swift:
        print("no --datacomp and no Swift binary: nothing to compare (see --help)")
        return 0
    failed = False
    for name, run_ in expected["runs"].items():
        work = tempfile.mkdtemp(prefix="resharder-parity-")
        try:
            shutil.copytree(os.path.join(FIXTURE, "shards"), os.path.join(work, "shards"))
            for f in ("subset.npy", "subset.u16"):
                shutil.copy(os.path.join(FIXTURE, f), os.path.join(work, f))
            os.makedirs(os.path.join(work, "out"))
            proc, seconds = run([args.swift, "reshard"] + run_["args"], work)
            output = read_output(os.path.join(work, "out"))
            report = Report()
            report.check("exit status", proc.returncode == run_["exit_status"], "%d: %s" % (
                proc.returncode, proc.stderr.strip()[-300:]) if proc.returncode else "0")
            samples = sorted(({"key": k, "members": m} for s in output["tars"].values() for k, m in s),
                             key=lambda d: (d["key"], json.dumps(d["members"], sort_keys=True)))
            report.check("samples (key, member bytes) multiset", samples == run_["samples"],
                         "%d samples (expected %d)" % (len(samples), len(run_["samples"])))
            counts = sorted(len(s) for s in output["tars"].values())
            report.check("sorted shard sample counts", counts == run_["shard_sample_counts_sorted"],
                         "%s vs %s" % (counts[:12], run_["shard_sample_counts_sorted"][:12]))
            args_list = run_["args"]
            size = int(args_list[args_list.index("--shard-size") + 1]) if "--shard-size" in args_list else 10000
            subset = os.path.join(FIXTURE, args_list[args_list.index("-s") + 1])
            with open(subset, "rb") as f:
                subset_sha = hashlib.sha256(f.read()).hexdigest()
            side_checks(report, "swift", output, size, subset_sha, True)
            meta = output["meta"] or {}
            diff = ["%s %s/%s" % (k, run_["meta_counters"][k], meta.get(k)) for k in COUNTERS
                    if run_["meta_counters"][k] != meta.get(k)]
            report.check("meta.json counters", not diff and bool(meta), "; ".join(diff))
            report.check("meta.json keys (order)", list(meta) == run_["meta_keys"], "")
            args_diff = [k for k, v in run_["meta_args"].items() if meta.get(k) != v]
            report.check("meta.json args", not args_diff, "; ".join("%s %r/%r" % (k, run_["meta_args"][k], meta.get(k))
                                                                    for k in args_diff[:5]))
            print("== %s: datacomp reshard %s (%.2f s)" % (name, " ".join(run_["args"]), seconds))
            report.print()
            failed |= report.failed()
        finally:
            shutil.rmtree(work)
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datacomp", default=os.environ.get("DATACOMP_DIR"),
                        help="checkout of mlfoundations/datacomp (resharder.py at its root)")
    parser.add_argument("--python", default=os.environ.get("RESHARDER_PYTHON", sys.executable),
                        help="interpreter that can import resharder.py")
    parser.add_argument("--swift", default=default_swift(), help="the datacomp binary")
    parser.add_argument("-i", "--input-dir", default=os.path.join(FIXTURE, "shards"))
    parser.add_argument("-s", "--subset-file", default=os.path.join(FIXTURE, "subset.npy"))
    parser.add_argument("-j", "--num-workers", type=int, default=None)
    parser.add_argument("--shard-size", type=int, default=None)
    parser.add_argument("-n", "--num-shards", type=int, default=None)
    parser.add_argument("--first-shard", type=int, default=None)
    parser.add_argument("--keep", help="copy both scratch folders here before deleting them")
    parser.add_argument("--make-pool", metavar="DIR", help="write a larger img2dataset-style pool and exit")
    parser.add_argument("--pool-shards", type=int, default=50)
    parser.add_argument("--pool-samples", type=int, default=2000)
    parser.add_argument("--image-kb", type=float, default=20)
    parser.add_argument("--keep-fraction", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.make_pool:
        make_pool(args.make_pool, args.pool_shards, args.pool_samples, args.image_kb, args.keep_fraction, args.seed)
        return 0
    if not args.datacomp:
        return fixture_parity(args)
    return parity(args)


if __name__ == "__main__":
    sys.exit(main())
