import DataComp

extension Inspect {
    /// Summarizes a safetensors file: each tensor's name, dtype, shape and data offsets in file
    /// order, and the `__metadata__` entries.
    static func summarizeSafetensors(path: String) throws -> JSONValue {
        let file = try SafetensorsFile(path: path)
        let tensors: [JSONValue] = file.tensors.map { info in
            .object([
                ("name", .string(info.name)),
                ("dtype", .string(info.dataType.rawValue)),
                ("shape", .array(info.shape.map { .int($0) })),
                ("data_offsets", .array([.int(info.dataOffsets.lowerBound), .int(info.dataOffsets.upperBound)])),
            ])
        }
        let metadata: JSONValue = file.metadata.map { .object($0.map { ($0.key, .string($0.value)) }) } ?? .null
        return .object([
            ("path", .string(path)),
            ("format", .string("safetensors")),
            ("tensor_count", .int(file.tensors.count)),
            ("data_bytes", .int(file.tensors.last?.dataOffsets.upperBound ?? 0)),
            ("metadata", metadata),
            ("tensors", .array(tensors)),
        ])
    }
}
