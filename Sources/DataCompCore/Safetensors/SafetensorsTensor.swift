/// A tensor to be written to a safetensors file: a name, an element type, a shape and the raw
/// little-endian bytes.
public struct SafetensorsTensor: Sendable, Hashable {
    /// The tensor's name in the header.
    public var name: String
    /// The element type.
    public var dataType: SafetensorsDataType
    /// The shape, outermost dimension first.
    public var shape: [Int]
    /// The elements' little-endian bytes in row-major order.
    public var bytes: [UInt8]

    /// Creates a tensor from raw bytes.
    ///
    /// - Parameters:
    ///   - name: The tensor's name.
    ///   - dataType: The element type.
    ///   - shape: The shape.
    ///   - bytes: Exactly `product(shape) × dataType.byteCount` little-endian bytes.
    /// - Precondition: The byte count matches the shape and type.
    public init(name: String, dataType: SafetensorsDataType, shape: [Int], bytes: [UInt8]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(
            shape.reduce(1, *) * dataType.byteCount == bytes.count,
            "tensor '\(name)' of shape \(shape) and dtype \(dataType.rawValue) needs \(shape.reduce(1, *) * dataType.byteCount) bytes, got \(bytes.count)"
        )
        self.name = name
        self.dataType = dataType
        self.shape = shape
        self.bytes = bytes
    }

    /// Creates a floating-point tensor from a ``Tensor``, rounding to the requested precision
    /// (to nearest, ties to even, like numpy and PyTorch).
    ///
    /// - Parameters:
    ///   - name: The tensor's name.
    ///   - tensor: The values.
    ///   - dataType: ``SafetensorsDataType/float32``, ``SafetensorsDataType/float16`` or
    ///     ``SafetensorsDataType/bfloat16``.
    /// - Precondition: `dataType` is one of the three floating-point types above.
    public init(name: String, tensor: Tensor, dataType: SafetensorsDataType = .float32) {
        let bytes: [UInt8]
        switch dataType {
        case .float32:
            bytes = tensor.withUnsafeBufferPointer { LittleEndianScalars.encode($0) }
        case .float16:
            bytes = LittleEndianScalars.encode(tensor.float16Bits())
        case .bfloat16:
            bytes = LittleEndianScalars.encode(tensor.bfloat16Bits())
        default:
            preconditionFailure("a Tensor converts only to F32, F16 or BF16, not \(dataType.rawValue)")
        }
        self.init(name: name, dataType: dataType, shape: tensor.shape, bytes: bytes)
    }

    /// Creates an I64 tensor.
    ///
    /// - Parameters:
    ///   - name: The tensor's name.
    ///   - int64Values: The values in row-major order.
    ///   - shape: The shape; `[values.count]` if omitted.
    /// - Precondition: The shape's element count equals `int64Values.count`.
    public init(name: String, int64Values: [Int64], shape: [Int]? = nil) {
        self.init(
            name: name, dataType: .int64, shape: shape ?? [int64Values.count],
            bytes: LittleEndianScalars.encode(int64Values))
    }
}
