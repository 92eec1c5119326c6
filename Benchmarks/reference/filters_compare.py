#!/usr/bin/env python3
"""Driver of Benchmarks/filters-compare.sh (standard library only): times whole processes, as a
user runs them, of our `datacomp` CLI and of DataComp's Python tools on the same inputs with the
same number of workers, and prints one table.

Every timed run goes through measure(): wall clock (time.perf_counter around the process), user +
system CPU and maximum resident set size from /usr/bin/time (-f "%U %S %M"; %M of a run with worker
processes is the largest single process), and the CPU time the rest of the machine used during the
run ("others' CPU s": busy time in /proc/stat minus the run's own CPU time), so that a run that
overlapped someone else's compile shows it. Before each run the driver waits (up to --max-wait
seconds) until the machine is idle (less than --idle-cores of CPU busy over one second).

Sections (--sections, comma-separated; default all):
  filters  DataComp's baselines.py (check_args + apply_filter, unmodified; substitutions from
           Scripts/parity/baselines_parity.py via reference/baselines_env.py) against
           `datacomp filter` on the same metadata folder: clip_score (l14 fraction 0.3, b32
           threshold 0.3) on the 10M-row MEMORY pool (DataComp's clip_score reads only two columns
           and needs that many rows to run 30 s or more), basic_filter on the FILTERS pool,
           text_based on the TEXT pool.
           Subsets compared byte for byte.
  reshard  resharder.py (RESHARDER_PYTHON) against `datacomp reshard` on an img2dataset-style pool
           (RESHARD_POOL/shards, RESHARD_POOL/subset.npy), -j WORKERS; meta.json counters compared.
  kmeans   faiss.Clustering (reference/faiss_kmeans.py; niter 20, seed 0,
           max_points_per_centroid 1e7, IndexFlatL2, omp threads = WORKERS) against
           `datacomp kmeans --disable-caption-filtering --num-workers WORKERS` on the KMEANS pool's
           l14_img. Per-iteration seconds: faiss's own train time / iterations run; ours
           (P(20) - P(1)) / (iterations run - 1), where P(n) is the time from the CLI's
           "clustering ..." line (npz files read) to its "wrote ..." line in a run with
           --num-iterations n: reading, conversion and set-up cancel out. Both stop early when the
           objective repeats exactly (faiss's early_stop_threshold 0), so the count faiss ran is
           used. Centroids compared (max |difference|).
  memory   `datacomp filter --name clip_score --arch l14` (--fraction 0.3, and for the breakdown
           --fraction 0.01 and --threshold 0.3) maximum RSS on the base
           pool, the first half of the 10M pool (symlinks) and the 10M pool; bytes per sample
           (RSS_10M - RSS_base) / (rows_10M - rows_base) and the slope between 5M and 10M.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_busy_seconds():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal guest guest_nice
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]) / CLK_TCK


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def wait_idle(opts):
    """Waits until less than opts.idle_cores of CPU are busy over one second; returns (waited s, busy)."""
    start = time.time()
    while True:
        a = cpu_busy_seconds()
        time.sleep(1.0)
        busy = cpu_busy_seconds() - a
        if busy < opts.idle_cores or time.time() - start > opts.max_wait:
            return time.time() - start, busy
        time.sleep(4.0)


def measure(opts, label, command, env=None, cwd=None, log=None, stamps=None, retries=2, setup=None):
    """Times one process; with stamps (a list), appends (seconds since the start, line) for every
    line the process prints, as it prints it. A run during which the rest of the machine used more
    than 1 s and 5 % of the run's wall time of CPU is reported and run again (up to `retries` times);
    setup() runs before every attempt (untimed)."""
    for attempt in range(retries + 1):
        if setup is not None:
            setup()
        if stamps is not None:
            del stamps[:]
        result = measure_once(opts, label, command, env, cwd, log, stamps)
        if result["others_cpu"] <= max(1.0, 0.05 * result["wall"]) or attempt == retries:
            return result
        print("    (overlapped other work: %.1f s of others' CPU; running it again)" % result["others_cpu"], flush=True)


def measure_once(opts, label, command, env, cwd, log, stamps):
    waited, busy_before = wait_idle(opts)
    out = tempfile.NamedTemporaryFile(prefix="time-", suffix=".txt", delete=False)
    out.close()
    load = loadavg()
    before = cpu_busy_seconds()
    start = time.perf_counter()
    with open(log or os.devnull, "w") as sink:
        if stamps is None:
            proc = subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%U %S %M"] + command, env=env, cwd=cwd,
                                  stdout=sink, stderr=subprocess.STDOUT)
        else:
            proc = subprocess.Popen(["/usr/bin/time", "-o", out.name, "-f", "%U %S %M"] + command, env=env, cwd=cwd,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for line in proc.stdout:
                stamps.append((time.perf_counter() - start, line.rstrip("\n")))
                sink.write("%9.3f %s" % (stamps[-1][0], line))
            proc.wait()
    wall = time.perf_counter() - start
    busy = cpu_busy_seconds() - before
    with open(out.name) as f:
        last = f.read().strip().splitlines()[-1].split()
    os.unlink(out.name)
    if proc.returncode != 0:
        tail = open(log).read()[-3000:] if log else ""
        sys.exit("%s failed (exit %d): %s\n%s" % (label, proc.returncode, " ".join(command), tail))
    user, system, rss_kb = float(last[0]), float(last[1]), int(last[2])
    result = {"label": label, "wall": wall, "cpu": user + system, "rss_kb": rss_kb,
              "others_cpu": max(0.0, busy - user - system), "load_before": load, "waited": waited,
              "busy_before": busy_before}
    print("  %-44s %8.2f s  cpu %7.2f s  rss %8.1f MB  others' cpu %5.1f s  load %s" % (
        label, wall, user + system, rss_kb / 1024, result["others_cpu"], load), flush=True)
    return result


def same_bytes(a, b):
    with open(a, "rb") as f, open(b, "rb") as g:
        return f.read() == g.read()


def parquet_rows(folder):
    """Rows of a metadata folder, from the Parquet footers (no pyarrow needed)."""
    total = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.parquet"))):
        out = subprocess.run([OPTS.datacomp_bin, "inspect", path], capture_output=True, text=True, check=True).stdout
        total += json.loads(out)["rows"]
    return total


def ratio(python_runs, swift_runs):
    return statistics.median(r["wall"] for r in python_runs) / statistics.median(r["wall"] for r in swift_runs)


def times(runs):
    return " / ".join("%.2f" % r["wall"] for r in runs)


def overlap(runs):
    worst = max(r["others_cpu"] for r in runs)
    return "%.1f" % worst


# ------------------------------------------------------------------------------------------------
# Sections


FILTERS = [
    ("clip_score --arch l14 --fraction 0.3", "large", ["--name", "clip_score", "--arch", "l14", "--fraction", "0.3"], 5),
    ("clip_score --arch b32 --threshold 0.3", "large", ["--name", "clip_score", "--arch", "b32", "--threshold", "0.3"], 5),
    ("basic_filter", "filters", ["--name", "basic_filter"], 5),
    ("text_based", "text", ["--name", "text_based"], 10),
]


def section_filters(opts, rows):
    with open(os.path.join(opts.dcscratch, "env.sh")) as f:
        python_env = dict(os.environ)
        for line in f:
            key, _, value = line.strip()[len("export "):].partition("=")
            python_env[key] = value.strip("'")
    swift_env = dict(os.environ)
    swift_env["DATACOMP_FASTTEXT_LID"] = opts.fasttext
    swift_env["DATACOMP_IMAGENET21K_WORDNET_IDS"] = opts.imagenet21k_ids
    out = os.path.join(opts.work, "filters")
    os.makedirs(out, exist_ok=True)
    pools = {"filters": opts.filters_pool, "text": opts.text_pool, "large": opts.memory_pool}
    for name, pool_key, args, target in FILTERS:
        if opts.filters and args[1] not in opts.filters.split(","):
            continue
        pool = pools[pool_key]
        n = parquet_rows(pool)
        key = name.replace(" ", "").replace("--", "_")
        print("%s on %s (%d rows)" % (name, pool, n), flush=True)
        py_runs, sw_runs, identical = [], [], True
        for repeat in range(opts.repeats):
            py_out = os.path.join(out, key + ".python.npy")
            sw_out = os.path.join(out, key + ".swift.npy")
            for path in (py_out, sw_out):
                if os.path.exists(path):
                    os.remove(path)
            py_args = args  # the same flags (none has an inner dash)
            py_runs.append(measure(opts, "baselines.py %s #%d" % (name, repeat + 1),
                                   [opts.dcenv_python, os.path.join(opts.datacomp_dir, "baselines.py")] + py_args +
                                   ["--metadata_dir", pool, "--save_path", py_out, "--num_workers", str(opts.workers)],
                                   env=python_env, cwd=os.path.join(opts.dcscratch, "work"),
                                   log=os.path.join(out, key + ".python.log")))
            sw_runs.append(measure(opts, "datacomp filter %s #%d" % (name, repeat + 1),
                                   [opts.datacomp_bin, "filter"] + args +
                                   ["--metadata-dir", pool, "--save-path", sw_out, "--num-workers", str(opts.workers)],
                                   env=swift_env, log=os.path.join(out, key + ".swift.log")))
            identical &= same_bytes(py_out, sw_out)
        rows.append({"step": name, "size": "%s rows, %d files" % (format(n, ","), len(glob.glob(os.path.join(pool, "*.parquet")))),
                     "python": times(py_runs), "swift": times(sw_runs), "ratio": ratio(py_runs, sw_runs),
                     "target": "%d×" % target, "met": ratio(py_runs, sw_runs) >= target,
                     "check": "subset identical" if identical else "SUBSET DIFFERS",
                     "others": overlap(py_runs + sw_runs), "py_rss": max(r["rss_kb"] for r in py_runs),
                     "sw_rss": max(r["rss_kb"] for r in sw_runs)})


def read_meta(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    return {k: meta.get(k) for k in ("processed_count", "output_count", "output_shard_count")}


def section_reshard(opts, rows):
    shards = os.path.join(opts.reshard_pool, "shards")
    subset = os.path.join(opts.reshard_pool, "subset.npy")
    if not os.path.isdir(shards):
        print("reshard: no pool at %s (make one with Scripts/parity/resharder_parity.py --make-pool)" % opts.reshard_pool)
        return
    tars = sorted(glob.glob(os.path.join(shards, "*.tar")))
    size = sum(os.path.getsize(t) for t in tars)
    print("reshard %s (%d shards, %.1f GB), warming the page cache" % (shards, len(tars), size / 1e9), flush=True)
    for t in tars:  # both sides read the input from the page cache
        with open(t, "rb") as f:
            while f.read(1 << 24):
                pass
    out = os.path.join(opts.work, "reshard")
    py_runs, sw_runs, counters = [], [], []
    for repeat in range(opts.repeats):
        for side in ("python", "swift"):
            target = os.path.join(out, side)

            def empty_output(target=target):
                shutil.rmtree(target, ignore_errors=True)
                os.makedirs(target)
            common = ["-i", shards, "-o", target, "-s", subset, "-j", str(opts.workers)]
            if side == "python":
                py_runs.append(measure(opts, "resharder.py #%d" % (repeat + 1),
                                       [opts.resharder_python, os.path.join(opts.datacomp_dir, "resharder.py")] + common,
                                       cwd=out, log=os.path.join(out, "python.log"), setup=empty_output))
            else:
                sw_runs.append(measure(opts, "datacomp reshard #%d" % (repeat + 1),
                                       [opts.datacomp_bin, "reshard"] + common, cwd=out,
                                       log=os.path.join(out, "swift.log"), setup=empty_output))
            counters.append(read_meta(target))
    same = all(c == counters[0] for c in counters)
    samples = counters[0]["processed_count"]
    rows.append({"step": "reshard (-j %d)" % opts.workers,
                 "size": "%d shards, %s samples, %.1f GB; %s kept" % (len(tars), format(samples or 0, ","), size / 1e9,
                                                                  format(counters[0]["output_count"] or 0, ",")),
                 "python": times(py_runs), "swift": times(sw_runs), "ratio": ratio(py_runs, sw_runs), "target": "1×",
                 "met": ratio(py_runs, sw_runs) >= 1, "check": "counters equal" if same else "COUNTERS DIFFER",
                 "others": overlap(py_runs + sw_runs), "py_rss": max(r["rss_kb"] for r in py_runs),
                 "sw_rss": max(r["rss_kb"] for r in sw_runs)})
    shutil.rmtree(out, ignore_errors=True)


def kmeans_phase(stamps):
    """Seconds from our CLI's "clustering N points ..." line (printed once the npz files are read and
    converted) to its "wrote ..." line: the k-means iterations plus their set-up."""
    begin = [t for t, line in stamps if line.startswith("clustering ")]
    end = [t for t, line in stamps if line.startswith("wrote ")]
    return end[-1] - begin[-1] if begin and end else float("nan")


def section_kmeans(opts, rows):
    pool = opts.kmeans_pool
    out = os.path.join(opts.work, "kmeans")
    os.makedirs(out, exist_ok=True)
    n = parquet_rows(pool)
    print("k-means on %s (%d points, k = %d)" % (pool, n, opts.kmeans_k), flush=True)
    faiss_runs, faiss_iter, faiss_count, one, twenty, one_phase, twenty_phase = [], [], [], [], [], [], []
    faiss_json = os.path.join(out, "faiss.log")
    for repeat in range(opts.repeats):
        faiss_runs.append(measure(opts, "faiss.Clustering niter 20 #%d" % (repeat + 1),
                                  [opts.refenv_python, os.path.join(opts.here, "faiss_kmeans.py"), "--metadata-dir", pool,
                                   "--num-clusters", str(opts.kmeans_k), "--threads", str(opts.workers),
                                   "--out", os.path.join(out, "faiss.npy")], log=faiss_json))
        with open(faiss_json) as f:
            report = json.loads([line for line in f if line.startswith("{")][-1])
        # faiss (and our CLI, which follows it) stops early once the objective repeats exactly
        faiss_count.append(len(report["iteration_s"]))
        faiss_iter.append(report["train_s"] / faiss_count[-1])
        print("    faiss: load %.2f s, train %.2f s, %d iterations, %.3f s per iteration" % (
            report["load_s"], report["train_s"], faiss_count[-1], faiss_iter[-1]), flush=True)
        for iterations, runs, phases in ((1, one, one_phase), (20, twenty, twenty_phase)):
            stamps = []
            runs.append(measure(opts, "datacomp kmeans --num-iterations %d #%d" % (iterations, repeat + 1),
                                [opts.datacomp_bin, "kmeans", "--metadata-dir", pool, "--save-path",
                                 os.path.join(out, "swift%d.npy" % iterations), "--num-clusters", str(opts.kmeans_k),
                                 "--disable-caption-filtering", "--num-iterations", str(iterations),
                                 "--num-workers", str(opts.workers)], log=os.path.join(out, "swift%d.log" % iterations),
                                stamps=stamps))
            phases.append(kmeans_phase(stamps))
            print("    ours: %.2f s from reading done to centroids written" % phases[-1], flush=True)
    iterations = faiss_count[-1]
    if iterations < 20:
        print("  WARNING: faiss converged after %d iterations (the objective repeated); per-iteration times use "
              "that count" % iterations)
    # ours: (phase of the full run - phase of the 1-iteration run) / (iterations - 1): reading the
    # npz files, the float16 conversion and the set-up cancel out
    swift_iter = [(b - a) / (iterations - 1) for a, b in zip(one_phase, twenty_phase)]
    diff = subprocess.run([opts.refenv_python, "-c",
                           "import sys, numpy as np; a = np.load(sys.argv[1]); b = np.load(sys.argv[2]); "
                           "print('%.3g' % float(np.abs(a.astype(np.float64) - b).max()))",
                           os.path.join(out, "faiss.npy"), os.path.join(out, "swift20.npy")],
                          capture_output=True, text=True).stdout.strip()
    per = statistics.median(faiss_iter) / statistics.median(swift_iter)
    common = {"size": "%s × 768 points (float16 npz), k = %d, %d files; %d iterations run" % (
        format(n, ","), opts.kmeans_k, len(glob.glob(os.path.join(pool, "*.npz"))), iterations),
        "others": overlap(faiss_runs + one + twenty), "py_rss": max(r["rss_kb"] for r in faiss_runs),
        "sw_rss": max(r["rss_kb"] for r in twenty)}
    rows.append(dict(common, step="k-means, s per iteration", python=" / ".join("%.3f" % x for x in faiss_iter),
                     swift=" / ".join("%.3f" % x for x in swift_iter), ratio=per, target="1×", met=per >= 1,
                     check="max |Δcentroid| %s" % diff))
    rows.append(dict(common, step="k-means, whole process (niter 20)", python=times(faiss_runs),
                     swift=times(twenty), ratio=ratio(faiss_runs, twenty), target="-", met=None,
                     check="ours with 1 iteration: %s s" % times(one)))


def status_kb(pid):
    """VmRSS, RssAnon and RssFile of a running process, in KB (None once it has exited)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return tuple(int(fields[k].split()[0]) for k in ("VmRSS", "RssAnon", "RssFile"))
    except (OSError, KeyError, ValueError):
        return None


