extension Tensor {
    /// Creates a Float32 tensor of the same shape from a floating-point NumPy array (`<f2`,
    /// `<f4` or `<f8`); float16 values are widened exactly, as numpy's `astype(np.float32)`.
    ///
    /// - Parameter array: The array.
    /// - Throws: ``DataCompError`` with code `dtypeMismatch` for other element types.
    public init(_ array: NPYArray) throws {
        try self.init(shape: array.shape) { buffer in try array.convertFloats(into: buffer) }
    }

    /// Creates a Float32 `[rowCount, dimensions]` tensor from a pool feature matrix.
    ///
    /// - Parameter embeddings: The matrix (float16 values are widened exactly).
    public init(_ embeddings: PoolEmbeddings) {
        self.init(shape: [embeddings.rowCount, embeddings.dimensions]) { buffer in
            embeddings.convert(rows: 0..<embeddings.rowCount, into: buffer)
        }
    }
}

extension NPYArray {
    /// Creates a `<f4` array with the tensor's shape and elements.
    ///
    /// - Parameter tensor: The tensor.
    public init(_ tensor: Tensor) {
        self.init(shape: tensor.shape, scalars: tensor.scalars)
    }
}
