/// Unicode Normalization Form C over code points, with the data of Python's `unicodedata`
/// (generated into ``CLIPTokenizerTables``), so that it equals the `unicodedata.normalize("NFC", …)`
/// that `ftfy.fix_text` applies, whatever the Unicode version of the Swift toolchain.
enum NFCNormalizer {
    /// Full canonical decompositions (Hangul syllables excepted, they are computed).
    private static let decompositionTable = DecompositionTable()

    /// Primary composites in an open-addressing table keyed on `(first << 32) | second`.
    private static let compositionTable = CompositionTable()

    /// Canonical combining classes of the Basic Multilingual Plane, indexed by code point.
    private static let planeZeroClasses: [UInt8] = parsedClasses.planeZero
    /// Non-zero canonical combining classes above U+FFFF.
    private static let supplementaryClasses: [UInt32: UInt8] = parsedClasses.supplementary

    private static let parsedClasses: (planeZero: [UInt8], supplementary: [UInt32: UInt8]) = {
        var planeZero = [UInt8](repeating: 0, count: 0x1_0000)
        var supplementary: [UInt32: UInt8] = [:]
        for (key, value) in CLIPTokenizerData.pairs(CLIPTokenizerTables.combiningClasses) {
            guard let code = UInt32(key, radix: 16), let klass = value.first else { continue }
            if code < 0x1_0000 {
                planeZero[Int(code)] = UInt8(truncatingIfNeeded: klass)
            } else {
                supplementary[code] = UInt8(truncatingIfNeeded: klass)
            }
        }
        return (planeZero, supplementary)
    }()

    /// One bit per code point: set when the code point can make NFC change a text.
    private static let unsafeBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 0x11_0000 / 64)
        let boundaries = CLIPTokenizerTables.nfcUnsafeRuns.split(whereSeparator: { $0 == " " || $0 == "\n" })
            .compactMap { UInt32($0, radix: 16) }
        var index = 0
        while index < boundaries.count {
            let start = boundaries[index]
            let end = index + 1 < boundaries.count ? boundaries[index + 1] : 0x11_0000
            for code in start..<min(end, 0x11_0000) { bits[Int(code >> 6)] |= 1 << UInt64(code & 63) }
            index += 2
        }
        return bits
    }()

    private static let compositions: [UInt64: UInt32] = {
        var table: [UInt64: UInt32] = [:]
        for item in CLIPTokenizerTables.compositions.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let halves = item.split(separator: ":")
            guard halves.count == 2, let composite = UInt32(halves[1], radix: 16) else { continue }
            let pair = halves[0].split(separator: ",").compactMap { UInt32($0, radix: 16) }
            guard pair.count == 2 else { continue }
            table[UInt64(pair[0]) << 32 | UInt64(pair[1])] = composite
        }
        return table
    }()

    // Hangul syllable arithmetic (Unicode §3.12).
    private static let syllableBase: UInt32 = 0xAC00
    private static let leadingBase: UInt32 = 0x1100
    private static let vowelBase: UInt32 = 0x1161
    private static let trailingBase: UInt32 = 0x11A7
    private static let vowelCount: UInt32 = 21
    private static let trailingCount: UInt32 = 28
    private static let syllableCount: UInt32 = 11172

    /// Whether `text` may change under NFC: only text with a combining mark, a character that is
    /// not in NFC, or the second half of a composite can.
    static func mayNeedNormalization(_ text: [UInt32]) -> Bool {
        var bits: [UInt64]?
        for value in text where value >= 0x300 {
            if bits == nil { bits = unsafeBits }
            guard let table = bits, value < 0x11_0000 else { continue }
            if table[Int(value >> 6)] & (1 << UInt64(value & 63)) != 0 { return true }
        }
        return false
    }

    /// The canonical combining class of `value` (0 for starters).
    @inline(__always)
    static func combiningClass(_ value: UInt32) -> UInt8 {
        if value < 0x300 { return 0 }
        if value < 0x1_0000 { return planeZeroClasses[Int(value)] }
        return supplementaryClasses[value] ?? 0
    }

    /// Replaces `text` by its NFC form; `scratch` is a work buffer.
    static func normalize(_ text: inout [UInt32], scratch: inout [UInt32]) {
        // 1. Full canonical decomposition.
        scratch.removeAll(keepingCapacity: true)
        for value in text {
            if value >= syllableBase && value < syllableBase + syllableCount {
                let index = value - syllableBase
                scratch.append(leadingBase + index / (vowelCount * trailingCount))
                scratch.append(vowelBase + (index % (vowelCount * trailingCount)) / trailingCount)
                let trailing = index % trailingCount
                if trailing != 0 { scratch.append(trailingBase + trailing) }
            } else if value >= 0xC0, decompositionTable.append(value, to: &scratch) {
                continue
            } else {
                scratch.append(value)
            }
        }
        // 2. Canonical ordering: stable sort of each run of non-starters by combining class.
        var index = 1
        while index < scratch.count {
            let klass = combiningClass(scratch[index])
            if klass != 0 {
                var position = index
                while position > 0 {
                    let previous = combiningClass(scratch[position - 1])
                    guard previous > klass else { break }
                    scratch.swapAt(position, position - 1)
                    position -= 1
                }
            }
            index += 1
        }
        // 3. Canonical composition.
        text.removeAll(keepingCapacity: true)
        var starter = -1
        var lastClass: UInt8 = 0
        for value in scratch {
            let klass = combiningClass(value)
            if starter >= 0 {
                let adjacent = text.count - 1 == starter
                if adjacent || (lastClass != 0 && lastClass < klass), let composite = compose(text[starter], value) {
                    text[starter] = composite
                    continue
                }
            }
            if klass == 0 { starter = text.count }
            lastClass = klass
            text.append(value)
        }
    }

    private static func compose(_ first: UInt32, _ second: UInt32) -> UInt32? {
        if first >= leadingBase && first < leadingBase + 19 && second >= vowelBase && second < vowelBase + vowelCount {
            return syllableBase + ((first - leadingBase) * vowelCount + (second - vowelBase)) * trailingCount
        }
        if first >= syllableBase && first < syllableBase + syllableCount && (first - syllableBase) % trailingCount == 0
            && second > trailingBase && second < trailingBase + trailingCount
        {
            return first + (second - trailingBase)
        }
        return compositionTable.composite(first, second)
    }
}

