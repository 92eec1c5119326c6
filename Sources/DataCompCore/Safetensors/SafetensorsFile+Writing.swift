extension SafetensorsFile {
    /// Writes tensors to a safetensors file atomically, laid out as the `safetensors` Python
    /// package (0.8) lays them out.
    ///
    /// Tensors are ordered by decreasing dtype rank of the Rust `Dtype` enum (U64, I64, F64, F32,
    /// U32, I32, BF16, F16, …), then by name; the header is compact JSON (`serde_json` escaping,
    /// UTF-8 kept) padded with spaces to a multiple of 8 bytes. With at most one metadata entry
    /// the file is byte-identical to `safetensors.numpy.save_file`; with more, Python's order is
    /// that of a Rust `HashMap` (it varies between runs) while this writer sorts the keys.
    ///
    /// - Parameters:
    ///   - tensors: The tensors; names must be distinct and not `__metadata__`.
    ///   - metadata: Optional `__metadata__` string pairs.
    ///   - path: The destination; its folder must exist.
    /// - Throws: ``DataCompError`` with code `invalidArgument` for repeated or reserved names, or `io`.
    public static func write(_ tensors: [SafetensorsTensor], metadata: [String: String]? = nil, to path: String) throws
    {
        let (header, ordered) = try serializedHeader(tensors, metadata: metadata)
        try AtomicFile.write(to: path) { sink in
            var length = UInt64(header.count).littleEndian
            try Swift.withUnsafeBytes(of: &length) { try sink.write($0) }
            try sink.write(header)
            for tensor in ordered { try tensor.bytes.withUnsafeBytes { try sink.write($0) } }
        }
    }

    /// Writes float32 tensors and int64 arrays without copying them: the same file as
    /// ``write(_:metadata:to:)`` of the same tensors, with each tensor's elements written straight
    /// from its storage (a training checkpoint of a large model then needs no second copy of its
    /// weights and moments in memory).
    ///
    /// - Parameters:
    ///   - float32: Float32 tensors by name.
    ///   - int64: Int64 arrays by name, with their shapes.
    ///   - metadata: Optional `__metadata__` string pairs.
    ///   - path: The destination; its folder must exist.
    /// - Throws: ``DataCompError`` with code `invalidArgument` for repeated or reserved names, or `io`.
    public static func write(
        float32: [(name: String, tensor: Tensor)], int64: [(name: String, values: [Int64], shape: [Int])] = [],
        metadata: [String: String]? = nil, to path: String
    ) throws {
        enum Source { case float(Tensor), integer([Int64]) }
        var entries: [HeaderEntry] = []
        var sources: [String: Source] = [:]
        for (name, tensor) in float32 {
            entries.append(
                HeaderEntry(name: name, dataType: .float32, shape: tensor.shape, byteCount: tensor.count * 4))
            sources[name] = .float(tensor)
        }
        for (name, values, shape) in int64 {
            precondition(
                shape.reduce(1, *) == values.count,
                "int64 tensor '\(name)' of shape \(shape) has \(values.count) values")
            entries.append(HeaderEntry(name: name, dataType: .int64, shape: shape, byteCount: values.count * 8))
            sources[name] = .integer(values)
        }
        let (header, ordered) = try serializedHeader(entries: entries, metadata: metadata)
        try AtomicFile.write(to: path) { sink in
            var length = UInt64(header.count).littleEndian
            try Swift.withUnsafeBytes(of: &length) { try sink.write($0) }
            try sink.write(header)
            for entry in ordered {
                switch sources[entry.name] {
                case .float(let tensor)?:
                    try tensor.withUnsafeBufferPointer { values in
                        if Int(littleEndian: 1) == 1 {
                            try sink.write(UnsafeRawBufferPointer(values))
                        } else {
                            try sink.write(
                                values.flatMap { Swift.withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
                        }
                    }
                case .integer(let values)?:
                    try sink.write(values.flatMap { Swift.withUnsafeBytes(of: $0.littleEndian, Array.init) })
                case nil:
                    break
                }
            }
        }
    }

    /// One tensor's header line: what the header needs without the elements.
    package struct HeaderEntry {
        var name: String
        var dataType: SafetensorsDataType
        var shape: [Int]
        var byteCount: Int
    }

    /// The padded header JSON and the tensors in file order.
    package static func serializedHeader(
        _ tensors: [SafetensorsTensor], metadata: [String: String]?
    ) throws -> (header: [UInt8], ordered: [SafetensorsTensor]) {
        let entries = tensors.map {
            HeaderEntry(name: $0.name, dataType: $0.dataType, shape: $0.shape, byteCount: $0.bytes.count)
        }
        let (header, orderedEntries) = try serializedHeader(entries: entries, metadata: metadata)
        var byName: [String: SafetensorsTensor] = [:]
        for tensor in tensors { byName[tensor.name] = tensor }
        return (header, orderedEntries.compactMap { byName[$0.name] })
    }

    /// The padded header JSON and the entries in file order.
    package static func serializedHeader(
        entries tensors: [HeaderEntry], metadata: [String: String]?
    ) throws -> (header: [UInt8], ordered: [HeaderEntry]) {
        let ordered = tensors.sorted {
            if $0.dataType.sortRank != $1.dataType.sortRank { return $0.dataType.sortRank > $1.dataType.sortRank }
            return Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8))
        }
        for (a, b) in zip(ordered, ordered.dropFirst()) where a.name == b.name {
            throw DataCompError(
                .invalidArgument, "two tensors are named '\(a.name)'; names must be distinct", position: .member(a.name)
            )
        }
        if ordered.contains(where: { $0.name == "__metadata__" }) {
            throw DataCompError(
                .invalidArgument, "'__metadata__' is reserved and cannot name a tensor",
                position: .member("__metadata__"))
        }
        var members: [(String, JSONValue)] = []
        if let metadata {
            let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            members.append(("__metadata__", .object(keys.map { ($0, .string(metadata[$0] ?? "")) })))
        }
        var offset = 0
        for tensor in ordered {
            let end = offset + tensor.byteCount
            members.append(
                (
                    tensor.name,
                    .object([
                        ("dtype", .string(tensor.dataType.rawValue)),
                        ("shape", .array(tensor.shape.map(JSONValue.int))),
                        ("data_offsets", .array([.int(offset), .int(end)])),
                    ])
                ))
            offset = end
        }
        // serde_json's compact form: no spaces, UTF-8 kept, only control characters escaped.
        let json = JSONValue.object(members).serialized(escaping: .controlCharactersOnly, compact: true)
        var header = Array(json.utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        return (header, ordered)
    }
}
