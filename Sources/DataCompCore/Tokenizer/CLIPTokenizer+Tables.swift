/// The generated tables of ``CLIPTokenizerTables``, parsed once into lookup structures.
enum CLIPTokenizerData {
    /// Pre-tokenisation class of a code point.
    enum ScalarClass: UInt8 {
        /// Matched by no alternative of the pattern (whitespace, U+0345): dropped.
        case skipped = 0
        /// `[\p{L}]`: part of a letter run.
        case letter = 1
        /// `[\p{N}]`: a one-character token.
        case number = 2
        /// `[^\s\p{L}\p{N}]`: part of an "other" run (punctuation, symbols, emoji, marks).
        case other = 3
    }

    /// The first code point of each run of ``classRunClasses``.
    static let classRunStarts: [UInt32] = parsedRuns.starts
    /// The class of each run.
    static let classRunClasses: [UInt8] = parsedRuns.classes
    /// The class of each ASCII code point.
    static let asciiClasses: [UInt8] = (0..<128).map { UInt8(truncatingIfNeeded: lookupClass(UInt32($0))) }

    private static let parsedRuns: (starts: [UInt32], classes: [UInt8]) = {
        var starts: [UInt32] = []
        var classes: [UInt8] = []
        for item in CLIPTokenizerTables.classRuns.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            guard let last = item.last, let start = UInt32(item.dropLast(), radix: 16) else { continue }
            let value: ScalarClass
            switch last {
            case "L": value = .letter
            case "N": value = .number
            case "O": value = .other
            default: value = .skipped
            }
            starts.append(start)
            classes.append(value.rawValue)
        }
        return (starts, classes)
    }()

    /// The class of `scalar` by binary search over the runs.
    static func lookupClass(_ scalar: UInt32) -> UInt8 {
        let starts = classRunStarts
        var low = 0
        var high = starts.count
        // Find the last run whose start is <= scalar.
        while high - low > 1 {
            let mid = (low + high) / 2
            if starts[mid] <= scalar { low = mid } else { high = mid }
        }
        return classRunClasses[low]
    }

    /// Python `str.lower()` of Basic Multilingual Plane code points that map to a single code
    /// point, indexed by code point; 0 where the code point is unchanged.
    static let planeZeroLowercase: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 0x1_0000)
        for (code, lower) in parsedLowercase.single where code < 0x1_0000 { table[Int(code)] = lower }
        return table
    }()
    /// Python `str.lower()` for code points that map to a single code point.
    static let lowercase: [UInt32: UInt32] = parsedLowercase.single
    /// Code points whose lower-case form has several code points (only U+0130 in Unicode 14).
    static let lowercaseExpansions: [UInt32: [UInt32]] = parsedLowercase.multiple

    private static let parsedLowercase: (single: [UInt32: UInt32], multiple: [UInt32: [UInt32]]) = {
        var single: [UInt32: UInt32] = [:]
        var multiple: [UInt32: [UInt32]] = [:]
        for (key, value) in pairs(CLIPTokenizerTables.lowercase) {
            guard let code = UInt32(key, radix: 16) else { continue }
            if value.count == 1 { single[code] = value[0] } else { multiple[code] = value }
        }
        return (single, multiple)
    }()

    /// The HTML5 named character references, keyed by the name's code points (including the `;`
    /// when the name has one).
    static let namedEntities: [[UInt32]: [UInt32]] = {
        var table: [[UInt32]: [UInt32]] = [:]
        for (key, value) in pairs(CLIPTokenizerTables.namedEntities) {
            table[key.unicodeScalars.map(\.value)] = value
        }
        return table
    }()

    /// Numeric references that `html.unescape` replaces by other code points.
    static let numericReplacements: [UInt32: [UInt32]] = {
        var table: [UInt32: [UInt32]] = [:]
        for (key, value) in pairs(CLIPTokenizerTables.numericReplacements) {
            if let code = UInt32(key, radix: 16) { table[code] = value }
        }
        return table
    }()

    /// Numeric references that `html.unescape` deletes.
    static let deletedCodePoints: Set<UInt32> = Set(
        CLIPTokenizerTables.deletedCodePoints.split(whereSeparator: { $0 == " " || $0 == "\n" })
            .compactMap { UInt32($0, radix: 16) })

    /// Parses `key:hex,hex,... key:hex ...` items.
    static func pairs(_ text: String) -> [(Substring, [UInt32])] {
        var result: [(Substring, [UInt32])] = []
        for item in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            guard let colon = item.lastIndex(of: ":") else { continue }
            let values = item[item.index(after: colon)...].split(separator: ",").compactMap { UInt32($0, radix: 16) }
            result.append((item[..<colon], values))
        }
        return result
    }
}
