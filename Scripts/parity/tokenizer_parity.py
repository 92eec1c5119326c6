"""Tokenizer parity: `datacomp tokenize` against OpenCLIP 3.3.0's tokenizer.

Generates N varied captions (ASCII, accented Latin, Greek/Cyrillic, CJK, other scripts, emoji,
digits, punctuation runs, HTML entities, contractions, special-token literals, random assigned code
points, over-long captions, whitespace oddities) with the generator of Scripts/fixtures/tokenizer_fixtures.py,
keeps those for which ftfy.fix_text changes nothing, runs the Swift CLI on them and compares every
id with open_clip.tokenize. Also reports (informationally) the captions that ftfy does change and
how many of those still match, and times both tokenizers on one core. Captions that ftfy changes
only through the repairs we reproduce are checked too (they must match as well).

    DATACOMP_CLI=.build/release/datacomp refenv/bin/python Scripts/parity/tokenizer_parity.py [N]
"""
import importlib.util
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import random
import resource
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]  # numpy.py lives here

import ftfy  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import open_clip  # noqa: E402

ROOT = HERE.parents[1]
spec = importlib.util.spec_from_file_location("tokenizer_fixture", ROOT / "Scripts/fixtures/tokenizer_fixtures.py")
generator = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generator)

CLI = os.environ.get("DATACOMP_CLI", str(ROOT / ".build/release/datacomp"))