def measure_memory(opts, label, command, log):
    """Runs command under /usr/bin/time; maximum RSS is its %M (the kernel's maximum resident set
    size of the process, what /usr/bin/time -v prints as "Maximum resident set size"; taken through
    /usr/bin/time because a child forked from this Python driver would carry the driver's own RSS
    into ru_maxrss until it execs), plus the peaks of anonymous and file-backed RSS seen by sampling
    /proc/PID/status every 5 ms (memory-mapped Parquet pages count as file-backed RSS)."""
    wait_idle(opts)
    record = tempfile.NamedTemporaryFile(prefix="time-", suffix=".txt", delete=False)
    record.close()
    start = time.perf_counter()
    peak_anon = peak_file = 0
    with open(log, "w") as sink:
        proc = subprocess.Popen(["/usr/bin/time", "-o", record.name, "-f", "%M"] + command, stdout=sink,
                                stderr=subprocess.STDOUT)
        child = None
        while proc.poll() is None:
            if child is None:
                try:
                    with open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)) as f:
                        found = f.read().split()
                    child = int(found[0]) if found else None
                except OSError:
                    pass
            sample = status_kb(child) if child else None
            if sample:
                peak_anon, peak_file = max(peak_anon, sample[1]), max(peak_file, sample[2])
            time.sleep(0.005)
    wall = time.perf_counter() - start
    with open(record.name) as f:
        lines = f.read().strip().splitlines()
    os.unlink(record.name)
    if proc.returncode != 0:
        sys.exit("%s failed: %s" % (label, open(log).read()[-2000:]))
    rss_kb = int(lines[-1])
    print("  %-52s %7.2f s  max RSS %7.1f MB (sampled peaks: anonymous %7.1f MB, file-backed %7.1f MB)" % (
        label, wall, rss_kb / 1024, peak_anon / 1024, peak_file / 1024), flush=True)
    return {"wall": wall, "rss_kb": rss_kb, "anon_kb": peak_anon, "file_kb": peak_file}


