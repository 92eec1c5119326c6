import Foundation

extension JSONValue {
    /// The JSON text a parser accepts.
    public enum Dialect: Sendable, Hashable {
        /// RFC 8259 exactly, as `serde_json` reads it (the safetensors header): no `NaN` or
        /// `Infinity`, numbers must be finite.
        case strict
        /// What Python's `json` module reads and writes by default: RFC 8259 plus `NaN`,
        /// `Infinity` and `-Infinity` (DataComp's result and statistics files may hold them).
        case python
    }

    /// Parses one JSON value from UTF-8 text.
    ///
    /// The parser is strict where Foundation's `JSONSerialization` is lenient: it rejects
    /// trailing commas, leading zeros, lone surrogate escapes, raw control characters in strings,
    /// anything but whitespace after the value, and nesting deeper than 128 levels. Object keys
    /// keep their order (duplicates are kept too). Integer literals that fit in `Int` become
    /// ``int(_:)``; every other number becomes ``double(_:)``.
    ///
    /// - Parameters:
    ///   - text: The JSON text.
    ///   - dialect: Whether Python's `NaN` and `Infinity` are accepted (the default) or not.
    /// - Throws: ``DataCompError`` with code `invalidFormat` and the byte offset of the problem.
    public init(parsing text: String, dialect: Dialect = .python) throws {
        var text = text
        self = try text.withUTF8 { try JSONValue.parse(UnsafeRawBufferPointer($0), dialect: dialect) }
    }

    /// Parses one JSON value from UTF-8 bytes, for example a file's contents or a tar member,
    /// without copying them.
    ///
    /// - Parameters:
    ///   - bytes: The UTF-8 bytes.
    ///   - dialect: Whether Python's `NaN` and `Infinity` are accepted (the default) or not.
    /// - Throws: ``DataCompError`` with code `invalidFormat` and the byte offset of the problem.
    public init(parsing bytes: some ContiguousBytes, dialect: Dialect = .python) throws {
        self = try bytes.withUnsafeBytes { try JSONValue.parse($0, dialect: dialect) }
    }

    /// Parses one JSON value followed only by whitespace; offsets in errors are `baseOffset`
    /// plus the position in `bytes`.
    package static func parse(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0, dialect: Dialect) throws
        -> JSONValue
    {
        var parser = Parser(bytes: bytes, baseOffset: baseOffset, dialect: dialect)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("trailing characters after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        let baseOffset: Int
        let dialect: Dialect
        var position = 0

        init(bytes: UnsafeRawBufferPointer, baseOffset: Int, dialect: Dialect) {
            self.bytes = bytes
            self.baseOffset = baseOffset
            self.dialect = dialect
        }

        func error(_ message: String) -> DataCompError {
            DataCompError(.invalidFormat, "invalid JSON: \(message)", position: .offset(baseOffset + position))
        }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { position += 1 }
        }

        mutating func expect(_ literal: String) throws {
            for byte in literal.utf8 {
                guard current == byte else { throw error("expected '\(literal)'") }
                position += 1
            }
        }

        mutating func value(depth: Int) throws -> JSONValue {
            guard depth < 128 else { throw error("nesting deeper than 128 levels") }
            switch current {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            case UInt8(ascii: "N") where dialect == .python: try expect("NaN"); return .double(.nan)
            case UInt8(ascii: "I") where dialect == .python: try expect("Infinity"); return .double(.infinity)
            case UInt8(ascii: "-")
            where dialect == .python && position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "I"):
                try expect("-Infinity")
                return .double(-.infinity)
            case let byte? where byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39): return try number()
            case nil: throw error("unexpected end of input")
            default: throw error("unexpected character")
            }
        }

        mutating func object(depth: Int) throws -> JSONValue {
            position += 1
            var members: [(String, JSONValue)] = []
            skipWhitespace()
            if current == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                skipWhitespace()
                try expect(":")
                skipWhitespace()
                members.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect("}")
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws -> JSONValue {
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                if current == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect("]")
                return .array(elements)
            }
        }

        mutating func number() throws -> JSONValue {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            func digits(_ parser: inout Parser) -> Int {
                var count = 0
                while let byte = parser.current, byte >= 0x30, byte <= 0x39 {
                    parser.position += 1
                    count += 1
                }
                return count
            }
            let integerStart = position
            let integerDigits = digits(&self)
            guard integerDigits > 0 else { throw error("invalid number") }
            if integerDigits > 1 && bytes[integerStart] == UInt8(ascii: "0") {
                throw error("invalid number (leading zero)")
            }
            var isInteger = true
            if current == UInt8(ascii: ".") {
                position += 1
                isInteger = false
                guard digits(&self) > 0 else { throw error("invalid number") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                isInteger = false
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard digits(&self) > 0 else { throw error("invalid number") }
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            // Integers that fit in Int stay integers; "-0" is a float, as serde_json reads it.
            if isInteger, let integer = Int(text), !(integer == 0 && text.hasPrefix("-")) { return .int(integer) }
            if isInteger, !text.hasPrefix("-"), let unsigned = UInt64(text) { return .uint(unsigned) }
            guard let value = Double(text), value.isFinite else {
                position = start
                throw error("number out of range")
            }
            return .double(value)
        }

        mutating func hex4() throws -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current else { throw error("unexpected end of hex escape") }
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: throw error("invalid hex escape")
                }
                value = value << 4 | UInt32(digit)
                position += 1
            }
            return value
        }

        mutating func string() throws -> String {
            position += 1
            var scalars = String.UnicodeScalarView()
            var runStart = position
            func flush(_ parser: Parser, upTo end: Int, into scalars: inout String.UnicodeScalarView) {
                if end > runStart {
                    scalars.append(
                        contentsOf: String(
                            decoding: UnsafeRawBufferPointer(rebasing: parser.bytes[runStart..<end]), as: UTF8.self
                        ).unicodeScalars)
                }
            }
            while true {
                guard let byte = current else { throw error("unterminated string") }
                if byte == UInt8(ascii: "\"") {
                    flush(self, upTo: position, into: &scalars)
                    position += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw error("control character in string") }
                if byte != UInt8(ascii: "\\") {
                    position += 1
                    continue
                }
                flush(self, upTo: position, into: &scalars)
                position += 1
                guard let escape = current else { throw error("unterminated escape") }
                position += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard current == UInt8(ascii: "\\") else { throw error("lone leading surrogate in hex escape") }
                        position += 1
                        try expect("u")
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw error("lone leading surrogate in hex escape")
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw error("lone trailing surrogate in hex escape")
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw error("invalid unicode escape") }
                    scalars.append(scalar)
                default:
                    throw error("invalid escape")
                }
                runStart = position
            }
        }
    }
}
