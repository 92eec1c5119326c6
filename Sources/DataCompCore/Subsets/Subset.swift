/// A sorted list of sample identifiers, as DataComp subset files hold it, with fast membership
/// counting.
///
/// Duplicates are allowed and meaningful: the resharder emits a sample once for every time its
/// uid occurs in the subset. ``count(of:)`` answers that with two binary searches, like NumPy's
/// `searchsorted(side="left")` and `searchsorted(side="right")`.
///
/// A subset read from a file is memory-mapped and not copied, so millions of uids cost no heap
/// memory.
///
/// ```swift
/// let subset = try SubsetFile.read(from: "baseline.npy")
/// let copies = subset.count(of: try SampleID(hex: "139e4a9b22a614771f06c700a8ebe150"))
/// ```
public struct Subset: RandomAccessCollection, Sendable {
    /// Records of 16 bytes (`f0` then `f1`, little-endian), sorted ascending.
    package let storage: RawStorage

    /// The position of the first identifier.
    public var startIndex: Int { 0 }
    /// One past the position of the last identifier.
    public var endIndex: Int { storage.bytes.count / 16 }

    /// Accesses the identifier at `position`.
    ///
    /// - Precondition: `position` is a valid index.
    public subscript(position: Int) -> SampleID {
        precondition(position >= 0 && position < endIndex, "index \(position) out of range 0..<\(endIndex)")
        return SampleID(record: storage.bytes, at: position &* 16)
    }

    package init(sortedStorage storage: RawStorage) {
        self.storage = storage
    }

    /// Creates a subset from identifiers in any order, sorting them.
    ///
    /// - Parameter ids: The identifiers; duplicates are kept.
    public init(_ ids: some Sequence<SampleID>) {
        let sorted = ids.sorted()
        storage = RawStorage(count: sorted.count * 16) { buffer in
            for (index, id) in sorted.enumerated() { id.storeRecord(into: buffer, at: index * 16) }
        }
    }

    /// A subset of the identifiers of all `chunks`, sorted, built in one buffer: each chunk is
    /// released as soon as it is copied and the records are sorted in place without scratch
    /// memory, so that the peak is about 16 bytes per identifier where sorting a concatenated
    /// array would take three copies.
    ///
    /// - Parameter chunks: The identifiers, in any order; emptied.
    package init(sortingChunks chunks: inout [[SampleID]]) {
        let total = chunks.reduce(0) { $0 + $1.count }
        storage = RawStorage(count: total * 16) { buffer in
            var offset = 0
            for index in chunks.indices {
                for id in chunks[index] {
                    id.storeRecord(into: buffer, at: offset)
                    offset += 16
                }
                chunks[index] = []
            }
            // A record is (f0, f1) as little-endian UInt64s, which is SampleID's own layout on a
            // little-endian host: sort the records as identifiers where they are.
            guard total > 1 else { return }
            if SampleID.hasRecordLayout {
                InPlaceSort.sort(buffer.bindMemory(to: SampleID.self))
            } else {
                var ids = (0..<total).map { SampleID(record: UnsafeRawBufferPointer(buffer), at: $0 * 16) }
                ids.sort()
                for (position, id) in ids.enumerated() { id.storeRecord(into: buffer, at: position * 16) }
            }
        }
    }

    /// Creates a subset from identifiers that must already be sorted ascending.
    ///
    /// - Parameter ids: The identifiers, ascending; duplicates are allowed.
    /// - Throws: ``DataCompError`` with code `unsortedData` naming the first out-of-order row.
    public init(sorted ids: [SampleID]) throws {
        let storage = RawStorage(count: ids.count * 16) { buffer in
            for (index, id) in ids.enumerated() { id.storeRecord(into: buffer, at: index * 16) }
        }
        try Subset.validateSorted(storage.bytes)
        self.storage = storage
    }

    /// Throws `unsortedData` naming the first record that is smaller than the one before it.
    package static func validateSorted(_ bytes: UnsafeRawBufferPointer) throws {
        let count = bytes.count / 16
        guard count > 1 else { return }
        var previous = SampleID(record: bytes, at: 0)
        for row in 1..<count {
            let current = SampleID(record: bytes, at: row &* 16)
            if current < previous {
                throw DataCompError(
                    .unsortedData,
                    "subset uids must be sorted ascending, but row \(row) (\(current)) is smaller than row \(row - 1) (\(previous)); sort the array (arr.sort() in NumPy) or write it with SubsetFile.write, which sorts",
                    position: .row(row))
            }
            previous = current
        }
    }

    /// Returns how many times `id` occurs (0 when it is absent).
    ///
    /// - Parameter id: The identifier to look up.
    /// - Returns: The number of occurrences.
    /// - Complexity: O(log n).
    public func count(of id: SampleID) -> Int {
        let range = equalRange(of: id)
        return range.upperBound - range.lowerBound
    }

    /// Returns whether `id` occurs at least once.
    ///
    /// - Parameter id: The identifier to look up.
    /// - Returns: `true` if ``count(of:)`` is positive.
    /// - Complexity: O(log n).
    public func contains(_ id: SampleID) -> Bool {
        let index = lowerBound(of: id)
        return index < endIndex && self[index] == id
    }

    /// Returns the positions of all occurrences of `id` (empty, positioned where it would be
    /// inserted, when absent).
    ///
    /// - Parameter id: The identifier to look up.
    /// - Returns: The range `searchsorted(id, "left") ..< searchsorted(id, "right")`.
    /// - Complexity: O(log n).
    public func equalRange(of id: SampleID) -> Range<Int> {
        lowerBound(of: id)..<upperBound(of: id)
    }

    private func lowerBound(of id: SampleID) -> Int {
        let bytes = storage.bytes
        var low = 0
        var high = bytes.count / 16
        while low < high {
            let middle = low + (high - low) / 2
            if SampleID(record: bytes, at: middle &* 16) < id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func upperBound(of id: SampleID) -> Int {
        let bytes = storage.bytes
        var low = 0
        var high = bytes.count / 16
        while low < high {
            let middle = low + (high - low) / 2
            if id < SampleID(record: bytes, at: middle &* 16) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
