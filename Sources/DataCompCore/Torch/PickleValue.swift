/// A value read from a Python pickle by the restricted reader of ``TorchCheckpoint``: plain
/// Python data plus arrays.
///
/// Only data comes out of a pickle read this way: `None`, booleans, integers, floats, strings,
/// bytes, lists, tuples, sets (as lists), dictionaries (including `OrderedDict`), PyTorch tensors
/// and NumPy arrays (both as ``NPYArray``). Anything else in the file is an error, never code.
public indirect enum PickleValue: Sendable {
    /// Python's `None`.
    case none
    /// A `bool`.
    case bool(Bool)
    /// An `int` that fits in 64 bits.
    case int(Int)
    /// A `float`.
    case float(Double)
    /// A `str`.
    case string(String)
    /// A `bytes` or `bytearray`.
    case bytes([UInt8])
    /// A `list`, or a `set` or `frozenset` in the order the pickle lists its members.
    case list([PickleValue])
    /// A `tuple`.
    case tuple([PickleValue])
    /// A `dict` or `collections.OrderedDict`, in insertion order.
    case dictionary([(key: PickleValue, value: PickleValue)])
    /// A PyTorch tensor or a NumPy array (C order, little-endian), 0-d for a NumPy scalar.
    case array(NPYArray)

    /// The value stored under the string `key`, if this is a dictionary that has one.
    public subscript(key: String) -> PickleValue? {
        guard case .dictionary(let entries) = self else { return nil }
        return entries.first { if case .string(key) = $0.key { true } else { false } }?.value
    }

    /// The array, if this is a tensor or a NumPy array.
    public var arrayValue: NPYArray? {
        if case .array(let array) = self { return array }
        return nil
    }

    /// The string, if this is a `str`.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// The integer, if this is an `int` (or a `bool`, as Python treats it).
    public var intValue: Int? {
        switch self {
        case .int(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    /// The number, if this is a `float` or an `int`.
    public var doubleValue: Double? {
        switch self {
        case .float(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }

    /// The elements, if this is a list or a tuple.
    public var elements: [PickleValue]? {
        switch self {
        case .list(let values), .tuple(let values): values
        default: nil
        }
    }

    /// The keys of a dictionary that are strings, in order (empty for anything else).
    public var stringKeys: [String] {
        guard case .dictionary(let entries) = self else { return [] }
        return entries.compactMap(\.key.stringValue)
    }

    /// What kind of Python value this is, for messages (`dict`, `list`, `array float32 [2, 3]`).
    public var kindName: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .list: "list"
        case .tuple: "tuple"
        case .dictionary: "dict"
        case .array(let array): "array \(array.dataType) \(array.shape)"
        }
    }
}
