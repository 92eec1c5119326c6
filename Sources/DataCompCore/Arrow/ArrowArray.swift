/// One column of an Arrow IPC file: its values in every record batch, read as one collection.
///
/// The values stay in the file's memory map (or in the decompressed buffers of a compressed
/// file) and are decoded when accessed; the array keeps them alive. Every size, offset and text
/// value was checked when the file was opened, so reading cannot fail.
///
/// ```swift
/// let file = try ArrowIPCFile(path: "data-00000-of-00001.arrow")
/// let captions = try file.column(named: "caption")
/// for caption in captions {
///     print(caption.stringValue ?? "(null)")
/// }
/// ```
public struct ArrowArray: RandomAccessCollection, Sendable {
    /// The column's field: its name and type.
    public let field: ArrowField
    /// One array per non-empty record batch, in file order.
    let chunks: [ArrowArrayData]
    /// The first row of each chunk, then the total.
    private let chunkStarts: [Int]

    init(field: ArrowField, chunks: [ArrowArrayData]) {
        self.field = field
        self.chunks = chunks.filter { $0.length > 0 }
        var starts = [0]
        for chunk in self.chunks { starts.append(starts[starts.count - 1] + chunk.length) }
        chunkStarts = starts
    }

    /// The position of the first value (always 0).
    public var startIndex: Int { 0 }

    /// The position after the last value (the number of values).
    public var endIndex: Int { chunkStarts[chunkStarts.count - 1] }

    /// The number of null values.
    public var nullCount: Int { chunks.reduce(0) { $0 + $1.nullCount } }

    /// The value at `position`: ``ArrowValue/null`` for a null.
    ///
    /// - Precondition: `position` is in `0..<count`.
    public subscript(position: Int) -> ArrowValue {
        let (chunk, index) = locate(position)
        return chunks[chunk].value(at: index)
    }

    /// Whether the value at `position` is null.
    ///
    /// - Parameter position: A position in `0..<count`.
    /// - Returns: Whether the value is null.
    /// - Precondition: `position` is in `0..<count`.
    public func isNull(at position: Int) -> Bool {
        let (chunk, index) = locate(position)
        return chunks[chunk].isNull(index)
    }

    private func locate(_ position: Int) -> (chunk: Int, index: Int) {
        precondition(position >= 0 && position < endIndex, "index \(position) out of range 0..<\(endIndex)")
        // The last chunk whose start is at or before `position`.
        var low = 0
        var high = chunks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if chunkStarts[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return (low, position - chunkStarts[low])
    }
}
