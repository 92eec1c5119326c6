/// The deterministic part of `ftfy.fix_text` (ftfy 6.3.1, default configuration), on code points.
///
/// Reproduced, in ftfy's order and repeated until nothing changes, line by line as ftfy does:
/// `unescape_html` (only while no line so far contained `<`), `fix_c1_controls`,
/// `fix_latin_ligatures`, `fix_character_width`, `uncurl_quotes`, `remove_terminal_escapes`,
/// `remove_control_chars` and NFC. Not reproduced: the heuristic mojibake repair
/// (`fix_encoding` and its helpers); `fix_line_breaks` and `fix_surrogates` cannot change token ids.
enum FTFYRepairs {
    /// Per-character repairs, for the Basic Multilingual Plane: index into ``mapParts`` as
    /// `start << 8 | count`, 0 for none. (No supplementary code point is repaired.)
    private static let characterMap: (index: [UInt32], parts: [UInt32]) = {
        var index = [UInt32](repeating: 0, count: 0x1_0000)
        var parts: [UInt32] = [0]
        for (key, value) in CLIPTokenizerData.pairs(CLIPTokenizerTables.ftfyCharacterMap) {
            guard let code = UInt32(key, radix: 16), code < 0x1_0000, !value.isEmpty, value.count < 256 else {
                continue
            }
            index[Int(code)] = UInt32(parts.count) << 8 | UInt32(value.count)
            parts.append(contentsOf: value)
        }
        return (index, parts)
    }()

