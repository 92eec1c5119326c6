/// A JSON value with ordered object keys: the one JSON type of the package, for the files it
/// writes (statistics, reports, results) and the files it reads (results to resume, model
/// configurations, safetensors headers, webdataset `json` members).
///
/// Objects keep their keys in insertion order, so files such as `00000000_stats.json` list
/// their fields in the same order as the Python tools. Doubles are written in the shortest form
/// that reads back to the same value. Parse with ``init(parsing:dialect:)-(String,_)``; read
/// parsed values with the accessors (``subscript(_:)``, ``stringValue``, ``intValue``, …).
///
/// ```swift
/// let record = try JSONValue(parsing: #"{"uid": "0a1b…", "width": 640}"#)
/// let width = record["width"]?.intValue      // 640
/// print(JSONValue.object([("kept", .int(3))]).serialized())   // {"kept": 3}
/// ```
public enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// An unsigned integer above `Int.max` (for example a Parquet UINT_64 value); parsing gives
    /// this case only for integer literals that do not fit in `Int`.
    case uint(UInt64)
    /// A floating-point number; non-finite values are written as Python's `json` module writes
    /// them (`NaN`, `Infinity`, `-Infinity`).
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object whose keys keep their order.
    case object([(String, JSONValue)])

    /// How string characters are escaped when a value is written.
    public enum StringEscaping: Sendable, Hashable {
        /// Every character outside printable ASCII becomes `\uXXXX` (UTF-16 units), as Python's
        /// `json.dumps` writes by default (`ensure_ascii=True`).
        case asciiOnly
        /// Only quotes, backslashes and control characters are escaped and other text is kept as
        /// UTF-8, as `serde_json` (the safetensors header) and `json.dumps(ensure_ascii=False)` write.
        case controlCharactersOnly
    }

    /// Serializes the value.
    ///
    /// - Parameters:
    ///   - indent: Spaces per nesting level; `nil` writes a single line.
    ///   - escaping: How strings are escaped; Python's default by default.
    ///   - compact: Whether a single line uses `,` and `:` without spaces (as `serde_json`)
    ///     instead of Python's default `", "` and `": "`.
    /// - Returns: The JSON text, without a trailing newline.
    public func serialized(indent: Int? = nil, escaping: StringEscaping = .asciiOnly, compact: Bool = false) -> String {
        var output = ""
        let style = Style(indent: indent, escaping: escaping, compact: compact && indent == nil)
        write(to: &output, style: style, level: 0)
        return output
    }

    private struct Style {
        var indent: Int?
        var escaping: StringEscaping
        var compact: Bool
        var itemSeparator: String { indent != nil || compact ? "," : ", " }
        var keySeparator: String { compact ? ":" : ": " }
    }

    private func write(to output: inout String, style: Style, level: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .uint(let value): output += String(value)
        case .double(let value): output += Self.format(value)
        case .string(let value): Self.writeString(value, escaping: style.escaping, to: &output)
        case .array(let values):
            if values.isEmpty { output += "[]"; return }
            output += "["
            for (index, value) in values.enumerated() {
                if index > 0 { output += style.itemSeparator }
                Self.newline(&output, indent: style.indent, level: level + 1)
                value.write(to: &output, style: style, level: level + 1)
            }
            Self.newline(&output, indent: style.indent, level: level)
            output += "]"
        case .object(let members):
            if members.isEmpty { output += "{}"; return }
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += style.itemSeparator }
                Self.newline(&output, indent: style.indent, level: level + 1)
                Self.writeString(key, escaping: style.escaping, to: &output)
                output += style.keySeparator
                value.write(to: &output, style: style, level: level + 1)
            }
            Self.newline(&output, indent: style.indent, level: level)
            output += "}"
        }
    }

    private static func newline(_ output: inout String, indent: Int?, level: Int) {
        guard let indent else { return }
        output += "\n"
        output += String(repeating: " ", count: indent * level)
    }

    /// Formats a double the way Python's `repr` does: shortest round-trip digits, `1.0` for
    /// integral values, exponent form outside `1e-4 ..< 1e16`.
    package static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        // Swift's description is the shortest round-trip form; adjust exponent spelling to Python's.
        var text = value.description
        if let e = text.firstIndex(of: "e") {
            var mantissa = String(text[..<e])
            var exponent = String(text[text.index(after: e)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            let negative = exponent.hasPrefix("-")
            if exponent.hasPrefix("-") || exponent.hasPrefix("+") { exponent.removeFirst() }
            if exponent.count < 2 { exponent = "0" + exponent }
            text = mantissa + "e" + (negative ? "-" : "+") + exponent
        }
        return text
    }

    /// Writes `value` as a JSON string literal with the given escaping.
    package static func writeString(_ value: String, escaping: StringEscaping, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 || (escaping == .asciiOnly && scalar.value > 0x7E) {
                    for unit in String(scalar).utf16 { output += "\\u" + hex4(unit) }
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

extension JSONValue {
    /// Two values are equal when they have the same case and equal contents; object keys are
    /// compared in order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.uint(let a), .uint(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

extension JSONValue {
    /// The member named `key` of an object (the first, if the key repeats), or `nil`.
    ///
    /// - Parameter key: A member name.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer, if this is an integer or a double with an integral value that fits in `Int`.
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .uint(let value): Int(exactly: value)
        case .double(let value): Int(exactly: value)
        default: nil
        }
    }

    /// The number as a double, if this is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .uint(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The Boolean, if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// The members in order, if this is an object.
    public var objectMembers: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool { self == .null }
}
