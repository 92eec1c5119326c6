import Foundation

/// The bytes of a Parquet file: a memory map, or an owned copy for in-memory parsing.
private final class ParquetStorage: @unchecked Sendable {
    // Immutable after creation; the bytes are never written, so sharing across threads is safe.
    let mapped: MappedFile?
    let owned: UnsafeMutableRawBufferPointer?

    init(mapped: MappedFile) {
        self.mapped = mapped
        self.owned = nil
    }

    init(copying bytes: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        mapped = nil
        owned = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<bytes.count])
    }

    deinit { owned?.deallocate() }

    var bytes: UnsafeRawBufferPointer {
        if let mapped { return mapped.bytes }
        return UnsafeRawBufferPointer(owned ?? UnsafeMutableRawBufferPointer(start: nil, count: 0))
    }
}

/// A Parquet file opened for reading.
///
/// Opening reads and checks the footer (schema, row groups); column data is decoded only when
/// asked for, and only for the requested columns.
///
/// ```swift
/// let file = try ParquetFile(path: "00000000.parquet")
/// var high = 0
/// try file.forEachRowGroup(columns: ["uid", "clip_b32_similarity_score"]) { group in
///     if case .float(let scores)? = group["clip_b32_similarity_score"]?.values {
///         high += scores.filter { $0 >= 0.3 }.count
///     }
/// }
/// ```
public struct ParquetFile: Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The schema.
    public let schema: ParquetSchema
    /// The total number of rows: the sum of the row groups' counts (which is what a reader
    /// gets; pyarrow reads files whose footer declares another total the same way).
    public let rowCount: Int
    /// The row groups, in file order.
    public let rowGroups: [ParquetRowGroupMetadata]
    /// The writer that produced the file, for example `parquet-cpp-arrow version 26.0.1`.
    public let createdBy: String?
    private let storage: ParquetStorage
    /// Whether the writer is parquet-mr 1.2.8 or older (PARQUET-816).
    private let writerOmitsDictionaryHeader: Bool
    private let metadata: ThriftFileMetaData

    /// Opens a Parquet file and reads its footer.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``DataCompError`` naming the file and byte offset when the file is missing,
    ///   truncated, not Parquet, or has corrupted metadata.
    public init(path: String) throws {
        let mapped = try MappedFile(path: path)
        try self.init(storage: ParquetStorage(mapped: mapped), path: path)
    }

    /// Parses a Parquet file held in memory.
    ///
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - path: A name for error messages.
    /// - Throws: ``DataCompError`` as ``init(path:)``.
    public init(bytes: [UInt8], path: String) throws {
        try self.init(storage: ParquetStorage(copying: bytes), path: path)
    }

    private init(storage: ParquetStorage, path: String) throws {
        self.path = path
        self.storage = storage
        let bytes = storage.bytes
        let parsed: (ThriftFileMetaData, ParquetSchema) = try DataCompError.attributing(to: path) {
            try Self.parseFooter(bytes)
        }
        metadata = parsed.0
        schema = parsed.1
        rowCount = metadata.rowGroups.reduce(0) { $0 + Int($1.numRows) }
        writerOmitsDictionaryHeader = Self.omitsDictionaryHeader(createdBy: metadata.createdBy)
        createdBy = metadata.createdBy
        rowGroups = metadata.rowGroups.map { group in
            ParquetRowGroupMetadata(
                rowCount: Int(group.numRows),
                columns: group.columns.map { chunk in
                    let meta = chunk.metaData ?? ThriftColumnMetaData()
                    return ParquetColumnChunkMetadata(
                        path: meta.pathInSchema, compression: ParquetCompression(rawValue: meta.codec),
                        encodings: meta.encodings.map { ParquetEncoding(rawValue: $0) },
                        valueCount: Int(meta.numValues), compressedSize: Int(meta.totalCompressedSize),
                        uncompressedSize: Int(meta.totalUncompressedSize))
                })
        }
    }

    private static func parseFooter(_ bytes: UnsafeRawBufferPointer) throws -> (ThriftFileMetaData, ParquetSchema) {
        let size = bytes.count
        guard size >= 12 else {
            throw DataCompError(
                .truncatedFile,
                "the file has \(size) bytes, fewer than the 12 of the smallest Parquet file (magic, footer length, magic)",
                position: .offset(0))
        }
        let magic: [UInt8] = Array("PAR1".utf8)
        let head = Array(bytes[0..<4])
        let tail = Array(bytes[(size - 4)..<size])
        if tail == Array("PARE".utf8) {
            throw DataCompError(
                .unsupportedFormat,
                "the file uses Parquet modular encryption (footer magic PARE), which is not supported",
                position: .offset(size - 4))
        }
        guard head == magic else {
            throw DataCompError(
                .invalidFormat, "the file does not start with the Parquet magic 'PAR1'; it is not a Parquet file",
                position: .offset(0))
        }
        guard tail == magic else {
            throw DataCompError(
                .truncatedFile,
                "the file does not end with the Parquet magic 'PAR1'; it is truncated or not a Parquet file",
                position: .offset(size - 4))
        }
        let footerLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: size - 8, as: UInt32.self)))
        guard footerLength <= size - 12 else {
            throw DataCompError(
                .truncatedFile,
                "the footer length \(footerLength) is larger than the file allows (\(size - 12) bytes); the file is truncated or corrupted",
                position: .offset(size - 8))
        }
        let footerStart = size - 8 - footerLength
        var reader = ThriftCompactReader(
            UnsafeRawBufferPointer(rebasing: bytes[footerStart..<(size - 8)]), baseOffset: footerStart,
            context: "Parquet footer")
        let metadata = try ThriftFileMetaData.decode(&reader)
        let schema: ParquetSchema
        do {
            schema = try ParquetSchema(elements: metadata.schema)
        } catch var error as DataCompError {
            error.position = .offset(footerStart)
            throw error
        }
        guard metadata.numRows >= 0 else {
            throw DataCompError(
                .corruptData, "the footer declares \(metadata.numRows) rows", position: .offset(footerStart))
        }
        var total: Int64 = 0
        for (index, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == schema.columns.count else {
                throw DataCompError(
                    .corruptData,
                    "row group \(index) has \(group.columns.count) column chunks but the schema has \(schema.columns.count) columns",
                    position: .offset(footerStart))
            }
            guard group.numRows >= 0 else {
                throw DataCompError(
                    .corruptData, "row group \(index) declares \(group.numRows) rows", position: .offset(footerStart))
            }
            let (sum, overflow) = total.addingReportingOverflow(group.numRows)
            guard !overflow else {
                throw DataCompError(.corruptData, "the row groups' row counts overflow", position: .offset(footerStart))
            }
            total = sum
        }
        // A footer whose row count disagrees with its row groups is read by its row groups, as
        // pyarrow reads it (``ParquetFile/rowCount`` is their sum).
        return (metadata, schema)
    }

    /// Whether `createdBy` names parquet-mr 1.2.8 or older, whose column chunk sizes leave out
    /// the dictionary page header (Arrow's `PARQUET_816_FIXED_VERSION` check).
    static func omitsDictionaryHeader(createdBy: String?) -> Bool {
        guard let createdBy, createdBy.hasPrefix("parquet-mr version ") else { return false }
        let version = createdBy.dropFirst("parquet-mr version ".count).prefix { $0 != " " }
        let parts = version.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        let padded = parts + Array(repeating: 0, count: max(0, 3 - parts.count))
        return padded.lexicographicallyPrecedes([1, 2, 9])
    }

    /// The indices (into ``ParquetSchema/columns``) of the leaf columns selected by `names`.
    ///
    /// - Parameter names: Top-level field names (all their leaves) or dotted leaf paths; `nil`
    ///   selects every column.
    /// - Returns: Leaf column indices, in the order of `names`.
    /// - Throws: ``DataCompError`` with code `missingMember` for an unknown name.
    public func columnIndices(for names: [String]?) throws -> [Int] {
        guard let names else { return Array(schema.columns.indices) }
        var result: [Int] = []
        for name in names {
            let matches = schema.columns.indices.filter {
                schema.columns[$0].name == name || schema.columns[$0].dottedPath == name
            }
            guard !matches.isEmpty else {
                let available = schema.fields.map(\.name).joined(separator: ", ")
                throw DataCompError(
                    .missingMember, "the file has no column '\(name)'; its columns are: \(available)", path: path)
            }
            for match in matches where !result.contains(match) { result.append(match) }
        }
        return result
    }

    /// Decodes the selected columns of one row group.
    ///
    /// - Parameters:
    ///   - index: The row group, in `0..<rowGroups.count`.
    ///   - columns: Top-level names or dotted paths to read; `nil` reads every column.
    ///   - concurrency: How many columns are decoded at once (one column per thread).
    /// - Returns: The row group's rows of the selected columns.
    /// - Throws: ``DataCompError`` naming the file and byte offset for corrupted or unsupported
    ///   data, `missingMember` for an unknown column name.
    /// - Precondition: `index` is in `0..<rowGroups.count`.
    public func readRowGroup(_ index: Int, columns: [String]? = nil, concurrency: ConcurrencyBudget = .machine) throws
        -> ParquetTable
    {
        precondition(
            rowGroups.indices.contains(index), "row group \(index) does not exist; the file has \(rowGroups.count)")
        return try decode(rowGroups: [index], columns: try columnIndices(for: columns), concurrency: concurrency)
    }

    /// Decodes the selected columns of the whole file into one table.
    ///
    /// Columns are decoded in parallel, one column per thread of `concurrency`.
    ///
    /// - Parameters:
    ///   - columns: Top-level names or dotted paths to read; `nil` reads every column.
    ///   - concurrency: How many columns are decoded at once (one column per thread).
    /// - Returns: All rows of the selected columns.
    /// - Throws: ``DataCompError`` naming the file and byte offset for corrupted or unsupported data.
    public func read(columns: [String]? = nil, concurrency: ConcurrencyBudget = .machine) throws -> ParquetTable {
        try decode(
            rowGroups: Array(rowGroups.indices), columns: try columnIndices(for: columns), concurrency: concurrency)
    }

    /// Decodes the selected columns row group by row group, so that only one row group is in
    /// memory at a time.
    ///
    /// - Parameters:
    ///   - columns: Top-level names or dotted paths to read; `nil` reads every column.
    ///   - concurrency: How many columns are decoded at once (one column per thread).
    ///   - body: Called with each row group's table, in file order.
    /// - Throws: ``DataCompError`` for corrupted data, or whatever `body` throws.
    public func forEachRowGroup(
        columns: [String]? = nil, concurrency: ConcurrencyBudget = .machine, _ body: (ParquetTable) throws -> Void
    ) throws {
        let selected = try columnIndices(for: columns)
        for index in rowGroups.indices {
            try body(try decode(rowGroups: [index], columns: selected, concurrency: concurrency))
        }
    }

    private func decode(rowGroups groups: [Int], columns selected: [Int], concurrency: ConcurrencyBudget) throws
        -> ParquetTable
    {
        var rows = 0
        for group in groups { rows += Int(metadata.rowGroups[group].numRows) }
        // Small reads stay on the calling thread: starting workers costs more than it saves.
        let width = rows < 4096 ? 1 : concurrency.width
        let columns = try BoundedFanOut.mapBlocking(selected.count, width: width, makeState: { ParquetPageScratch() }) {
            slot, scratch in
            try self.decodeColumn(selected[slot], rowGroups: groups, scratch: scratch)
        }
        return ParquetTable(rowCount: rows, columns: columns)
    }

    private func decodeColumn(_ index: Int, rowGroups groups: [Int], scratch: ParquetPageScratch) throws
        -> ParquetColumn
    {
        let bytes = storage.bytes
        return try DataCompError.attributing(to: path) {
            let accumulator = ParquetColumnAccumulator(descriptor: schema.columns[index])
            for group in groups {
                let rowGroup = metadata.rowGroups[group]
                try ParquetChunkDecoder.decode(
                    file: bytes, chunk: rowGroup.columns[index], rowGroupRows: Int(rowGroup.numRows),
                    into: accumulator, scratch: scratch, writerOmitsDictionaryHeader: writerOmitsDictionaryHeader)
            }
            return accumulator.finish()
        }
    }
}
