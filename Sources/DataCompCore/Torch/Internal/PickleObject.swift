/// An object on the restricted unpickler's stack: a reference, because the memo may share it and
/// `APPENDS`, `SETITEMS` and `BUILD` change it in place.
final class PickleObject {
    enum Kind {
        case none
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        case bytes([UInt8])
        case list([PickleObject])
        case tuple([PickleObject])
        case dict(PickleDictionary)
        case array(NPYArray)
        /// An allowed global, only ever interpreted by the machine.
        case global(PickleGlobal)
        /// A tensor storage loaded through a persistent id.
        case storage(PickleStorage)
        /// A NumPy dtype (`numpy.dtype(...)`, possibly before its `BUILD`).
        case dtype(PickleDType)
        /// `numpy.core.multiarray._reconstruct(...)`, waiting for the `BUILD` that fills it.
        case pendingArray

        /// The Python kind, for messages.
        var name: String {
            switch self {
            case .none: "None"
            case .bool: "bool"
            case .int: "int"
            case .float: "float"
            case .string: "str"
            case .bytes: "bytes"
            case .list: "list"
            case .tuple: "tuple"
            case .dict: "dict"
            case .array: "array"
            case .global(let global): global.qualifiedName
            case .storage: "tensor storage"
            case .dtype: "numpy.dtype"
            case .pendingArray: "numpy.ndarray without data"
            }
        }
    }

    var kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// The value as plain data, counting every node against `budget` (shared objects count once
    /// per reference) and refusing nesting deeper than Python's own recursion limit.
    func value(budget: inout Int, limit: Int, depth: Int) throws -> PickleValue {
        budget -= 1
        guard budget >= 0 else {
            throw DataCompError(
                .unsupportedFormat,
                "the pickle expands to more than \(limit) values (objects shared many times over)")
        }
        guard depth < 1000 else {
            throw DataCompError(
                .unsupportedFormat, "the pickle nests objects more than 1000 deep (or contains a cycle)")
        }
        switch kind {
        case .none: return .none
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .float(let value): return .float(value)
        case .string(let value): return .string(value)
        case .bytes(let value): return .bytes(value)
        case .array(let value): return .array(value)
        case .list(let items):
            return .list(try items.map { try $0.value(budget: &budget, limit: limit, depth: depth + 1) })
        case .tuple(let items):
            return .tuple(try items.map { try $0.value(budget: &budget, limit: limit, depth: depth + 1) })
        case .dict(let dictionary):
            return .dictionary(
                try dictionary.entries.map {
                    (
                        key: try $0.key.value(budget: &budget, limit: limit, depth: depth + 1),
                        value: try $0.value.value(budget: &budget, limit: limit, depth: depth + 1)
                    )
                })
        case .global, .storage, .dtype, .pendingArray:
            throw DataCompError(.invalidFormat, "the pickle's result holds a \(kind.name), which is not data")
        }
    }
}

/// A dictionary under construction: entries in insertion order, with an index for the keys that
/// Python hashes by value here (strings and integers), so that large dictionaries stay linear.
struct PickleDictionary {
    private(set) var entries: [(key: PickleObject, value: PickleObject)] = []
    private var index: [Key: Int] = [:]

    private enum Key: Hashable {
        case string(String)
        case int(Int)
    }

    /// Sets `value` for `key`: a repeated key keeps its first position and takes the new value.
    mutating func insert(_ value: PickleObject, for key: PickleObject) {
        let hashed: Key? =
            switch key.kind {
            case .string(let string): .string(string)
            case .int(let int): .int(int)
            case .bool(let bool): .int(bool ? 1 : 0)
            default: nil
            }
        if let hashed {
            if let position = index[hashed] {
                entries[position].value = value
                return
            }
            index[hashed] = entries.count
        }
        entries.append((key, value))
    }
}
