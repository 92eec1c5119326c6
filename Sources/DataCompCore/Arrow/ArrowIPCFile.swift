/// An Arrow IPC file opened for reading: the streaming format (Hugging Face `datasets` cache
/// files, `pa.ipc.new_stream`) or the file format (`pa.ipc.new_file`, Feather v2).
///
/// Opening maps the file, reads the schema and every record batch, and checks them all: buffer
/// bounds, offsets, null counts, text encoding and row counts. Values are decoded only when
/// read, from the mapping; the record batches read as one table. Uncompressed and
/// ZSTD-compressed bodies are read, and dictionary-encoded fields read as their values (with
/// the dictionary in force for each batch). LZ4-compressed bodies, dictionary deltas, nested
/// dictionaries and the types outside ``ArrowDataType`` are refused with an `unsupportedFormat`
/// error that says how to re-save the file.
///
/// ```swift
/// let file = try ArrowIPCFile(path: "hf_cache/mscoco/test/data-00000-of-00001.arrow")
/// print(file.rowCount, file.columnNames)
/// let features = file.schema.metadata["huggingface"]   // datasets' {"info": {"features": …}}
/// let images = try file.column(named: "image")
/// if let png = images[0][field: "bytes"]?.bytesValue {
///     print("first image: \(png.count) bytes", features?.count ?? 0)
/// }
/// ```
public struct ArrowIPCFile: Sendable {
    /// The two framings of Arrow IPC data.
    public enum Format: Sendable, Hashable {
        /// The streaming format: a schema message, then batches, then an end-of-stream marker.
        case stream
        /// The file format (Feather v2): the stream between the `ARROW1` magic and a footer.
        case file
    }

    /// The path the file was opened from.
    public let path: String
    /// The file's framing.
    public let format: Format
    /// The schema: the top-level fields and the custom metadata.
    public let schema: ArrowSchema
    /// The number of rows of each record batch, in file order (empty batches included).
    public let batchRowCounts: [Int]
    /// The total number of rows: the sum of the record batches' rows.
    public let rowCount: Int
    /// The columns, one per top-level field.
    public let columns: [ArrowArray]

    /// The top-level field names, in schema order.
    public var columnNames: [String] { schema.fields.map(\.name) }

    /// Opens an Arrow IPC stream or file and checks every record batch.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``DataCompError`` naming the file and the byte offset when the file is missing,
    ///   truncated, not Arrow IPC, corrupted (`corruptData`, `invalidFormat`) or uses a feature
    ///   that is not supported (`unsupportedFormat`).
    public init(path: String) throws {
        try self.init(storage: try MappedFile(path: path))
    }

    /// Parses an Arrow IPC stream or file held in memory.
    ///
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - path: A name for error messages.
    /// - Throws: ``DataCompError`` as ``init(path:)``.
    public init(bytes: [UInt8], path: String) throws {
        try self.init(storage: MappedFile(contents: bytes, path: path))
    }

    private init(storage: MappedFile) throws {
        path = storage.path
        let parsed = try DataCompError.attributing(to: storage.path) {
            try withExtendedLifetime(storage) { try ArrowIPCParsing.parse(storage) }
        }
        format = parsed.format
        schema = parsed.schema
        batchRowCounts = parsed.batchRowCounts
        rowCount = parsed.rowCount
        columns = parsed.columns
    }

    /// The column of the first top-level field named `name`.
    ///
    /// - Parameter name: A top-level field name.
    /// - Returns: The column.
    /// - Throws: ``DataCompError`` `missingMember`, listing the column names, when no field has
    ///   the name.
    public func column(named name: String) throws -> ArrowArray {
        guard let index = schema.fields.firstIndex(where: { $0.name == name }) else {
            throw DataCompError(
                .missingMember,
                "the file has no column '\(name)'; its columns are: \(columnNames.joined(separator: ", "))",
                path: path)
        }
        return columns[index]
    }
}