    /// One bit per Basic Multilingual Plane code point that `remove_control_chars` deletes.
    private static let controlBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x1_0000 / 64)
        for item in CLIPTokenizerTables.ftfyControlCharacters.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            if let code = UInt32(item, radix: 16), code < 0x1_0000 { bits[Int(code >> 6)] |= 1 << UInt64(code & 63) }
        }
        return bits
    }()

    @inline(__always)
    private static func isControl(_ value: UInt32, _ bits: [UInt64]) -> Bool {
        value < 0x1_0000 && bits[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0
    }

    private static let uppercaseEntities: [[UInt32]: [UInt32]] = {
        var table: [[UInt32]: [UInt32]] = [:]
        for (key, value) in CLIPTokenizerData.pairs(CLIPTokenizerTables.ftfyUppercaseEntities) {
            table[key.unicodeScalars.map(\.value)] = value
        }
        return table
    }()

    /// Whether any repair could apply to `text` (the common case is no).
    static func mayApply(_ text: [UInt32], hasAmpersand: Bool) -> Bool {
        if hasAmpersand { return true }
        var map: [UInt32]?
        var bits: [UInt64]?
        for value in text {
            if value < 0x20 {
                if value != 0x09 && value != 0x0A && value != 0x0C && value != 0x0D { return true }
            } else if value < 0x7F {
                continue
            } else if value < 0x1_0000 {
                if map == nil {
                    map = characterMap.index
                    bits = controlBits
                }
                if let map, let bits, map[Int(value)] != 0 || isControl(value, bits) { return true }
            }
        }
        return false
    }

    /// Applies the reproduced repairs (and NFC) to `text` in place, line by line.
    static func apply(_ text: inout [UInt32], scratch: inout [UInt32]) {
        if !text.contains(0x0A) {
            repairSegment(&text, unescape: !text.contains(0x3C), scratch: &scratch)
            return
        }
        var output: [UInt32] = []
        output.reserveCapacity(text.count)
        var unescapeEnabled = true
        var start = 0
        while start < text.count {
            var end = start
            while end < text.count && text[end] != 0x0A { end += 1 }
            if end < text.count { end += 1 }  // the segment keeps its "\n"
            var segment = Array(text[start..<end])
            if segment.contains(0x3C) { unescapeEnabled = false }
            repairSegment(&segment, unescape: unescapeEnabled, scratch: &scratch)
            output.append(contentsOf: segment)
            start = end
        }
        text = output
    }

    private static func repairSegment(_ segment: inout [UInt32], unescape: Bool, scratch: inout [UInt32]) {
        let bits = controlBits
        var nfcInput: [UInt32] = []
        var rounds = 0
        while rounds < 100 {  // ftfy loops until stable; real text settles in two or three rounds
            rounds += 1
            var changed = false
            if unescape && segment.contains(0x26) {
                unescapeHTML(segment, into: &scratch)
                if scratch != segment {
                    swap(&segment, &scratch)
                    changed = true
                }
            }
            if mapCharacters(&segment, scratch: &scratch) { changed = true }
            if removeTerminalEscapes(&segment, scratch: &scratch) { changed = true }
            let before = segment.count
            segment.removeAll(where: { isControl($0, bits) })
            if segment.count != before { changed = true }
            // NFC output that no other repair touched this round is still NFC.
            if !changed && rounds > 1 { return }
            if NFCNormalizer.mayNeedNormalization(segment) {
                swap(&segment, &nfcInput)
                segment.removeAll(keepingCapacity: true)
                segment.append(contentsOf: nfcInput)
                NFCNormalizer.normalize(&segment, scratch: &scratch)
                if segment != nfcInput { changed = true }
            }
            if !changed { return }
        }
    }

    private static func mapCharacters(_ text: inout [UInt32], scratch: inout [UInt32]) -> Bool {
        let (index, parts) = characterMap
        guard text.contains(where: { $0 >= 0x80 && $0 < 0x1_0000 && index[Int($0)] != 0 }) else { return false }
        scratch.removeAll(keepingCapacity: true)
        var changed = false
        for value in text {
            if value >= 0x80 && value < 0x1_0000 {
                let entry = index[Int(value)]
                if entry != 0 {
                    let first = Int(entry >> 8)
                    scratch.append(contentsOf: parts[first..<(first + Int(entry & 0xFF))])
                    changed = true
                    continue
                }
            }
            scratch.append(value)
        }
        if changed { swap(&text, &scratch) }
        return changed
    }

    /// Deletes `ESC [ (digits | ;)* letter` (`ftfy.fixes.ANSI_RE`).
    private static func removeTerminalEscapes(_ text: inout [UInt32], scratch: inout [UInt32]) -> Bool {
        guard text.contains(0x1B) else { return false }
        scratch.removeAll(keepingCapacity: true)
        var index = 0
        while index < text.count {
            if text[index] == 0x1B && index + 1 < text.count && text[index + 1] == 0x5B {
                var end = index + 2
                while end < text.count && ((text[end] >= 0x30 && text[end] <= 0x39) || text[end] == 0x3B) { end += 1 }
                if end < text.count && isASCIILetter(text[end]) {
                    index = end + 1
                    continue
                }
            }
            scratch.append(text[index])
            index += 1
        }
        let changed = scratch.count != text.count
        swap(&text, &scratch)
        return changed
    }

    @inline(__always)
    private static func isASCIILetter(_ value: UInt32) -> Bool {
        (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
    }

    @inline(__always)
    private static func isASCIIAlphanumeric(_ value: UInt32) -> Bool {
        isASCIILetter(value) || (value >= 0x30 && value <= 0x39)
    }

    /// ftfy's `unescape_html`: replaces `&#?[0-9A-Za-z]{1,24};` when it is a known entity (HTML5
    /// names with `;`, plus ftfy's upper-case Latin names) or a numeric reference that
    /// `html.unescape` decodes completely.
    static func unescapeHTML(_ text: [UInt32], into output: inout [UInt32]) {
        output.removeAll(keepingCapacity: true)
        var index = 0
        let count = text.count
        while index < count {
            guard text[index] == 0x26 else {
                output.append(text[index])
                index += 1
                continue
            }
            var nameStart = index + 1
            let numeric = nameStart < count && text[nameStart] == 0x23
            if numeric { nameStart += 1 }
            var end = nameStart
            while end < count && isASCIIAlphanumeric(text[end]) { end += 1 }
            let length = end - nameStart
            guard length >= 1 && length <= 24 && end < count && text[end] == 0x3B else {
                output.append(text[index])
                index += 1
                continue
            }
            let matchEnd = end + 1
            if numeric {
                // html.unescape of "&#…;": used only when it consumes the whole match.
                var decoded: [UInt32] = []
                let match = Array(text[index..<matchEnd])
                CLIPTextCleaner.unescapeHTML(match, into: &decoded)
                if decoded.contains(0x3B) {
                    output.append(contentsOf: match)
                } else {
                    output.append(contentsOf: decoded)
                }
            } else {
                let name = Array(text[nameStart..<matchEnd])  // includes the ";"
                if let value = CLIPTokenizerData.namedEntities[name] ?? uppercaseEntities[name] {
                    output.append(contentsOf: value)
                } else {
                    output.append(contentsOf: text[index..<matchEnd])
                }
            }
            index = matchEnd
        }
    }
}
