/// Reads the messages of an Arrow IPC stream or file into a schema and checked columns.
enum ArrowIPCParsing {
    struct Parsed {
        let format: ArrowIPCFile.Format
        let schema: ArrowSchema
        let batchRowCounts: [Int]
        let rowCount: Int
        let columns: [ArrowArray]
    }

    /// `ARROW1`, the magic at both ends of the file format.
    static let magic: [UInt8] = Array("ARROW1".utf8)

    static func parse(_ file: MappedFile) throws -> Parsed {
        let bytes = file.bytes
        if bytes.count >= 6 && bytes[0..<6].elementsEqual(magic) {
            return try parseFile(file)
        }
        if bytes.count >= 4 && bytes[0..<4].elementsEqual("FEA1".utf8) {
            throw DataCompError(
                .unsupportedFormat,
                "the file is Feather version 1, which is not supported; re-save it as Feather version 2 "
                    + "(pyarrow: `pyarrow.feather.write_feather(table, path, version=2)`)",
                position: .offset(0))
        }
        return try parseStream(file)
    }

    /// The streaming format: a schema message, record batches, then the end of the stream.
    private static func parseStream(_ file: MappedFile) throws -> Parsed {
        let bytes = file.bytes
        guard let first = try ArrowMessage.read(bytes, at: 0, isFirst: true) else {
            throw DataCompError(
                .invalidFormat,
                bytes.isEmpty
                    ? "the file is empty; an Arrow IPC stream starts with a schema message"
                    : "the stream ends before its schema message; it is not an Arrow IPC stream",
                position: .offset(0))
        }
        guard first.headerType == ArrowMessage.HeaderType.schema.rawValue else {
            throw DataCompError(
                .invalidFormat,
                "the stream starts with \(first.headerName) message instead of a schema; it is not an Arrow IPC stream",
                position: .offset(0))
        }
        let schema = try ArrowSchemaDecoding.schema(first.header)
        var batches: [(length: Int, columns: [ArrowArrayData])] = []
        var offset = first.end
        while let message = try ArrowMessage.read(bytes, at: offset) {
            batches.append(try batch(message, file: file, index: batches.count, schema: schema))
            offset = message.end
        }
        return try assemble(.stream, schema: schema, batches: batches)
    }

    /// The file format: `ARROW1`, padding, the stream, the footer, its int32 length, `ARROW1`.
    private static func parseFile(_ file: MappedFile) throws -> Parsed {
        let bytes = file.bytes
        let size = bytes.count
        guard size >= 18 else {
            throw DataCompError(
                .truncatedFile,
                "the file starts with the Arrow file magic but has only \(size) bytes; it is truncated",
                position: .offset(0))
        }
        guard bytes[(size - 6)..<size].elementsEqual(magic) else {
            throw DataCompError(
                .truncatedFile,
                "the file starts with the Arrow file magic 'ARROW1' but does not end with it; it is truncated "
                    + "or not an Arrow IPC file",
                position: .offset(size - 6))
        }
        let footerLength = Int(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: size - 10, as: Int32.self)))
        let footerStart = size - 10 - footerLength
        guard footerLength > 0, footerStart >= 8 else {
            throw DataCompError(
                .corruptData,
                "the footer length \(footerLength) does not fit the \(size)-byte file; the file is truncated or corrupted",
                position: .offset(size - 10))
        }
        let buffer = FlatBuffer(
            bytes: UnsafeRawBufferPointer(rebasing: bytes[footerStart..<(size - 10)]), baseOffset: footerStart,
            context: "Arrow file footer")
        let footer = try buffer.root("Footer")
        guard let schemaTable = try footer.table(1, "Schema") else {
            throw buffer.error("the footer has no schema", at: 0)
        }
        let schema = try ArrowSchemaDecoding.schema(schemaTable)
        var batches: [(length: Int, columns: [ArrowArrayData])] = []
        var previousEnd = 8
        if let blocks = try footer.vector(3, stride: 24, "the record batch blocks") {
            for index in 0..<blocks.count {
                let offset = try blocks.load(index, offset: 0, as: Int64.self)
                let metadataLength = try blocks.load(index, offset: 8, as: Int32.self)
                let bodyLength = try blocks.load(index, offset: 16, as: Int64.self)
                // Blocks follow each other, as writers lay batches out: a footer cannot make the
                // reader load one batch many times.
                guard offset >= Int64(previousEnd), offset < Int64(footerStart) else {
                    throw DataCompError(
                        .corruptData,
                        "the footer places record batch \(index) at byte \(offset), outside the data after the "
                            + "previous batch (\(previousEnd)..<\(footerStart)); the file is corrupted",
                        position: .offset(footerStart))
                }
                let data = UnsafeRawBufferPointer(rebasing: bytes[0..<footerStart])
                guard let message = try ArrowMessage.read(data, at: Int(offset)) else {
                    throw DataCompError(
                        .corruptData,
                        "the footer places record batch \(index) at byte \(offset), where the stream ends",
                        position: .offset(Int(offset)))
                }
                guard message.metadataLength == Int(metadataLength), message.bodyLength == bodyLength else {
                    throw DataCompError(
                        .corruptData,
                        "record batch \(index) has \(message.metadataLength) bytes of metadata and a "
                            + "\(message.bodyLength)-byte body but the footer declares \(metadataLength) and "
                            + "\(bodyLength); the file is corrupted",
                        position: .offset(Int(offset)))
                }
                batches.append(try batch(message, file: file, index: index, schema: schema))
                previousEnd = message.end
            }
        }
        return try assemble(.file, schema: schema, batches: batches)
    }

    private static func batch(_ message: ArrowMessage, file: MappedFile, index: Int, schema: ArrowSchema) throws
        -> (length: Int, columns: [ArrowArrayData])
    {
        switch ArrowMessage.HeaderType(rawValue: message.headerType) {
        case .recordBatch?:
            return try ArrowBatchLoader.load(file: file, message: message, batchIndex: index, schema: schema)
        case .schema?:
            throw DataCompError(
                .invalidFormat, "the stream has a second schema message; the file is corrupted",
                position: .offset(message.start))
        case .dictionaryBatch?:
            throw DataCompError(
                .invalidFormat,
                "the stream has a dictionary batch but no field is dictionary-encoded; the file is corrupted",
                position: .offset(message.start))
        default:
            throw DataCompError(
                .unsupportedFormat,
                "the stream has \(message.headerName) message, which is not supported in a table",
                position: .offset(message.start))
        }
    }

    private static func assemble(
        _ format: ArrowIPCFile.Format, schema: ArrowSchema, batches: [(length: Int, columns: [ArrowArrayData])]
    ) throws -> Parsed {
        var rowCount = 0
        for batch in batches {
            let (sum, overflow) = rowCount.addingReportingOverflow(batch.length)
            guard !overflow else {
                throw DataCompError(.corruptData, "the record batches' row counts overflow", position: .offset(0))
            }
            rowCount = sum
        }
        let columns = schema.fields.indices.map { column in
            ArrowArray(field: schema.fields[column], chunks: batches.map { $0.columns[column] })
        }
        return Parsed(
            format: format, schema: schema, batchRowCounts: batches.map(\.length), rowCount: rowCount,
            columns: columns)
    }
}