MEMORY_VARIANTS = [("fraction 0.3", ["--fraction", "0.3"]), ("fraction 0.01", ["--fraction", "0.01"]),
                   ("threshold 0.3", ["--threshold", "0.3"])]


def section_memory(opts, rows, memory):
    out = os.path.join(opts.work, "memory")
    os.makedirs(out, exist_ok=True)
    half = os.path.join(opts.work, "memory", "half-pool")
    shutil.rmtree(half, ignore_errors=True)
    os.makedirs(half)
    files = sorted(glob.glob(os.path.join(opts.memory_pool, "*.parquet")))
    for path in files[:len(files) // 2]:
        os.symlink(path, os.path.join(half, os.path.basename(path)))
    pools = [("base", opts.memory_base), ("half", half), ("full", opts.memory_pool)]
    sizes = {label: (parquet_rows(pool), len(glob.glob(os.path.join(pool, "*.parquet")))) for label, pool in pools}
    print("peak memory: clip_score --arch l14 on %s" % ", ".join(
        "%s %s rows / %d files" % (label, format(n, ","), f) for label, (n, f) in sizes.items()), flush=True)
    memory["pools"] = {label: {"rows": n, "files": f} for label, (n, f) in sizes.items()}
    memory["variants"] = {}
    for name, args in MEMORY_VARIANTS:
        result = {}
        for label, pool in pools:
            runs = [measure_memory(opts, "datacomp filter clip_score %s, %s #%d" % (name, label, r + 1),
                                   [opts.datacomp_bin, "filter", "--name", "clip_score", "--arch", "l14"] + args +
                                   ["--metadata-dir", pool, "--save-path", os.path.join(out, label + ".npy"),
                                    "--num-workers", str(opts.workers)], os.path.join(out, label + ".log"))
                    for r in range(opts.repeats)]
            with open(os.path.join(out, label + ".report.json")) as f:
                report = json.load(f)
            kept = report.get("samples_kept")
            result[label] = {"rss_kb": [r["rss_kb"] for r in runs], "anon_kb": [r["anon_kb"] for r in runs],
                             "file_kb": [r["file_kb"] for r in runs], "wall": [r["wall"] for r in runs],
                             "kept": kept}
        med = {k: {m: statistics.median(v[m]) * 1024 for m in ("rss_kb", "anon_kb", "file_kb")}
               for k, v in result.items()}
        rows_of = {k: sizes[k][0] for k in sizes}
        result["bytes_per_sample_vs_base"] = {m: (med["full"][m] - med["base"][m]) / (rows_of["full"] - rows_of["base"])
                                              for m in ("rss_kb", "anon_kb", "file_kb")}
        result["bytes_per_sample_slope_5m_10m"] = {m: (med["full"][m] - med["half"][m]) / (rows_of["full"] - rows_of["half"])
                                                   for m in ("rss_kb", "anon_kb", "file_kb")}
        memory["variants"][name] = result


# ------------------------------------------------------------------------------------------------


def versions(opts):
    def run(command):
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=120).stdout.strip()
        except Exception:
            return "?"
    dc = run([opts.dcenv_python, "-c", "import sys, numpy, pandas, pyarrow, torch, nltk, importlib.metadata as m; "
              "print('Python %s, numpy %s, pandas %s, pyarrow %s, torch %s, nltk %s, fasttext %s' % (sys.version.split()[0], "
              "numpy.__version__, pandas.__version__, pyarrow.__version__, torch.__version__, nltk.__version__, "
              "m.version('fasttext-wheel')))"])
    rs = run([opts.resharder_python, "-c", "import sys, importlib.metadata as m; print('Python %s, webdataset %s, "
              "numpy %s' % (sys.version.split()[0], m.version('webdataset'), m.version('numpy')))"])
    fa = run([opts.refenv_python, "-c", "import sys, faiss, numpy; print('Python %s, faiss-cpu %s, numpy %s' % "
              "(sys.version.split()[0], faiss.__version__, numpy.__version__))"])
    commit = run(["git", "-C", opts.datacomp_dir, "rev-parse", "HEAD"]) or "(not a git checkout)"
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"baselines.py env": dc, "resharder.py env": rs, "faiss env": fa, "DataComp checkout": commit,
            "machine": "%s, %d cores, %.0f GB RAM, %s" % (cpu, os.cpu_count(),
                                                         os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
                                                         platform.platform()),
            "datacomp binary": "%s (%s)" % (opts.datacomp_bin, datetime.datetime.fromtimestamp(
                os.path.getmtime(opts.datacomp_bin)).isoformat(timespec="seconds"))}


