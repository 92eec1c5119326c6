/// A dense, row-major (C order) array of `Float` values with a shape.
///
/// `Tensor` is a value type with copy-on-write storage: copies are cheap until one of them is
/// mutated. It is `Sendable`, so tensors move freely between tasks.
///
/// ```swift
/// var t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// t[1, 2] = 60
/// let flat = t.reshaped([6])
/// ```
///
/// Read the elements as an array with ``scalars`` (a copy-on-write array: reading it copies
/// nothing), or without any array through ``withUnsafeBufferPointer(_:)`` and
/// ``withUnsafeMutableBufferPointer(_:)``; do not let those pointers escape the closure.
/// Conversions from the package's file types are initializers: `Tensor(npyArray)`,
/// `Tensor(poolEmbeddings)`; matrix products go through OpenBLAS (``matmul(_:_:transposeA:transposeB:)``).
public struct Tensor: Sendable, Equatable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order.
    public private(set) var scalars: [Float]

    /// Creates a tensor from a shape and its elements in row-major order.
    ///
    /// - Parameters:
    ///   - shape: The size of each dimension; `[]` for a scalar.
    ///   - scalars: The elements in row-major order.
    /// - Precondition: `shape` has no negative dimension and `scalars.count` equals the product
    ///   of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(
            Tensor.elementCount(of: shape) == scalars.count,
            "shape \(shape) needs \(Tensor.elementCount(of: shape)) elements, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape with every element set to `value`.
    ///
    /// - Parameters:
    ///   - shape: The size of each dimension.
    ///   - value: The value of every element.
    /// - Precondition: `shape` has no negative dimension.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: Tensor.elementCount(of: shape))
    }

    /// Creates a tensor of the given shape whose elements are written by `initializer`.
    ///
    /// - Parameters:
    ///   - shape: The tensor's shape.
    ///   - initializer: Receives an uninitialized buffer of the tensor's element count and must
    ///     initialize every element.
    public init(
        shape: [Int],
        unsafeUninitializedCapacity initializer: (inout UnsafeMutableBufferPointer<Float>) throws -> Void
    ) rethrows {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        let count = Tensor.elementCount(of: shape)
        self.shape = shape
        self.scalars = try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            try initializer(&buffer)
            initialized = count
        }
    }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements (the product of the shape; 1 for a scalar tensor).
    public var count: Int { scalars.count }

    /// The product of `shape`'s dimensions.
    ///
    /// - Parameter shape: A shape.
    /// - Returns: The number of elements of a tensor of that shape.
    public static func elementCount(of shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// Returns a tensor with the same elements and a new shape.
    ///
    /// - Parameter newShape: The new shape.
    /// - Returns: A tensor sharing this one's storage until either is mutated.
    /// - Precondition: The new shape has the same number of elements.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Accesses the element at a multi-dimensional index.
    ///
    /// - Parameter indices: One index per dimension.
    /// - Precondition: `indices.count == rank` and every index is in range.
    public subscript(_ indices: Int...) -> Float {
        get { scalars[flatIndex(indices)] }
        set { scalars[flatIndex(indices)] = newValue }
    }

    private func flatIndex(_ indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "expected \(shape.count) indices, got \(indices.count)")
        var flat = 0
        for (index, dimension) in zip(indices, shape) {
            precondition(index >= 0 && index < dimension, "index \(indices) out of range for shape \(shape)")
            flat = flat * dimension + index
        }
        return flat
    }

    /// Calls `body` with a pointer to the elements in row-major order.
    ///
    /// The pointer must not
    /// escape the closure.
    ///
    /// - Parameter body: Receives the elements.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withUnsafeBufferPointer<R, E: Error>(
        _ body: (UnsafeBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        try scalars.withUnsafeBufferPointer { buffer throws(E) -> R in try body(buffer) }
    }

    /// Calls `body` with a mutable pointer to the elements in row-major order, copying the
    /// storage first if it is shared.
    ///
    /// The pointer must not escape the closure.
    ///
    /// - Parameter body: Receives the elements.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public mutating func withUnsafeMutableBufferPointer<R, E: Error>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        try scalars.withUnsafeMutableBufferPointer { buffer throws(E) -> R in try body(&buffer) }
    }
}
