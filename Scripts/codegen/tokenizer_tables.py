"""Generates Sources/DataCompCore/Tokenizer/CLIPTokenizer+UnicodeTables.swift.

The tables make the Swift CLIP tokenizer classify, lower-case and HTML-unescape text exactly as the
Python reference does, independent of the Unicode version of the Swift toolchain:

- pre-tokenisation classes: what OpenCLIP's pattern (``regex`` module, IGNORECASE) matches for each
  code point: a letter run ``[\\p{L}]``, a number ``[\\p{N}]``, an "other" run ``[^\\s\\p{L}\\p{N}]``,
  or nothing (whitespace, and U+0345, which IGNORECASE keeps out of every class);
- Unicode normalisation data for NFC (``unicodedata``: decompositions, combining classes,
  primary composites), as ``ftfy.fix_text`` normalises with Python's ``unicodedata``;
- ``str.lower()`` of every code point whose lower-case form differs (Python's Unicode database);
- ftfy's character-level repairs and its entity table;
- the HTML5 named character references and the numeric-reference fix-ups of ``html.unescape``.

Data only (no code from other projects). Run with the reference environment:
    refenv/bin/python Scripts/codegen/tokenizer_tables.py
"""
import html
import html.entities
import pathlib
import sys
import unicodedata

import ftfy
import regex
from ftfy import chardata

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Sources/DataCompCore/Tokenizer/CLIPTokenizer+UnicodeTables.swift"

letter = regex.compile(r"[\p{L}]", regex.IGNORECASE)
number = regex.compile(r"[\p{N}]", regex.IGNORECASE)
other = regex.compile(r"[^\s\p{L}\p{N}]", regex.IGNORECASE)


def klass(cp):
    if 0xD800 <= cp <= 0xDFFF:
        return "O"  # never occurs in a Swift string
    c = chr(cp)
    if letter.fullmatch(c):
        return "L"
    if number.fullmatch(c):
        return "N"
    if other.fullmatch(c):
        return "O"
    return "S"


runs = []
prev = None
for cp in range(0x110000):
    k = klass(cp)
    if k != prev:
        runs.append(f"{cp:X}{k}")
        prev = k

lower = []
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF or cp == 0x3A3:  # capital sigma is context dependent
        continue
    low = chr(cp).lower()
    if low != chr(cp):
        lower.append(f"{cp:X}:" + ",".join(f"{ord(x):X}" for x in low))

entities = []
for name, value in sorted(html.entities.html5.items()):
    assert all(ch not in name for ch in "\t\n\f <&#") and ":" not in name and " " not in name
    entities.append(name + ":" + ",".join(f"{ord(x):X}" for x in value))

decompositions = []
combining = []
compositions = []
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF or 0xAC00 <= cp <= 0xD7A3:  # Hangul syllables are algorithmic
        continue
    c = chr(cp)
    nfd = unicodedata.normalize("NFD", c)
    if nfd != c:
        decompositions.append(f"{cp:X}:" + ",".join(f"{ord(x):X}" for x in nfd))
    ccc = unicodedata.combining(c)
    if ccc:
        combining.append(f"{cp:X}:{ccc:X}")
    raw = unicodedata.decomposition(c)
    if raw and not raw.startswith("<"):
        parts = [int(x, 16) for x in raw.split()]
        if len(parts) == 2 and unicodedata.normalize("NFC", chr(parts[0]) + chr(parts[1])) == c:
            compositions.append(f"{parts[0]:X},{parts[1]:X}:{cp:X}")

# Code points that can make NFC differ from its input: not in NFC themselves, non-zero combining
# class, or the second half of a primary composite. Text without them is already NFC.
seconds = {int(item.split(":")[0].split(",")[1], 16) for item in compositions}
seconds |= set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))  # Hangul V and T jamo (algorithmic)
unsafe_runs = []
previous = False
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        flag = False
    else:
        c = chr(cp)
        flag = unicodedata.normalize("NFC", c) != c or unicodedata.combining(c) != 0 or cp in seconds
    if flag != previous:
        unsafe_runs.append(f"{cp:X}")
        previous = flag

# ftfy's character-level repairs (fix_c1_controls, fix_latin_ligatures, fix_character_width,
# uncurl_quotes) composed per code point, in ftfy's order.
def ftfy_chars(c):
    if 0x80 <= ord(c) <= 0x9F:
        c = c.encode("latin-1").decode("sloppy-windows-1252")
    c = c.translate(chardata.LIGATURES)
    c = c.translate(chardata.WIDTH_MAP)
    return chardata.SINGLE_QUOTE_RE.sub("'", chardata.DOUBLE_QUOTE_RE.sub('"', c))


