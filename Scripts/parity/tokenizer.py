"""Tokenizer parity: `datacomp tokenize` against OpenCLIP 3.3.0's tokenizer.

Generates N varied captions (ASCII, accented Latin, Greek/Cyrillic, CJK, other scripts, emoji,
digits, punctuation runs, HTML entities, contractions, special-token literals, random assigned code
points, over-long captions, whitespace oddities) with the generator of Scripts/fixtures/tokenizer.py,
keeps those for which ftfy.fix_text changes nothing, runs the Swift CLI on them and compares every
id with open_clip.tokenize. Also reports (informationally) the captions that ftfy does change and
how many of those still match, and times both tokenizers on one core.

    DATACOMP_CLI=.build/release/datacomp /work/refenv/bin/python Scripts/parity/tokenizer.py [N]
"""
import importlib.util
import os
import pathlib
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]  # numpy.py lives here

import ftfy  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import open_clip  # noqa: E402

ROOT = HERE.parents[1]
spec = importlib.util.spec_from_file_location("tokenizer_fixture", ROOT / "Scripts/fixtures/tokenizer.py")
generator = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generator)

CLI = os.environ.get("DATACOMP_CLI", str(ROOT / ".build/release/datacomp"))


def run_cli(captions, folder, name, threads=1, context=77):
    src = pathlib.Path(folder) / f"{name}.txt"
    out = pathlib.Path(folder) / f"{name}.npy"
    src.write_bytes("".join(c + "\n" for c in captions).encode("utf-8"))
    start = time.perf_counter()
    subprocess.run([CLI, "tokenize", "--input", str(src), "--output", str(out), "--threads", str(threads),
                    "--context-length", str(context)], check=True)
    elapsed = time.perf_counter() - start
    return np.load(out), elapsed


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
    torch.set_num_threads(1)
    all_captions = generator.generate(7, count)
    clean = [c for c in all_captions if ftfy.fix_text(c) == c]
    changed = [c for c in all_captions if ftfy.fix_text(c) != c]
    with tempfile.TemporaryDirectory() as folder:
        ours, _ = run_cli(clean, folder, "clean")
        reference = open_clip.tokenize(clean).numpy()
        bad = np.nonzero((ours != reference).any(axis=1))[0]
        print(f"parity: {len(clean)} captions for which ftfy.fix_text changes nothing; mismatching rows: {len(bad)}")
        for index in bad[:20]:
            print("  MISMATCH", repr(clean[index]))
            print("    ours", [int(x) for x in ours[index] if x])
            print("    ref ", [int(x) for x in reference[index] if x])
        # Other context lengths (truncation rule).
        for context in (1, 2, 5, 16):
            small, _ = run_cli(clean[:3000], folder, f"ctx{context}", context=context)
            ref_small = open_clip.tokenize(clean[:3000], context_length=context).numpy()
            print(f"context_length={context}: mismatching rows {int((small != ref_small).any(axis=1).sum())} of 3000")
        # Informational: captions that ftfy repairs (we reproduce only NFC).
        if changed:
            theirs, _ = run_cli(changed, folder, "changed")
            ref_changed = open_clip.tokenize(changed).numpy()
            same = int((theirs == ref_changed).all(axis=1).sum())
            print(f"informational: {len(changed)} generated captions that ftfy.fix_text changes; {same} still match")

        # Speed on one core: a realistic caption mix repeated to 200k captions (cold caches).
        bench = (generator.generate(99, 20000) * 10)
        tokenizer = open_clip.tokenizer.SimpleTokenizer()
        start = time.perf_counter()
        tokenizer(bench)
        python_seconds = time.perf_counter() - start
        _, empty_seconds = run_cli([], folder, "empty")
        _, swift_seconds = run_cli(bench, folder, "bench", threads=1)
        _, swift_parallel = run_cli(bench, folder, "bench2", threads=os.cpu_count() or 1)
        swift_net = swift_seconds - empty_seconds
        print(f"speed, {len(bench)} captions, one core: OpenCLIP {python_seconds:.2f} s "
              f"({len(bench) / python_seconds:,.0f}/s); datacomp tokenize --threads 1 {swift_seconds:.2f} s wall "
              f"incl. {empty_seconds:.2f} s start-up and vocabulary load -> {python_seconds / swift_seconds:.1f}x "
              f"(tokenizing only {python_seconds / max(swift_net, 1e-9):.1f}x); "
              f"--threads {os.cpu_count()}: {swift_parallel:.2f} s")
    sys.exit(1 if len(bad) else 0)


if __name__ == "__main__":
    main()