/// Canonical decompositions with a flat index for the Basic Multilingual Plane.
private struct DecompositionTable: Sendable {
    /// Per BMP code point: `start << 8 | count` into ``parts``, 0 when there is none.
    private var planeZero = [UInt32](repeating: 0, count: 0x1_0000)
    private var supplementary: [UInt32: [UInt32]] = [:]
    private var parts: [UInt32] = [0]

    init() {
        for (key, value) in CLIPTokenizerData.pairs(CLIPTokenizerTables.decompositions) {
            guard let code = UInt32(key, radix: 16), !value.isEmpty, value.count < 256 else { continue }
            if code < 0x1_0000 {
                planeZero[Int(code)] = UInt32(parts.count) << 8 | UInt32(value.count)
                parts.append(contentsOf: value)
            } else {
                supplementary[code] = value
            }
        }
    }

    /// Appends the decomposition of `value` and returns true, or returns false when it has none.
    @inline(__always)
    func append(_ value: UInt32, to output: inout [UInt32]) -> Bool {
        if value < 0x1_0000 {
            let entry = planeZero[Int(value)]
            if entry == 0 { return false }
            let start = Int(entry >> 8)
            output.append(contentsOf: parts[start..<(start + Int(entry & 0xFF))])
            return true
        }
        guard let decomposition = supplementary[value] else { return false }
        output.append(contentsOf: decomposition)
        return true
    }
}

/// Primary composites keyed on a pair of code points (open addressing, linear probing).
private struct CompositionTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt32]
    private let shift: UInt64

    init() {
        var pairs: [(UInt64, UInt32)] = []
        for item in CLIPTokenizerTables.compositions.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let halves = item.split(separator: ":")
            guard halves.count == 2, let composite = UInt32(halves[1], radix: 16) else { continue }
            let pair = halves[0].split(separator: ",").compactMap { UInt32($0, radix: 16) }
            guard pair.count == 2 else { continue }
            pairs.append((UInt64(pair[0]) << 32 | UInt64(pair[1]), composite))
        }
        var bits = 4
        while (1 << bits) < pairs.count * 4 { bits += 1 }
        keys = [UInt64](repeating: .max, count: 1 << bits)
        values = [UInt32](repeating: 0, count: 1 << bits)
        shift = UInt64(64 - bits)
        for (key, value) in pairs {
            var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while keys[slot] != .max && keys[slot] != key { slot = (slot + 1) & (keys.count - 1) }
            keys[slot] = key
            values[slot] = value
        }
    }

    @inline(__always)
    func composite(_ first: UInt32, _ second: UInt32) -> UInt32? {
        let key = UInt64(first) << 32 | UInt64(second)
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == .max { return nil }
            slot = (slot + 1) & (keys.count - 1)
        }
    }
}
