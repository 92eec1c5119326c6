/// One value of an Arrow column, as ``ArrowArray`` reads it.
///
/// Signed integers, dates, times, timestamps and durations are ``int(_:)``, unsigned integers
/// ``uint(_:)``, floats of every width ``double(_:)``. Binary values are views into the memory
/// map of the file (or of a decompressed buffer) and copy nothing until asked.
///
/// ```swift
/// let file = try ArrowIPCFile(path: "hf_cache/flickr30k/test/data-00000-of-00001.arrow")
/// let images = try file.column(named: "image")
/// let captions = try file.column(named: "captions")
/// for row in 0..<file.rowCount {
///     let png = images[row][field: "bytes"]?.bytesValue
///     let texts = captions[row].arrayValue?.compactMap(\.stringValue) ?? []
///     print(png?.count ?? 0, texts.first ?? "")
/// }
/// ```
public enum ArrowValue: Sendable, Equatable {
    /// A null value.
    case null
    /// A boolean.
    case bool(Bool)
    /// A signed integer, date, time, timestamp or duration.
    case int(Int64)
    /// An unsigned integer.
    case uint(UInt64)
    /// A float of any width, widened.
    case double(Double)
    /// UTF-8 text.
    case string(String)
    /// Bytes: a zero-copy view into the file's mapping for uncompressed files.
    case binary(MemberBytes)
    /// A list's values.
    case list([ArrowValue])
    /// A struct's fields, in schema order.
    case `struct`([(name: String, value: ArrowValue)])

    /// Whether the value is null.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The boolean, or `nil` for other values.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The integer (signed, or unsigned up to `Int64.max`), or `nil` for other values.
    public var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .uint(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// The number as a double (floats and integers), or `nil` for other values.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        case .uint(let value): Double(value)
        default: nil
        }
    }

    /// The text, or `nil` for other values.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The bytes of a binary value, or `nil` for other values.
    public var bytesValue: MemberBytes? {
        if case .binary(let value) = self { return value }
        return nil
    }

    /// A list's values, or `nil` for other values.
    public var arrayValue: [ArrowValue]? {
        if case .list(let values) = self { return values }
        return nil
    }

    /// A struct's fields, or `nil` for other values.
    public var structFields: [(name: String, value: ArrowValue)]? {
        if case .struct(let fields) = self { return fields }
        return nil
    }

    /// The value of a struct's field named `name` (the first, if several have the name), or
    /// `nil` when the value is not a struct or has no such field.
    ///
    /// - Parameter name: The field's name.
    public subscript(field name: String) -> ArrowValue? {
        guard case .struct(let fields) = self else { return nil }
        return fields.first { $0.name == name }?.value
    }

    /// Whether both are the same case with equal contents (doubles compare as `Double`, so NaN
    /// differs from itself; struct fields compare by name and value, in order).
    public static func == (lhs: ArrowValue, rhs: ArrowValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.uint(let a), .uint(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.binary(let a), .binary(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.struct(let a), .struct(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.name == $1.name && $0.value == $1.value }
        default: false
        }
    }
}
