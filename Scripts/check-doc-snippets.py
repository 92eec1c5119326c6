#!/usr/bin/env python3
"""Compiles every Swift example of the documentation against the package, so that the examples
stay true: the ```swift blocks of the DocC catalogs (root pages and articles) and of the doc
comments of public symbols. Run by the test command (Scripts/test.sh).

Each snippet becomes the body of its own `async throws` function in a scratch package that depends
on this one by path; the names examples take for granted (a `pool`, a `batch`, a `tokenizer`, …)
are the function's parameters, declared once below. A snippet that does not compile fails the
check with its file and line.

Usage: python3 Scripts/check-doc-snippets.py [--keep DIR]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# The context examples may use without declaring it.
PARAMETERS = """
    pool: CandidatePool, batch: PoolBatch, reader: PoolShardReader, tokenizer: CLIPTokenizer,
    preprocessor: ImagePreprocessor, encoder: some ImageTextEncoder, images: [Image], jpegs: [MemberBytes],
    files: [Data], captions: [String], samples: [WebDatasetSample], batches: [ParquetTable], table: ParquetTable,
    shardIndex: Int, imageFeatures: Tensor, textFeatures: Tensor, reporter: some ProgressReporter,
    sink: inout FileSink, url: String, keep: ([SampleID]) -> Void, ids: [SampleID], jpegBytes: [UInt8]
"""


def snippets():
    for folder, _, names in os.walk(os.path.join(ROOT, "Sources")):
        relative = os.path.relpath(folder, ROOT)
        # Public documentation only: not the kernels (no product), the CLI or Internal/ helpers.
        if relative.startswith(("Sources/DataCompKernels", "Sources/DataCompCLI")) or "/Internal" in relative:
            continue
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.endswith(".md"):
                lines = open(path, encoding="utf-8").read().split("\n")
                yield from blocks(path, lines, prefix="")
            elif name.endswith(".swift"):
                lines = open(path, encoding="utf-8").read().split("\n")
                yield from blocks(path, lines, prefix="///")


def documents_public_symbol(lines, index):
    """Whether the doc comment that contains line `index` (0-based) documents a public symbol."""
    while index < len(lines) and lines[index].strip().startswith("///"):
        index += 1
    while index < len(lines) and lines[index].strip().startswith("@"):
        index += 1
    return index < len(lines) and re.match(r"\s*(public|open)\b", lines[index]) is not None


def blocks(path, lines, prefix):
    inside, start, body = False, 0, []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if prefix:
            if not line.startswith(prefix):
                inside, body = False, []
                continue
            line = line[len(prefix):]
            text = line[1:] if line.startswith(" ") else line
        else:
            text = raw
        fence = text.strip()
        if not inside and fence == "```swift":
            inside, start, body = True, number, []
        elif inside and fence == "```":
            inside = False
            # Package manifests are shown as fragments; doc comments of non-public symbols are
            # not documentation users read.
            if body and body[0].strip().startswith("// Package.swift"):
                continue
            if prefix and not documents_public_symbol(lines, number - 1):
                continue
            yield path, start, body
        elif inside:
            body.append(text)


def main():
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    work = keep or tempfile.mkdtemp(prefix="datacomp-snippets-")
    os.makedirs(os.path.join(work, "Sources", "snippets"), exist_ok=True)
    with open(os.path.join(work, "Package.swift"), "w") as f:
        f.write('// swift-tools-version: 6.0\nimport PackageDescription\nlet package = Package(\n'
                '    name: "snippets", platforms: [.macOS(.v14)],\n'
                '    dependencies: [.package(name: "DataComp", path: "%s")],\n'
                '    targets: [.executableTarget(name: "snippets", dependencies: [.product(name: "DataComp", package: "DataComp")],\n'
                '        swiftSettings: [.swiftLanguageMode(.v6)])])\n' % ROOT)
    source = ["import DataComp", "import Foundation", ""]
    origins = {}
    count = 0
    for path, line, body in snippets():
        code = [l for l in body if not re.match(r"\s*import\s+\w+", l)]
        if not any(l.strip() for l in code):
            continue
        count += 1
        name = "snippet%d" % count
        source.append("// %s:%d" % (os.path.relpath(path, ROOT), line))
        source.append("func %s(%s) async throws {" % (name, " ".join(PARAMETERS.split())))
        first = len(source) + 1
        source += ["    " + l for l in code]
        origins[(first, len(source))] = (os.path.relpath(path, ROOT), line)
        source.append("}")
        source.append("")
    source.append("print(\"%d documentation snippets compile\")" % count)
    with open(os.path.join(work, "Sources", "snippets", "main.swift"), "w") as f:
        f.write("\n".join(source) + "\n")
    description = os.path.join(work, ".build", "debug", "description.json")
    if os.path.exists(description):
        os.remove(description)
    result = subprocess.run(["swift", "build", "--package-path", work], capture_output=True, text=True)
    if result.returncode != 0:
        failures = set()
        for match in re.finditer(r"main\.swift:(\d+):\d+: error: (.*)", result.stdout + result.stderr):
            number = int(match.group(1))
            for (first, last), (path, line) in origins.items():
                if first <= number <= last:
                    failures.add("%s:%d (snippet line %d): %s" % (path, line + 1 + number - first, number - first + 1, match.group(2)))
        for failure in sorted(failures):
            print("doc snippet does not compile:", failure)
        if not failures:
            print(result.stdout[-4000:] + result.stderr[-4000:])
        sys.exit(1)
    print("%d documentation snippets compile (%s)" % (count, work))
    if not keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