def main():
    global OPTS
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sections", default="filters,reshard,kmeans,memory")
    parser.add_argument("--datacomp-bin", required=True)
    parser.add_argument("--datacomp-dir", required=True)
    parser.add_argument("--dcenv-python", required=True)
    parser.add_argument("--resharder-python", required=True)
    parser.add_argument("--refenv-python", required=True)
    parser.add_argument("--dcscratch", required=True, help="folder prepared by reference/baselines_env.py")
    parser.add_argument("--work", required=True)
    parser.add_argument("--filters-pool", required=True)
    parser.add_argument("--text-pool", required=True)
    parser.add_argument("--kmeans-pool", required=True)
    parser.add_argument("--memory-pool", required=True)
    parser.add_argument("--memory-base", required=True)
    parser.add_argument("--reshard-pool", required=True)
    parser.add_argument("--filters", default="", help="only these baselines (comma-separated: clip_score, "
                        "basic_filter, text_based); default all")
    parser.add_argument("--kmeans-k", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--fasttext", default=os.path.expanduser("~/.cache/datacomp/lid.176.ftz"))
    parser.add_argument("--imagenet21k-ids", default=os.path.expanduser("~/.cache/datacomp/imagenet21k_goog_synsets.txt"))
    parser.add_argument("--idle-cores", type=float, default=0.3)
    parser.add_argument("--max-wait", type=float, default=600)
    parser.add_argument("--json", default=None, help="also write the results here")
    opts = parser.parse_args()
    opts.here = os.path.dirname(os.path.abspath(__file__))
    OPTS = opts
    sections = opts.sections.split(",")
    started = datetime.datetime.now().isoformat(timespec="seconds")
    print("started %s, load %s" % (started, loadavg()), flush=True)
    rows, memory = [], {}
    if "filters" in sections:
        section_filters(opts, rows)
    if "reshard" in sections:
        section_reshard(opts, rows)
    if "kmeans" in sections:
        section_kmeans(opts, rows)
    if "memory" in sections:
        section_memory(opts, rows, memory)
    info = versions(opts)

    print()
    print("Filters, resharding and k-means: whole-process wall clock, %d workers/threads each side, "
          "%d runs each (times listed in run order; ratio = median Python / median ours)" % (opts.workers, opts.repeats))
    for key, value in info.items():
        print("  %s: %s" % (key, value))
    print("  started %s, finished %s" % (started, datetime.datetime.now().isoformat(timespec="seconds")))
    if rows:
        head = ["step", "input", "Python s", "ours s", "ratio", "target", "met", "check", "others' CPU s (max)",
                "max RSS MB Python / ours"]
        table = [[r["step"], r["size"], r["python"], r["swift"], "%.2f×" % r["ratio"], r["target"],
                  "-" if r["met"] is None else ("yes" if r["met"] else "NO"), r["check"], r["others"],
                  "%.0f / %.0f" % (r["py_rss"] / 1024, r["sw_rss"] / 1024)] for r in rows]
        print()
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" for _ in head) + "|")
        for row in table:
            print("| " + " | ".join(row) + " |")
    if memory:
        print()
        print("Peak memory of `datacomp filter --name clip_score --arch l14` (%d workers; max RSS = the kernel's "
              "maximum resident set size, as /usr/bin/time -v reports it; anonymous / file-backed = sampled peaks "
              "of RssAnon / RssFile):" % opts.workers)
        print("| filter | pool | rows | files | max RSS MB | anonymous MB | file-backed MB | wall s |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for name, result in memory["variants"].items():
            for label in ("base", "half", "full"):
                value, size = result[label], memory["pools"][label]
                print("| %s | %s | %s | %d | %s | %s | %s | %s |" % (
                    name, label, format(size["rows"], ","), size["files"],
                    " / ".join("%.1f" % (k / 1024) for k in value["rss_kb"]),
                    " / ".join("%.1f" % (k / 1024) for k in value["anon_kb"]),
                    " / ".join("%.1f" % (k / 1024) for k in value["file_kb"]),
                    " / ".join("%.2f" % w for w in value["wall"])))
        print()
        print("| filter | bytes/sample, max RSS | anonymous | file-backed | slope 5M→10M: max RSS | anonymous | file-backed |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, result in memory["variants"].items():
            a, b = result["bytes_per_sample_vs_base"], result["bytes_per_sample_slope_5m_10m"]
            print("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |" % (
                name, a["rss_kb"], a["anon_kb"], a["file_kb"], b["rss_kb"], b["anon_kb"], b["file_kb"]))
    if opts.json:
        with open(opts.json, "w") as f:
            json.dump({"started": started, "info": info, "rows": rows, "memory": memory}, f, indent=1)


if __name__ == "__main__":
    main()
