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
            "tensor '\(name)' of shape \(shape) and dtype \(dataType.rawValue) needs \(shape.reduce(1, *) * dataType.byteCount) bytes, got \(bytes.count)")
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
            bytes = tensor.withUnsafeBufferPointer { buffer in
                var result = [UInt8]()
                result.reserveCapacity(buffer.count * 4)
                for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { result.append(contentsOf: $0) } }
                return result
            }
        case .float16:
            bytes = tensor.float16Bits().withUnsafeBytes { Self.littleEndian16($0) }
        case .bfloat16:
            bytes = tensor.bfloat16Bits().withUnsafeBytes { Self.littleEndian16($0) }
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
        var bytes = [UInt8]()
        bytes.reserveCapacity(int64Values.count * 8)
        for value in int64Values { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        self.init(name: name, dataType: .int64, shape: shape ?? [int64Values.count], bytes: bytes)
    }

    private static func littleEndian16(_ raw: UnsafeRawBufferPointer) -> [UInt8] {
        // The bit patterns are host-order UInt16; write them little-endian.
        var result = [UInt8](repeating: 0, count: raw.count)
        for index in stride(from: 0, to: raw.count, by: 2) {
            let value = raw.loadUnaligned(fromByteOffset: index, as: UInt16.self)
            result[index] = UInt8(truncatingIfNeeded: value)
            result[index + 1] = UInt8(truncatingIfNeeded: value >> 8)
        }
        return result
    }
}
