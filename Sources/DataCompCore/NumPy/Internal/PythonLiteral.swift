/// A value of the small Python-literal language that `.npy` headers are written in.
indirect enum PythonLiteral: Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case none
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case dict([(PythonLiteral, PythonLiteral)])

    /// Whether this is the string `text`.
    func isString(_ text: String) -> Bool {
        if case .string(let value) = self { return value == text }
        return false
    }

    var description: String {
        switch self {
        case .string(let text): return "'\(text)'"
        case .integer(let value): return String(value)
        case .bool(let value): return value ? "True" : "False"
        case .none: return "None"
        case .tuple(let items):
            if items.count == 1 { return "(\(items[0]),)" }
            return "(" + items.map(\.description).joined(separator: ", ") + ")"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .dict(let pairs): return "{" + pairs.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
        }
    }

    /// Parses one literal that fills `bytes` (surrounding whitespace allowed).
    ///
    /// Errors carry offsets relative to `baseOffset`.
    static func parse(_ bytes: [UInt8], baseOffset: Int) throws -> PythonLiteral {
        var parser = Parser(bytes: bytes, position: 0, baseOffset: baseOffset)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.count else {
            throw parser.error("unexpected text after the header dictionary")
        }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var position: Int
        let baseOffset: Int

        static let maximumDepth = 16

        func error(_ message: String) -> DataCompError {
            DataCompError(
                .invalidFormat, "NPY header: \(message); the header must be a Python dict literal as np.save writes it",
                position: .offset(baseOffset + position))
        }

        mutating func skipSpace() {
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): position += 1
                default: return
                }
            }
        }

        mutating func peek() -> UInt8? {
            skipSpace()
            return position < bytes.count ? bytes[position] : nil
        }

        mutating func expect(_ byte: UInt8) throws {
            guard peek() == byte else {
                throw error("expected '\(Character(Unicode.Scalar(byte)))'")
            }
            position += 1
        }

        mutating func value(depth: Int) throws -> PythonLiteral {
            guard depth < Self.maximumDepth else { throw error("nesting is too deep") }
            guard let byte = peek() else { throw error("the header ends where a value was expected") }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "{"):
                position += 1
                var pairs: [(PythonLiteral, PythonLiteral)] = []
                while true {
                    if peek() == UInt8(ascii: "}") { position += 1; break }
                    let key = try value(depth: depth + 1)
                    try expect(UInt8(ascii: ":"))
                    let item = try value(depth: depth + 1)
                    pairs.append((key, item))
                    if peek() == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    break
                }
                return .dict(pairs)
            case UInt8(ascii: "("), UInt8(ascii: "["):
                let close = byte == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
                position += 1
                var items: [PythonLiteral] = []
                var sawComma = false
                while true {
                    if peek() == close { position += 1; break }
                    items.append(try value(depth: depth + 1))
                    if peek() == UInt8(ascii: ",") { position += 1; sawComma = true; continue }
                    try expect(close)
                    break
                }
                if close == UInt8(ascii: ")") {
                    // `(x)` without a comma is just a parenthesized value.
                    if items.count == 1 && !sawComma { return items[0] }
                    return .tuple(items)
                }
                return .list(items)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .integer(try integer())
            default:
                let start = position
                while position < bytes.count, isIdentifierByte(bytes[position]) { position += 1 }
                let word = String(decoding: bytes[start..<position], as: UTF8.self)
                switch word {
                case "True": return .bool(true)
                case "False": return .bool(false)
                case "None": return .none
                default:
                    position = start
                    throw error("unexpected '\(word.isEmpty ? String(Unicode.Scalar(byte)) : word)'")
                }
            }
        }

        func isIdentifierByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
        }

        mutating func integer() throws -> Int {
            var negative = false
            if bytes[position] == UInt8(ascii: "-") {
                negative = true
                position += 1
            }
            var value = 0
            var digits = 0
            while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
                let (times, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
                guard !o1, !o2 else { throw error("integer is too large") }
                value = sum
                digits += 1
                position += 1
            }
            guard digits > 0 else { throw error("expected digits") }
            // Python 2 long suffix, as in `(3L, 4L)`.
            if position < bytes.count, bytes[position] == UInt8(ascii: "L") { position += 1 }
            return negative ? -value : value
        }

        mutating func string() throws -> String {
            let quote = bytes[position]
            position += 1
            var scalars: [UInt8] = []
            while true {
                guard position < bytes.count else { throw error("unterminated string") }
                let byte = bytes[position]
                position += 1
                if byte == quote { break }
                if byte == UInt8(ascii: "\\") {
                    guard position < bytes.count else { throw error("unterminated string") }
                    let escaped = bytes[position]
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "n"): scalars.append(UInt8(ascii: "\n"))
                    case UInt8(ascii: "t"): scalars.append(UInt8(ascii: "\t"))
                    default: scalars.append(escaped)
                    }
                    continue
                }
                scalars.append(byte)
            }
            return String(decoding: scalars, as: UTF8.self)
        }
    }
}
