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
