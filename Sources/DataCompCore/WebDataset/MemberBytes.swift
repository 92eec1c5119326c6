/// The bytes of one sample member: either an owned array or a zero-copy view into a
/// memory-mapped shard that stays mapped as long as any view of it exists.
///
/// `MemberBytes` is a random-access collection of `UInt8` indexed from zero, so it works with
/// `Array(bytes)`, `String(decoding:as:)` and the usual collection algorithms. Views into a
/// mapped shard never copy the member until you ask for an array.
public struct MemberBytes: RandomAccessCollection, Sendable, Hashable, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        case array([UInt8])
        case mapped(MappedFile, Range<Int>)
    }

    private let storage: Storage

    /// Creates member bytes that own a copy of `bytes`.
    ///
    /// - Parameter bytes: The member's content.
    public init(_ bytes: some Sequence<UInt8>) {
        storage = .array(Array(bytes))
    }

    /// Creates member bytes from an array literal.
    ///
    /// - Parameter elements: The member's content.
    public init(arrayLiteral elements: UInt8...) {
        storage = .array(elements)
    }

    /// Creates member bytes from the UTF-8 encoding of `text`.
    ///
    /// - Parameter text: The member's content as text.
    public init(utf8 text: String) {
        storage = .array(Array(text.utf8))
    }

    /// A view of `range` inside a mapped file; the view keeps the mapping alive.
    package init(mapping file: MappedFile, range: Range<Int>) {
        storage = .mapped(file, range)
    }

    /// The position of the first byte (always 0).
    public var startIndex: Int { 0 }

    /// The position after the last byte (the number of bytes).
    public var endIndex: Int {
        switch storage {
        case .array(let array): return array.count
        case .mapped(_, let range): return range.count
        }
    }

    /// Accesses the byte at `position`.
    ///
    /// - Precondition: `position` is in `0..<count`.
    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < endIndex, "index \(position) out of range 0..<\(endIndex)")
        switch storage {
        case .array(let array): return array[position]
        case .mapped(let file, let range): return file.bytes[range.lowerBound + position]
        }
    }

    /// Calls `body` with a pointer to the bytes.
    ///
    /// The pointer must not escape the closure.
    ///
    /// - Parameter body: Receives the bytes.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        switch storage {
        case .array(let array):
            return try array.withUnsafeBufferPointer { buffer throws(E) -> R in try body(UnsafeRawBufferPointer(buffer))
            }
        case .mapped(let file, let range):
            let slice = UnsafeRawBufferPointer(rebasing: file.bytes[range])
            defer { withExtendedLifetime(file) {} }
            return try body(slice)
        }
    }

    /// Calls `body` with a pointer to contiguous storage; the collection always has one.
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try withUnsafeBytes { raw in try body(raw.bindMemory(to: UInt8.self)) }
    }

    /// The bytes as a new array (copies a mapped view).
    public var array: [UInt8] {
        switch storage {
        case .array(let array): return array
        case .mapped: return withUnsafeBytes { [UInt8]($0) }
        }
    }

    /// Whether both hold the same bytes, wherever they are stored.
    public static func == (lhs: MemberBytes, rhs: MemberBytes) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in a.elementsEqual(b) } }
    }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
