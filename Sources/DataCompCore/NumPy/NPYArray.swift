/// A NumPy array read from or written to the `.npy` format.
///
/// Arrays read from a file are memory-mapped: the data is not copied, and the mapping stays
/// alive as long as any copy of the array does. Arrays read from an NPZ member are mapped too when
/// the member is stored uncompressed, and held in memory when it is deflated.
///
/// ```swift
/// let features = try NPYArray(contentsOfFile: "features.npy")   // shape [N, 512], <f2
/// let tensor = try Tensor(features)                          // Float32 copy
/// try features.withUnsafeBufferPointer(as: Float16.self) { values in /* no copy */ }
/// ```
///
/// Only little-endian, C-order arrays of the types in ``NPYDataType`` are supported.
public struct NPYArray: Sendable {
    /// The element type.
    public let dataType: NPYDataType
    /// The shape; empty for a 0-d array.
    public let shape: [Int]
    /// The data bytes (C order), without the header.
    package let storage: RawStorage

    /// The number of elements (the product of ``shape``; 1 for a 0-d array).
    public var count: Int { shape.reduce(1, *) }

    /// Whether the data is memory-mapped from a file rather than held in memory.
    public var isMemoryMapped: Bool { storage.isMapped }

    package init(dataType: NPYDataType, shape: [Int], storage: RawStorage) {
        self.dataType = dataType
        self.shape = shape
        self.storage = storage
    }

    /// Parses a whole `.npy` image held in `storage`; the array views its data without a copy.
    package init(parsing storage: RawStorage) throws {
        let header = try NPYHeader.parse(storage.bytes)
        self.init(
            dataType: header.dataType, shape: header.shape,
            storage: storage.slice(header.dataOffset..<(header.dataOffset + header.dataByteCount)))
    }

    /// Reads an `.npy` file, memory-mapping its data.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``DataCompError`` naming the file and byte offset: `invalidFormat` (wrong magic,
    ///   unparsable header), `unsupportedFormat` (Fortran order, unknown version),
    ///   `unsupportedDataType`, `truncatedFile` or `corruptData` (data size differs from the
    ///   header's shape), `fileNotFound`, `io`.
    public init(contentsOfFile path: String) throws {
        self = try MappedFile.parsing(path) { file in
            try NPYArray(parsing: RawStorage(file: file, range: 0..<file.count))
        }
    }

    /// Parses an `.npy` image from memory (the bytes are copied).
    ///
    /// - Parameter bytes: The complete file content.
    /// - Throws: ``DataCompError`` naming the byte offset; see ``init(contentsOfFile:)``.
    public init(bytes: some Collection<UInt8>) throws {
        try self.init(parsing: RawStorage(copyingCollection: bytes))
    }

    /// Creates an array from elements in C order.
    ///
    /// - Parameters:
    ///   - shape: The shape; `[]` for a 0-d array.
    ///   - scalars: The elements; their count must equal the product of `shape`.
    /// - Precondition: `shape` has no negative dimension and matches `scalars.count`.
    public init<Scalar: NPYScalar>(shape: [Int], scalars: [Scalar]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(
            shape.reduce(1, *) == scalars.count,
            "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(scalars.count)")
        let storage = scalars.withUnsafeBytes { RawStorage(copying: $0) }
        self.init(dataType: Scalar.npyDataType, shape: shape, storage: storage)
    }

    /// Creates a `|b1` array from booleans in C order.
    ///
    /// - Parameters:
    ///   - shape: The shape; `[]` for a 0-d array.
    ///   - booleans: The elements; their count must equal the product of `shape`.
    /// - Precondition: `shape` has no negative dimension and matches `booleans.count`.
    public init(shape: [Int], booleans: [Bool]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(
            shape.reduce(1, *) == booleans.count,
            "shape \(shape) needs \(shape.reduce(1, *)) elements, got \(booleans.count)")
        let storage = RawStorage(count: booleans.count) { buffer in
            for (index, value) in booleans.enumerated() { buffer[index] = value ? 1 : 0 }
        }
        self.init(dataType: .bool, shape: shape, storage: storage)
    }

    /// Creates a 1-D array of uid records (`[('f0', '<u8'), ('f1', '<u8')]`), in the given order.
    ///
    /// - Parameter sampleIDs: The identifiers.
    public init(sampleIDs: [SampleID]) {
        let storage = RawStorage(count: sampleIDs.count * 16) { buffer in
            for (index, id) in sampleIDs.enumerated() { id.storeRecord(into: buffer, at: index * 16) }
        }
        self.init(dataType: .sampleID, shape: [sampleIDs.count], storage: storage)
    }

    /// Calls `body` with the raw data bytes (C order, little-endian, no header).
    ///
    /// - Parameter body: Receives the bytes; they must not escape the closure.
    /// - Returns: What `body` returns.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(storage) { try body(storage.bytes) }
    }

    /// Calls `body` with the elements as a typed buffer, without copying when the data is aligned.
    ///
    /// Data inside a stored NPZ member may not be aligned for `Scalar`; it is then copied once.
    ///
    /// - Parameters:
    ///   - type: The element type; must match ``dataType``.
    ///   - body: Receives the elements in C order; they must not escape the closure.
    /// - Returns: What `body` returns.
    /// - Throws: ``DataCompError`` with code `dtypeMismatch` if `type` does not match
    ///   ``dataType``, or whatever `body` throws.
    public func withUnsafeBufferPointer<Scalar: NPYScalar, Result>(
        as type: Scalar.Type, _ body: (UnsafeBufferPointer<Scalar>) throws -> Result
    ) throws -> Result {
        guard Scalar.npyDataType == dataType else {
            throw DataCompError(
                .dtypeMismatch,
                "the array's dtype is \(dataType.descr), but it was read as \(Scalar.self) (\(Scalar.npyDataType.descr))"
            )
        }
        return try storage.withUnsafeBufferPointer(as: type, body)
    }

    /// Returns a copy of the elements in C order.
    ///
    /// - Parameter type: The element type; must match ``dataType``.
    /// - Returns: The elements.
    /// - Throws: ``DataCompError`` with code `dtypeMismatch`.
    public func scalars<Scalar: NPYScalar>(as type: Scalar.Type) throws -> [Scalar] {
        try withUnsafeBufferPointer(as: type) { Array($0) }
    }
}

extension NPYArray: Equatable {
    /// Returns whether two arrays have the same element type, shape and data bytes.
    ///
    /// Floating-point elements compare bitwise, so NaNs with the same bits are equal.
    public static func == (lhs: NPYArray, rhs: NPYArray) -> Bool {
        lhs.dataType == rhs.dataType && lhs.shape == rhs.shape
            && lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in left.elementsEqual(right) } }
    }
}