ftfy_map = []
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF:
        continue
    out = ftfy_chars(chr(cp))
    if out != chr(cp):
        ftfy_map.append(f"{cp:X}:" + ",".join(f"{ord(x):X}" for x in out))
ftfy_control = [f"{cp:X}" for cp in sorted(chardata.CONTROL_CHARS)]
ftfy_upper = []
for name, value in sorted(chardata.HTML_ENTITIES.items()):
    assert name.startswith("&") and name.endswith(";")
    if not (name[1:] in html.entities.html5):
        ftfy_upper.append(name[1:] + ":" + ",".join(f"{ord(x):X}" for x in value))

invalid_refs = [f"{k:X}:" + ",".join(f"{ord(x):X}" for x in v) for k, v in sorted(html._invalid_charrefs.items())]
invalid_points = [f"{k:X}" for k in sorted(html._invalid_codepoints)]


def literal(items, per_line=12):
    lines = []
    for i in range(0, len(items), per_line):
        lines.append("        " + " ".join(items[i:i + per_line]))
    return '"""\n' + "\n".join(lines) + '\n        """'


swift = f"""// Generated by Scripts/codegen/tokenizer_tables.py from Python {sys.version.split()[0]} (Unicode
// {unicodedata.unidata_version}), the `regex` module {regex.__version__} and ftfy {ftfy.__version__}.
// Do not edit by hand.

/// Unicode and HTML data that make the tokenizer agree with OpenCLIP's Python cleaning and
/// pre-tokenisation code point for code point.
enum CLIPTokenizerTables {{
    /// Runs of code points with the same pre-tokenisation class: `<first code point in hex><class>`,
    /// class `L` (letter run), `N` (single number), `O` (other run) or `S` (matched by nothing).
    static let classRuns = {literal(runs)}

    /// Python `str.lower()` for every code point that changes (capital sigma is handled in code):
    /// `<code point>:<lower-case code points>`.
    static let lowercase = {literal(lower, 10)}

    /// The HTML5 named character references (`html.entities.html5`): `<name>:<code points>`.
    static let namedEntities = {literal(entities, 6)}

    /// Full canonical decompositions (`unicodedata.normalize("NFD", c)`) of every code point that
    /// has one, except the algorithmic Hangul syllables: `<code point>:<code points>`.
    static let decompositions = {literal(decompositions, 8)}

    /// Non-zero canonical combining classes: `<code point>:<class>`.
    static let combiningClasses = {literal(combining, 12)}

    /// Code points that can make NFC change a text, as alternating run boundaries: the first
    /// listed code point starts an "unsafe" run, the next starts a "safe" run, and so on.
    static let nfcUnsafeRuns = {literal(unsafe_runs, 12)}

    /// Primary composites (canonical pairs that NFC recomposes): `<first>,<second>:<composite>`.
    static let compositions = {literal(compositions, 8)}

    /// ftfy's per-character repairs (`fix_c1_controls`, `fix_latin_ligatures`,
    /// `fix_character_width`, `uncurl_quotes`, composed in ftfy's order):
    /// `<code point>:<code points>`.
    static let ftfyCharacterMap = {literal(ftfy_map, 10)}

    /// The code points `ftfy.fixes.remove_control_chars` deletes.
    static let ftfyControlCharacters = {literal(ftfy_control, 16)}

    /// The upper-case entity names ftfy's `unescape_html` decodes beyond `html.entities.html5`
    /// (`chardata.HTML_ENTITIES`): `<NAME;>:<code points>`.
    static let ftfyUppercaseEntities = {literal(ftfy_upper, 6)}

    /// Numeric references that `html.unescape` replaces by another character:
    /// `<number>:<code points>`.
    static let numericReplacements = {literal(invalid_refs, 10)}

    /// Numeric references that `html.unescape` deletes.
    static let deletedCodePoints = {literal(invalid_points, 16)}
}}
"""
OUT.write_text(swift)
print(f"wrote {OUT} ({len(swift)} bytes, {len(runs)} runs, {len(lower)} lower, {len(entities)} entities, {len(decompositions)} decompositions, {len(compositions)} compositions)")
