internal import DataCompKernels

/// A memory-mapped `.safetensors` file: its header is parsed and validated on opening, and
/// tensor data is read without copying.
///
/// Validation follows the Rust `safetensors` crate (0.8): the header length is at most 100 MB
/// and fits in the file, the header is strict UTF-8 JSON (as `serde_json` parses it: no trailing
/// commas, integers without fraction or exponent for shapes and offsets), `__metadata__` maps
/// strings to strings, every tensor has a known dtype, a shape and `data_offsets`, the tensors
/// sorted by offset cover the data area contiguously without gaps or overlaps, each tensor's
/// byte size equals the product of its shape times the element size, and the data area ends
/// exactly at the end of the file.
///
/// ```swift
/// let file = try SafetensorsFile(path: "model.safetensors")
/// for info in file.tensors { print(info.name, info.dataType, info.shape) }
/// let weight = try file.tensor(named: "visual.proj")   // F32/F16/BF16 → Float32
/// ```
public struct SafetensorsFile: Sendable {
    /// Where one tensor is and what it holds.
    public struct TensorInfo: Sendable, Hashable {
        /// The tensor's name.
        public var name: String
        /// The element type.
        public var dataType: SafetensorsDataType
        /// The shape, outermost dimension first.
        public var shape: [Int]
        /// The byte range inside the data area (after the header), as in `data_offsets`.
        public var dataOffsets: Range<Int>

        /// The number of elements.
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The file's path.
    public let path: String
    /// The `__metadata__` entries sorted by key, or `nil` when the header has none.
    public let metadata: [(key: String, value: String)]?
    /// The tensors in data order.
    public let tensors: [TensorInfo]
    /// The byte offset of the data area (8 + header length).
    public let dataStart: Int
    private let file: MappedFile

    /// The largest header the Rust crate accepts.
    package static let maximumHeaderLength = 100_000_000

    /// Opens and validates a safetensors file.
    ///
    /// - Parameter path: The `.safetensors` file.
    /// - Throws: ``DataCompError`` naming the file and, where it applies, the tensor: `truncatedFile`
    ///   for a short file, `invalidFormat` for a bad header, `unsupportedDataType` for an unknown
    ///   dtype, `corruptData` for inconsistent offsets or sizes.
    public init(path: String) throws {
        self.path = path
        let (mapped, parsed) = try MappedFile.parsing(path) { ($0, try Self.parse($0.bytes)) }
        file = mapped
        metadata = parsed.metadata
        tensors = parsed.tensors
        dataStart = parsed.dataStart
    }

    /// The tensor called `name`, if the file has one.
    ///
    /// - Parameter name: The tensor's name.
    /// - Returns: Its description, or `nil`.
    public func info(named name: String) -> TensorInfo? {
        tensors.first { $0.name == name }
    }

    /// The value of a `__metadata__` entry.
    ///
    /// - Parameter key: The metadata key.
    /// - Returns: The value, or `nil`.
    public func metadataValue(forKey key: String) -> String? {
        metadata?.first { $0.key == key }?.value
    }

    /// Calls `body` with the raw little-endian bytes of a tensor, straight from the mapping.
    ///
    /// The pointer must not escape the closure; it may be unaligned for files from writers that
    /// do not pad the header.
    ///
    /// - Parameters:
    ///   - name: The tensor's name.
    ///   - body: Receives the tensor's description and bytes.
    /// - Returns: What `body` returns.
    /// - Throws: ``DataCompError`` with code `missingMember` if there is no such tensor, or
    ///   what `body` throws.
    public func withUnsafeBytes<R>(
        ofTensor name: String, _ body: (TensorInfo, UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        guard let info = info(named: name) else {
            throw DataCompError(
                .missingMember,
                "no tensor named '\(name)'; the file has \(tensors.count) tensors: \(tensors.prefix(20).map(\.name).joined(separator: ", "))\(tensors.count > 20 ? ", …" : "")",
                path: path, position: .member(name))
        }
        let start = dataStart + info.dataOffsets.lowerBound
        let bytes = UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + info.dataOffsets.count)])
        return try withExtendedLifetime(file) { try body(info, bytes) }
    }

    /// Reads a floating-point tensor as a Float32 ``Tensor`` (F16 and BF16 are widened exactly).
    ///
    /// - Parameter name: The tensor's name.
    /// - Returns: The tensor with the file's shape.
    /// - Throws: ``DataCompError`` with code `missingMember` for a missing tensor or
    ///   `unsupportedDataType` for a dtype other than F32, F16 or BF16.
    public func tensor(named name: String) throws -> Tensor {
        try withUnsafeBytes(ofTensor: name) { info, bytes in
            switch info.dataType {
            case .float32:
                return Tensor(shape: info.shape) { LittleEndianScalars.decodeFloat32(bytes, into: $0) }
            case .float16:
                return Tensor(shape: info.shape) { HalfPrecision.float16ToFloat32(bytes, into: $0) }
            case .bfloat16:
                return Tensor(shape: info.shape) { HalfPrecision.bfloat16ToFloat32(bytes, into: $0) }
            default:
                throw DataCompError(
                    .unsupportedDataType,
                    "tensor '\(name)' has dtype \(info.dataType.rawValue); only F32, F16 and BF16 convert to Tensor (read it with withUnsafeBytes(ofTensor:))",
                    path: path, position: .member(name))
            }
        }
    }

    /// Reads an I64 tensor's values.
    ///
    /// - Parameter name: The tensor's name.
    /// - Returns: The values in row-major order.
    /// - Throws: ``DataCompError`` with code `missingMember` for a missing tensor or
    ///   `dtypeMismatch` if it is not I64.
    public func int64Values(named name: String) throws -> [Int64] {
        try withUnsafeBytes(ofTensor: name) { info, bytes in
            guard info.dataType == .int64 else {
                throw DataCompError(
                    .dtypeMismatch, "tensor '\(name)' has dtype \(info.dataType.rawValue), expected I64",
                    path: path, position: .member(name))
            }
            return LittleEndianScalars.decodeInt64(bytes)
        }
    }
}
