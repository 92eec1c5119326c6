/// A packed bit per slot saying which values are present (`true`) and which are null.
public struct ParquetValidity: Sendable, Equatable {
    /// The bits, 64 slots per word, least significant bit first.
    public private(set) var words: [UInt64]
    /// The number of slots.
    public private(set) var count: Int
    /// The number of slots whose bit is `false`.
    public private(set) var nullCount: Int

    /// Creates an empty bitmap.
    public init() {
        words = []
        count = 0
        nullCount = 0
    }

    /// Whether slot `index` holds a value.
    ///
    /// - Parameter index: A slot in `0..<count`.
    public subscript(index: Int) -> Bool {
        precondition(index >= 0 && index < count, "validity index \(index) out of range 0..<\(count)")
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// Appends one slot.
    ///
    /// - Parameter isValid: Whether the slot holds a value.
    public mutating func append(_ isValid: Bool) {
        if count & 63 == 0 { words.append(0) }
        if isValid {
            words[count >> 6] |= 1 << UInt64(count & 63)
        } else {
            nullCount += 1
        }
        count += 1
    }

    /// Appends `n` slots with the same flag.
    ///
    /// - Parameters:
    ///   - isValid: Whether the slots hold values.
    ///   - n: The number of slots.
    public mutating func append(repeating isValid: Bool, count n: Int) {
        guard n > 0 else { return }
        if !isValid {
            nullCount += n
            let newCount = count + n
            while words.count * 64 < newCount { words.append(0) }
            count = newCount
            return
        }
        var remaining = n
        while remaining > 0 && count & 63 != 0 {
            append(true)
            remaining -= 1
        }
        words.append(contentsOf: repeatElement(UInt64.max, count: remaining / 64))
        count += (remaining / 64) * 64
        for _ in 0..<(remaining % 64) { append(true) }
    }

    /// Appends the slots of another bitmap.
    ///
    /// - Parameter other: The bitmap to append.
    public mutating func append(contentsOf other: ParquetValidity) {
        if count & 63 == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            nullCount += other.nullCount
            return
        }
        for i in 0..<other.count { append(other[i]) }
    }
}

/// Variable-length byte strings stored in one contiguous buffer with offsets.
///
/// Value `i` is `bytes[offsets[i]..<offsets[i + 1]]`; `offsets` has `count + 1` entries and
/// starts at zero. Null slots hold empty values.
public struct ParquetByteArrays: Sendable, Equatable {
    /// All values back to back.
    public var bytes: [UInt8]
    /// The start of each value plus the end of the last, `count + 1` entries.
    public var offsets: [Int]

    /// Creates the storage from a buffer and offsets.
    ///
    /// - Parameters:
    ///   - bytes: All values back to back.
    ///   - offsets: `count + 1` non-decreasing offsets into `bytes`, starting at zero.
    public init(bytes: [UInt8], offsets: [Int]) {
        self.bytes = bytes
        self.offsets = offsets
    }

    /// Creates the storage from strings (UTF-8 encoded).
    ///
    /// - Parameter strings: The values.
    public init(_ strings: some Sequence<String>) {
        bytes = []
        offsets = [0]
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            offsets.append(bytes.count)
        }
    }

    /// The number of values.
    public var count: Int { offsets.count - 1 }

    /// The bytes of value `index`.
    ///
    /// - Parameter index: A value in `0..<count`.
    public subscript(index: Int) -> ArraySlice<UInt8> {
        bytes[offsets[index]..<offsets[index + 1]]
    }

    /// Value `index` decoded as UTF-8 (invalid sequences become U+FFFD).
    ///
    /// - Parameter index: A value in `0..<count`.
    /// - Returns: The text.
    public func string(at index: Int) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]]), as: UTF8.self)
        }
    }
}

/// One level of list nesting of a column: where each list starts and whether it is null.
public struct ParquetListLevel: Sendable, Equatable {
    /// `count + 1` offsets into the next level's slots (the inner lists, or the leaf values).
    public var offsets: [Int]
    /// Which lists are present; `nil` when none is null.
    public var validity: ParquetValidity?

    /// Creates a list level.
    ///
    /// - Parameters:
    ///   - offsets: `count + 1` non-decreasing offsets, starting at zero.
    ///   - validity: Which lists are present, or `nil` when none is null.
    public init(offsets: [Int], validity: ParquetValidity? = nil) {
        self.offsets = offsets
        self.validity = validity
    }

    /// The number of lists.
    public var count: Int { offsets.count - 1 }
}

/// The decoded values of one Parquet column.
///
/// Leaf values are one typed array with a slot per value (null slots hold zero or an empty
/// string), ``validity`` marks the nulls, and ``lists`` describes list nesting from the
/// outermost level in: for `list<list<double>>` there are two levels, the first indexing into
/// the second's lists and the second indexing into the values.
public struct ParquetColumn: Sendable {
    /// The typed leaf values.
    public enum Values: Sendable, Equatable {
        /// BOOLEAN values.
        case boolean([Bool])
        /// INT32 values.
        case int32([Int32])
        /// INT64 values.
        case int64([Int64])
        /// FLOAT values.
        case float([Float])
        /// DOUBLE values.
        case double([Double])
        /// BYTE_ARRAY values annotated as UTF-8 text.
        case string(ParquetByteArrays)
        /// BYTE_ARRAY values without a text annotation.
        case binary(ParquetByteArrays)
        /// FIXED_LEN_BYTE_ARRAY (and INT96) values.
        case fixedLengthBinary(ParquetByteArrays)

        /// The number of leaf slots.
        public var count: Int {
            switch self {
            case .boolean(let v): v.count
            case .int32(let v): v.count
            case .int64(let v): v.count
            case .float(let v): v.count
            case .double(let v): v.count
            case .string(let v), .binary(let v), .fixedLengthBinary(let v): v.count
            }
        }
    }

    /// The leaf column this data belongs to.
    public var descriptor: ParquetColumnDescriptor
    /// The leaf values, one slot per (possibly null) value.
    public var values: Values
    /// Which leaf slots hold values; `nil` when none is null.
    public var validity: ParquetValidity?
    /// List nesting, outermost first; empty for a flat column.
    public var lists: [ParquetListLevel]

    /// Creates a column.
    ///
    /// - Parameters:
    ///   - descriptor: The leaf column.
    ///   - values: The leaf values.
    ///   - validity: Which leaf slots hold values, or `nil` when none is null.
    ///   - lists: List nesting, outermost first.
    public init(descriptor: ParquetColumnDescriptor, values: Values, validity: ParquetValidity? = nil, lists: [ParquetListLevel] = []) {
        self.descriptor = descriptor
        self.values = values
        self.validity = validity
        self.lists = lists
    }

    /// The top-level field name.
    public var name: String { descriptor.name }

    /// The number of rows.
    public var rowCount: Int { lists.first?.count ?? values.count }

    /// Whether leaf slot `index` holds a value.
    ///
    /// - Parameter index: A leaf slot.
    public func isValid(_ index: Int) -> Bool { validity?[index] ?? true }
}