def run_cli(captions, folder, name, threads=1, context=77):
    src = pathlib.Path(folder) / f"{name}.txt"
    out = pathlib.Path(folder) / f"{name}.npy"
    src.write_bytes("".join(c + "\n" for c in captions).encode("utf-8"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([CLI, "tokenize", "--input", str(src), "--output", str(out), "--threads", str(threads),
                    "--context-length", str(context)], check=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return np.load(out), (elapsed, cpu)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40000  # about 23,000 of them are ftfy-stable
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
        # Captions that ftfy changes only through the repairs we reproduce (everything except the
        # mojibake repair), plus an NFC stress set of random bases, combining marks and Hangul jamo.
        reproduced_steps = {"unescape_html", "fix_c1_controls", "fix_latin_ligatures", "fix_character_width",
                            "uncurl_quotes", "fix_line_breaks", "remove_terminal_escapes", "remove_control_chars"}

        def only_reproduced(text):
            steps = ftfy.fix_and_explain(text).explanation or []
            return all(step[0] == "normalize" or (step[0] == "apply" and step[1] in reproduced_steps) for step in steps)

        repaired = [c for c in changed if only_reproduced(c)]
        mojibake = [c for c in changed if not only_reproduced(c)]
        rng = random.Random(11)
        pool = ([chr(c) for c in range(0x300, 0x370)] + [chr(c) for c in range(0x1100, 0x1200)] + list("aeiouAEIOUnNcCsSzZ")
                + [chr(c) for c in (0x0F71, 0x0F72, 0x0F80, 0x0F81, 0x1DF5, 0x05B0, 0x05BC, 0x0591, 0x093C, 0x094D, 0x3099, 0x309A,
                                    0x304B, 0x30AB, 0x0B47, 0x0B3E, 0x0CC6, 0x0CD5, 0x1B05, 0x1B35, 0xAC00, 0xAC01, 0x11A8, 0x0345)])
        stress = []
        while len(stress) < 5000:
            text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
            if only_reproduced(text):
                stress.append(text)
        # ftfy repairs in isolation: quotes, ligatures, widths, C1 and other controls, terminal
        # escapes, entities without "<", mixed.
        specials = ["\u2018", "\u2019s", "\u201cq\u201d", "\u02bc", "\ufb01", "\ufb05", "\u0132", "\uff21\uff42\uff11",
                    "\uff76\uff9e", "\uffe5", "\x80", "\x92s", "\x9d", "\x00", "\x07", "\x1b[31m", "\x1b[0;1mX",
                    "\x7f", "\ufeff", "\u206a", "\ufffc", "&amp;", "&AMP;", "&EACUTE;", "&#39;", "&#x41;", "&#59;",
                    "&#65a;", "&amp;amp;lt;", "&notit;", "&nbsp;", "&SZLIG;", "&checkmark;", "&#0;", "&#x110000;"]
        for _ in range(3000):
            parts = [rng.choice(specials).encode().decode("unicode_escape") if rng.random() < 0.5 else rng.choice(["cat", "Men", " ", "s", "<b>", "x"])
                     for _ in range(rng.randint(1, 8))]
            text = "".join(parts)
            if "\n" not in text and "\r" not in text and only_reproduced(text):
                stress.append(text)
        for label, group in (("ftfy changes them, only through reproduced repairs", repaired),
                             ("ftfy-repair and NFC stress", stress)):
            got, _ = run_cli(group, folder, "nfc")
            want = open_clip.tokenize(group).numpy()
            wrong = np.nonzero((got != want).any(axis=1))[0]
            print(f"{label}: {len(group)} captions; mismatching rows: {len(wrong)}")
            for index in wrong[:5]:
                print("  MISMATCH", repr(group[index]))
        # Other context lengths (truncation rule).
        for context in (1, 2, 5, 16):
            small, _ = run_cli(clean[:3000], folder, f"ctx{context}", context=context)
            ref_small = open_clip.tokenize(clean[:3000], context_length=context).numpy()
            print(f"context_length={context}: mismatching rows {int((small != ref_small).any(axis=1).sum())} of 3000")
        # Informational: captions whose ftfy repair involves the mojibake heuristics.
        if mojibake:
            theirs, _ = run_cli(mojibake, folder, "changed")
            ref_changed = open_clip.tokenize(mojibake).numpy()
            same = int((theirs == ref_changed).all(axis=1).sum())
            print(f"informational: {len(mojibake)} generated captions that ftfy's mojibake repair changes; {same} still match")

        # Speed on one core (cold caches). CPU time is reported next to wall time because the
        # machine may be shared. Two mixes: the varied parity mix (hard: most captions non-ASCII,
        # many need ftfy repairs) and an alt-text-like mix (mostly ASCII words, 10 % varied).
        rng = random.Random(5)
        alt = []
        for index in range(200000):
            if index % 10 == 0:
                alt.append(generator.caption(rng))
            else:
                words = [rng.choice(generator.ASCII_WORDS) for _ in range(rng.randint(3, 18))]
                words = [w.capitalize() if rng.random() < 0.15 else w for w in words]
                if rng.random() < 0.3:
                    words.insert(rng.randrange(len(words) + 1), rng.choice(generator.NUMBERS + generator.PUNCT))
                alt.append(" ".join(words) + rng.choice(["", ".", " - Stock Photo", "!", " | Free Vector"]))
        for label, bench in (("varied parity mix", generator.generate(99, 20000) * 10), ("alt-text-like mix", alt)):
            tokenizer = open_clip.tokenizer.SimpleTokenizer()
            start, cpu_start = time.perf_counter(), time.process_time()
            tokenizer(bench)
            py_wall, py_cpu = time.perf_counter() - start, time.process_time() - cpu_start
            # Baseline: as many empty captions cost start-up, vocabulary loading, reading and
            # writing the same [N, 77] .npy, but almost no tokenizing.
            _, (base_wall, base_cpu) = run_cli([""] * len(bench), folder, "empty")
            _, (sw_wall, sw_cpu) = run_cli(bench, folder, "bench", threads=1)
            _, (par_wall, _) = run_cli(bench, folder, "bench2", threads=os.cpu_count() or 1)
            net_wall, net_cpu = max(sw_wall - base_wall, 1e-9), max(sw_cpu - base_cpu, 1e-9)
            print(f"speed, {label}, {len(bench)} captions on one core: OpenCLIP SimpleTokenizer {py_wall:.2f} s wall / "
                  f"{py_cpu:.2f} s CPU ({len(bench) / py_wall:,.0f} captions/s)")
            print(f"  datacomp tokenize --threads 1, whole process (start-up, vocabulary, read, tokenize, write a "
                  f"{len(bench) * 77 * 8 / 1e6:.0f} MB .npy): {sw_wall:.2f} s wall / {sw_cpu:.2f} s CPU -> "
                  f"{py_wall / sw_wall:.1f}x wall, {py_cpu / sw_cpu:.1f}x CPU")
            print(f"  tokenizing only (minus {base_wall:.2f} s wall / {base_cpu:.2f} s CPU for {len(bench)} empty captions): "
                  f"{net_wall:.2f} s wall / {net_cpu:.2f} s CPU -> {py_wall / net_wall:.1f}x wall, {py_cpu / net_cpu:.1f}x CPU")
            print(f"  --threads {os.cpu_count()}: {par_wall:.2f} s wall")
    sys.exit(1 if len(bad) else 0)


if __name__ == "__main__":
    main()
