import DataComp

extension Inspect {
    /// A JSON summary of a Parquet file: rows, row groups, schema, and per column its types,
    /// levels, codecs, encodings and sizes.
    static func summarizeParquet(path: String) throws -> JSONValue {
        let file = try ParquetFile(path: path)
        func describe(_ node: ParquetSchemaNode) -> JSONValue {
            var members: [(String, JSONValue)] = [
                ("name", .string(node.name)),
                ("repetition", .string(node.repetition.rawValue)),
            ]
            if let type = node.physicalType { members.append(("physical_type", .string(type.description))) }
            if let length = node.typeLength { members.append(("type_length", .int(length))) }
            if let annotation = node.annotation { members.append(("logical_type", .string(annotation))) }
            if !node.children.isEmpty { members.append(("children", .array(node.children.map(describe)))) }
            return .object(members)
        }
        let columns: [JSONValue] = file.schema.columns.enumerated().map { index, column in
            let chunks = file.rowGroups.map { $0.columns[index] }
            var codecs: [String] = []
            var encodings: [String] = []
            for chunk in chunks {
                if !codecs.contains(chunk.compression.description) { codecs.append(chunk.compression.description) }
                for encoding in chunk.encodings where !encodings.contains(encoding.description) {
                    encodings.append(encoding.description)
                }
            }
            return .object([
                ("path", .string(column.dottedPath)),
                ("physical_type", .string(column.physicalType.description)),
                ("string", .bool(column.isString)),
                ("max_definition_level", .int(column.maxDefinitionLevel)),
                ("max_repetition_level", .int(column.maxRepetitionLevel)),
                ("codecs", .array(codecs.map(JSONValue.string))),
                ("encodings", .array(encodings.map(JSONValue.string))),
                ("compressed_bytes", .int(chunks.reduce(0) { $0 + $1.compressedSize })),
                ("uncompressed_bytes", .int(chunks.reduce(0) { $0 + $1.uncompressedSize })),
            ])
        }
        return .object([
            ("format", .string("parquet")),
            ("rows", .int(file.rowCount)),
            ("row_groups", .int(file.rowGroups.count)),
            ("row_group_rows", .array(file.rowGroups.map { .int($0.rowCount) })),
            ("created_by", file.createdBy.map(JSONValue.string) ?? .null),
            ("schema", .array(file.schema.fields.map(describe))),
            ("columns", .array(columns)),
        ])
    }
}
