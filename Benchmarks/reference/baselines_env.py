#!/usr/bin/env python3
"""Prepares a scratch folder from which DataComp's unmodified `baselines.py` runs on this machine,
and writes SCRATCH/env.sh (shell `export` lines) for running it as a user would:

    python3 Benchmarks/reference/baselines_env.py --scratch S --datacomp /tmp/datacomp --python /work/dcenv/bin/python
    ( . S/env.sh && cd S/work && /work/dcenv/bin/python /tmp/datacomp/baselines.py --name basic_filter ... )

It reuses the substitution layer of Scripts/parity/baselines_parity.py (its prepare(): a
sitecustomize.py on PYTHONPATH, active with DC_PARITY_SUBSTITUTIONS=1, that gives baselines.utils.download
the local assets — lid.176.ftz for fastText, DataComp's imagenet21k_goog_synsets.txt — provides a
gcld3 stand-in and points NLTK at Debian's WordNet 3.0). Nothing in DataComp's code is changed.
Preparing is done once, outside the timed runs (it starts torch to write an empty .pt asset).
"""
import argparse
import os
import shlex
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Scripts", "parity"))

import baselines_parity  # noqa: E402  (the parity script's substitution layer)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scratch", required=True)
    parser.add_argument("--datacomp", required=True)
    parser.add_argument("--python", required=True, help="interpreter of the DataComp environment")
    parser.add_argument("--assets", default=str(baselines_parity.FIXTURE / "assets"))
    parser.add_argument("--fasttext", default=os.path.expanduser("~/.cache/datacomp/lid.176.ftz"))
    parser.add_argument("--imagenet21k-ids", default=os.path.expanduser("~/.cache/datacomp/imagenet21k_goog_synsets.txt"))
    parser.add_argument("--wordnet", default="/usr/share/wordnet")
    args = parser.parse_args()
    os.makedirs(args.scratch, exist_ok=True)
    scratch = os.path.abspath(args.scratch)
    env = baselines_parity.prepare(scratch, args.datacomp, args.assets, args.fasttext, args.imagenet21k_ids,
                                   args.wordnet, args.python)
    keys = ["PYTHONPATH", "PYTHONNOUSERSITE"] + sorted(k for k in env if k.startswith("DC_PARITY_"))
    with open(os.path.join(scratch, "env.sh"), "w") as f:
        for key in keys:
            f.write("export %s=%s\n" % (key, shlex.quote(env[key])))
    print(os.path.join(scratch, "env.sh"))


if __name__ == "__main__":
    main()
