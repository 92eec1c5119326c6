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
        let (schema, layouts) = try ArrowSchemaDecoding.schema(first.header)
        var state = State(layouts: layouts)
        var offset = first.end
        while let message = try ArrowMessage.read(bytes, at: offset) {
            switch ArrowMessage.HeaderType(rawValue: message.headerType) {
            case .dictionaryBatch?: try state.loadDictionary(message, file: file)
            default: try state.loadBatch(message, file: file)
            }
            offset = message.end
        }
        return try assemble(.stream, schema: schema, batches: state.batches)
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
        let (schema, layouts) = try ArrowSchemaDecoding.schema(schemaTable)
        var state = State(layouts: layouts)
        // Dictionaries first (field 2), then record batches (field 3).
        for (field, kind) in [(2, "dictionary batch"), (3, "record batch")] {
            guard let blocks = try footer.vector(field, stride: 24, "the \(kind) blocks") else { continue }
            var previousEnd = 8
            for index in 0..<blocks.count {
                let offset = try blocks.load(index, offset: 0, as: Int64.self)
                let metadataLength = try blocks.load(index, offset: 8, as: Int32.self)
                let bodyLength = try blocks.load(index, offset: 16, as: Int64.self)
                // Blocks follow each other, as writers lay batches out: a footer cannot make the
                // reader load one batch many times.
                guard offset >= Int64(previousEnd), offset < Int64(footerStart) else {
                    throw DataCompError(
                        .corruptData,
                        "the footer places \(kind) \(index) at byte \(offset), outside the data after the "
                            + "previous one (\(previousEnd)..<\(footerStart)); the file is corrupted",
                        position: .offset(footerStart))
                }
                let data = UnsafeRawBufferPointer(rebasing: bytes[0..<footerStart])
                guard let message = try ArrowMessage.read(data, at: Int(offset)) else {
                    throw DataCompError(
                        .corruptData,
                        "the footer places \(kind) \(index) at byte \(offset), where the stream ends",
                        position: .offset(Int(offset)))
                }
                guard message.metadataLength == Int(metadataLength), message.bodyLength == bodyLength else {
                    throw DataCompError(
                        .corruptData,
                        "\(kind) \(index) has \(message.metadataLength) bytes of metadata and a "
                            + "\(message.bodyLength)-byte body but the footer declares \(metadataLength) and "
                            + "\(bodyLength); the file is corrupted",
                        position: .offset(Int(offset)))
                }
                guard message.headerType == (field == 2 ? 2 : 3) else {
                    throw DataCompError(
                        .corruptData,
                        "the footer lists \(message.headerName) message among its \(kind)es; the file is corrupted",
                        position: .offset(Int(offset)))
                }
                if field == 2 {
                    try state.loadDictionary(message, file: file)
                } else {
                    try state.loadBatch(message, file: file)
                }
                previousEnd = message.end
            }
        }
        return try assemble(.file, schema: schema, batches: state.batches)
    }

    /// The dictionaries and record batches read so far.
    private struct State {
        /// The layout of each dictionary's values, by id.
        let dictionaryLayouts: [Int64: ArrowFieldLayout]
        let layouts: [ArrowFieldLayout]
        var dictionaries: [Int64: ArrowDictionary] = [:]
        var dictionaryCount = 0
        var batches: [(length: Int, columns: [ArrowArrayData])] = []

        init(layouts: [ArrowFieldLayout]) {
            self.layouts = layouts
            var byID: [Int64: ArrowFieldLayout] = [:]
            for layout in layouts.flatMap(\.dictionaryEncoded) {
                if let id = layout.dictionary?.id { byID[id] = layout.valueLayout }
            }
            dictionaryLayouts = byID
        }

        /// Loads a record batch with the dictionaries sent so far.
        mutating func loadBatch(_ message: ArrowMessage, file: MappedFile) throws {
            switch ArrowMessage.HeaderType(rawValue: message.headerType) {
            case .recordBatch?:
                batches.append(
                    try ArrowBatchLoader.load(
                        file: file, message: message, batch: message.header, name: "record batch \(batches.count)",
                        layouts: layouts, dictionaries: dictionaries))
            case .schema?:
                throw DataCompError(
                    .invalidFormat, "the stream has a second schema message; the file is corrupted",
                    position: .offset(message.start))
            default:
                throw DataCompError(
                    .unsupportedFormat,
                    "the stream has \(message.headerName) message, which is not supported in a table",
                    position: .offset(message.start))
            }
        }

        /// Loads a dictionary batch, which replaces an earlier dictionary of its id.
        mutating func loadDictionary(_ message: ArrowMessage, file: MappedFile) throws {
            let index = dictionaryCount
            dictionaryCount += 1
            let header = message.header
            let id = try header.scalar(0, Int64.self)
            guard let layout = dictionaryLayouts[id] else {
                throw DataCompError(
                    .corruptData,
                    "dictionary batch \(index) has the id \(id), which no field uses; the file is corrupted",
                    position: .offset(message.start))
            }
            guard try !header.bool(2) else {
                throw DataCompError(
                    .unsupportedFormat,
                    "dictionary batch \(index) is a delta (it extends dictionary \(id)), which is not supported; "
                        + "write the file again without dictionary deltas (pyarrow's default, "
                        + "`ipc.IpcWriteOptions(emit_dictionary_deltas=False)`)",
                    position: .offset(message.start))
            }
            guard let data = try header.table(1, "RecordBatch") else {
                throw DataCompError(
                    .corruptData, "dictionary batch \(index) has no data; the file is corrupted",
                    position: .offset(message.start))
            }
            let (_, columns) = try ArrowBatchLoader.load(
                file: file, message: message, batch: data, name: "dictionary batch \(index)", layouts: [layout],
                dictionaries: [:])
            dictionaries[id] = ArrowDictionary(columns[0])
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
