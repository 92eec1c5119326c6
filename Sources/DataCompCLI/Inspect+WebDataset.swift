import DataComp

extension Inspect {
    /// Summarizes a WebDataset shard: sample count, members per extension, the first keys and
    /// the payload size, reading the shard as webdataset groups it.
    static func summarizeWebDataset(path: String) throws -> JSONValue {
        var reader = try WebDatasetShardReader(path: path)
        var samples = 0
        var members = 0
        var payload = 0
        var extensionCounts: [String: Int] = [:]
        var firstKeys: [JSONValue] = []
        while let sample = try reader.next() {
            samples += 1
            if firstKeys.count < 5 { firstKeys.append(.string(sample.key)) }
            for member in sample.members {
                members += 1
                payload += member.bytes.count
                extensionCounts[member.fileExtension, default: 0] += 1
            }
        }
        let extensions = extensionCounts.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) }
        return .object([
            ("path", .string(path)),
            ("format", .string("webdataset")),
            ("samples", .int(samples)),
            ("members", .int(members)),
            ("extensions", .object(extensions)),
            ("first_keys", .array(firstKeys)),
            ("payload_bytes", .int(payload)),
            ("file_bytes", .int(reader.fileSize)),
        ])
    }
}
