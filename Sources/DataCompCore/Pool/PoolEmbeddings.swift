internal import DataCompKernels

/// A matrix of CLIP (or de-duplication) features for the rows of a batch, `[rows, dimensions]`,
/// in the file's element type (`<f2` or `<f4`) and memory-mapped from the `.npz` when the
/// archive stores its members uncompressed (as `np.savez` does).
///
/// Row `i` belongs to row `i` of the batch. Convert to Float32 with `Tensor(_:)` or ``row(_:)``.
public struct PoolEmbeddings: Sendable, Equatable {
    /// The rows as a NumPy array of shape `[rowCount, dimensions]`.
    public let array: NPYArray

    /// Wraps a two-dimensional float16 or float32 array.
    ///
    /// - Parameter array: An array of shape `[rows, dimensions]`.
    /// - Precondition: `array` is two-dimensional with element type float16 or float32.
    public init(array: NPYArray) {
        precondition(array.shape.count == 2, "embeddings must be two-dimensional, got shape \(array.shape)")
        precondition(
            array.dataType == .float16 || array.dataType == .float32,
            "embeddings must be <f2 or <f4, got \(array.dataType)")
        self.array = array
    }

    /// The number of rows.
    public var rowCount: Int { array.shape[0] }
    /// The number of values per row.
    public var dimensions: Int { array.shape[1] }
    /// The element type, ``NPYDataType/float16`` or ``NPYDataType/float32``.
    public var dataType: NPYDataType { array.dataType }
    /// Whether the values are mapped from the file rather than held in memory.
    public var isMemoryMapped: Bool { array.isMemoryMapped }

    /// Row `index` converted to Float32.
    ///
    /// - Parameter index: A row in `0..<rowCount`.
    /// - Returns: `dimensions` values.
    public func row(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < rowCount, "row \(index) out of range 0..<\(rowCount)")
        return [Float](unsafeUninitializedCapacity: dimensions) { buffer, initialized in
            convert(rows: index..<(index + 1), into: buffer)
            initialized = dimensions
        }
    }

    func convert(rows: Range<Int>, into destination: UnsafeMutableBufferPointer<Float>) {
        let itemSize = dataType.itemSize
        array.withUnsafeBytes { bytes in
            let source = UnsafeRawBufferPointer(
                rebasing: bytes[(rows.lowerBound * dimensions * itemSize)..<(rows.upperBound * dimensions * itemSize)])
            if dataType == .float16 {
                HalfPrecision.float16ToFloat32(source, into: destination)
            } else {
                UnsafeMutableRawBufferPointer(destination).copyMemory(from: source)
            }
        }
    }

    /// The rows at `rows`, in that order, copied into memory in the file's element type.
    ///
    /// - Parameter rows: Row indices in `0..<rowCount`.
    /// - Returns: A `[rows.count, dimensions]` matrix.
    public func gathering(_ rows: [Int]) -> PoolEmbeddings {
        let rowBytes = dimensions * dataType.itemSize
        let storage = array.withUnsafeBytes { source in
            RawStorage(count: rows.count * rowBytes) { target in
                for (index, row) in rows.enumerated() {
                    precondition(row >= 0 && row < rowCount, "row \(row) out of range 0..<\(rowCount)")
                    UnsafeMutableRawBufferPointer(rebasing: target[(index * rowBytes)..<((index + 1) * rowBytes)])
                        .copyMemory(
                            from: UnsafeRawBufferPointer(rebasing: source[(row * rowBytes)..<((row + 1) * rowBytes)]))
                }
            }
        }
        return PoolEmbeddings(array: NPYArray(dataType: dataType, shape: [rows.count, dimensions], storage: storage))
    }

    /// Rows `rows` of this matrix, sharing its storage (still memory-mapped when this is).
    ///
    /// - Parameter rows: A range of rows.
    /// - Returns: A `[rows.count, dimensions]` matrix.
    public func sliced(_ rows: Range<Int>) -> PoolEmbeddings {
        let rowBytes = dimensions * dataType.itemSize
        let storage = array.storage.slice((rows.lowerBound * rowBytes)..<(rows.upperBound * rowBytes))
        return PoolEmbeddings(array: NPYArray(dataType: dataType, shape: [rows.count, dimensions], storage: storage))
    }
}
