/// Writes Parquet files that pyarrow and pandas read back, row group by row group.
///
/// A writer is created with the file's schema (its leaf column descriptors), takes row groups
/// one at a time with ``write(_:)`` — so a large file never has to be in memory at once — and
/// writes the footer in ``finish()``. Pages hold PLAIN values and RLE levels (data page version
/// 1 by default, or 2); lists use the three-level LIST encoding. Output goes through an atomic
/// file: it appears complete under its name after ``finish()``, or not at all.
///
/// ```swift
/// let writer = try ParquetWriter(path: "scores.parquet", schema: [.init(name: "uid", physicalType: .byteArray, isString: true),
///                                                                .init(name: "score", physicalType: .float, isNullable: true)])
/// for batch in batches { try writer.write(batch) }       // each a ParquetTable with those columns
/// try writer.finish()
///
/// try ParquetWriter.write(table, to: "whole.parquet")    // a table in one call
/// ```
public final class ParquetWriter {
    /// How to write a file.
    public struct Options: Sendable {
        /// The codec for every page: `.uncompressed`, `.snappy` or `.zstd`.
        public var compression: ParquetCompression
        /// The most rows per row group, for ``ParquetWriter/write(_:to:options:)``.
        public var rowGroupSize: Int
        /// The approximate uncompressed size of one data page, in bytes.
        public var pageSize: Int
        /// The Zstandard level (when ``compression`` is `.zstd`).
        public var zstdLevel: Int32
        /// The data page format: 1 (the default, as pyarrow) or 2 (levels stored uncompressed
        /// before the compressed values).
        public var dataPageVersion: Int

        /// Creates options.
        ///
        /// - Parameters:
        ///   - compression: `.uncompressed`, `.snappy` (the default) or `.zstd`.
        ///   - rowGroupSize: The most rows per row group (default 1,048,576, as pyarrow).
        ///   - pageSize: The approximate uncompressed bytes per data page (default 1 MiB).
        ///   - zstdLevel: The Zstandard level (default 1, as pyarrow).
        ///   - dataPageVersion: 1 (default) or 2.
        public init(
            compression: ParquetCompression = .snappy, rowGroupSize: Int = 1 << 20, pageSize: Int = 1 << 20,
            zstdLevel: Int32 = 1, dataPageVersion: Int = 1
        ) {
            self.compression = compression
            self.rowGroupSize = rowGroupSize
            self.pageSize = pageSize
            self.zstdLevel = zstdLevel
            self.dataPageVersion = dataPageVersion
        }
    }

    /// The destination path.
    public let path: String
    /// The leaf columns of the file, in order.
    public let schema: [ParquetColumnDescriptor]
    /// How pages are written.
    public let options: Options
    private let session: AtomicFileSession
    private var metadata = ThriftFileMetaData()
    private var offset = 0
    private var isFinished = false

    /// Starts a file: checks the schema and opens a temporary file next to `path`.
    ///
    /// - Parameters:
    ///   - path: The destination; its folder must exist.
    ///   - schema: The leaf columns, with distinct top-level names.
    ///   - options: Codec and page sizes.
    /// - Throws: ``DataCompError`` with code `invalidArgument` for two columns of one name or an
    ///   INT96 column (not written), or `io`.
    /// - Precondition: `options.compression` is `.uncompressed`, `.snappy` or `.zstd`;
    ///   `options.dataPageVersion` is 1 or 2; `options.pageSize` and `options.rowGroupSize` are positive.
    public init(path: String, schema: [ParquetColumnDescriptor], options: Options = Options()) throws {
        precondition(
            options.dataPageVersion == 1 || options.dataPageVersion == 2,
            "dataPageVersion must be 1 or 2, not \(options.dataPageVersion)")
        precondition(
            [ParquetCompression.uncompressed, .snappy, .zstd].contains(options.compression),
            "the writer supports UNCOMPRESSED, SNAPPY and ZSTD, not \(options.compression)")
        precondition(options.pageSize > 0 && options.rowGroupSize > 0, "pageSize and rowGroupSize must be positive")
        try Self.validateSchema(schema, path: path)
        self.path = path
        self.schema = schema
        self.options = options
        session = try AtomicFileSession(path: path)
        metadata.version = 1
        metadata.schema = Self.schemaElements(schema)
        metadata.createdBy = "DataComp for Swift"
        try session.sink.write(Self.magic)
        offset = 4
    }

    private static let magic = Array("PAR1".utf8)

    /// Writes one row group.
    ///
    /// - Parameter rowGroup: Rows whose columns have exactly the writer's ``schema``.
    /// - Throws: ``DataCompError`` with code `invalidArgument` (nothing of the group is written)
    ///   when the columns differ from the schema or disagree with the row count, or `io`.
    /// - Precondition: ``finish()`` has not been called.
    public func write(_ rowGroup: ParquetTable) throws {
        precondition(!isFinished, "write(_:) after finish()")
        guard rowGroup.columns.map(\.descriptor) == schema else {
            throw DataCompError(.invalidArgument, "a row group's columns differ from the file's schema", path: path)
        }
        var encoded: [([UInt8], ThriftColumnMetaData)] = []
        var chunkOffset = offset
        for column in rowGroup.columns {
            try Self.validate(column, rowCount: rowGroup.rowCount, path: path)
            let chunk = try Self.encodeChunk(column, rowCount: rowGroup.rowCount, at: chunkOffset, options: options)
            encoded.append(chunk)
            chunkOffset += chunk.0.count
        }
        var group = ThriftRowGroup()
        group.numRows = Int64(rowGroup.rowCount)
        group.fileOffset = Int64(offset)
        group.ordinal = Int16(truncatingIfNeeded: metadata.rowGroups.count)
        var compressedTotal: Int64 = 0
        for (bytes, meta) in encoded {
            try session.sink.write(bytes)
            var chunk = ThriftColumnChunk()
            chunk.fileOffset = Int64(offset)
            chunk.metaData = meta
            group.columns.append(chunk)
            group.totalByteSize += meta.totalUncompressedSize
            compressedTotal += meta.totalCompressedSize
            offset += bytes.count
        }
        group.totalCompressedSize = compressedTotal
        metadata.rowGroups.append(group)
        metadata.numRows += Int64(rowGroup.rowCount)
    }

    /// Writes the footer and moves the file into place.
    ///
    /// - Throws: ``DataCompError`` with code `io`.
    public func finish() throws {
        guard !isFinished else { return }
        isFinished = true
        let footer = metadata.encode()
        try session.sink.write(footer)
        try session.sink.write(withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) })
        try session.sink.write(Self.magic)
        try session.commit()
    }

    /// Writes `table` to `path`, split into row groups of at most `options.rowGroupSize` rows.
    ///
    /// - Parameters:
    ///   - table: The columns to write.
    ///   - path: The destination; its folder must exist.
    ///   - options: Codec, row group and page sizes.
    /// - Throws: ``DataCompError`` with code `invalidArgument` for inconsistent columns (no file
    ///   is written), or `io`.
    /// - Precondition: See ``init(path:schema:options:)``.
    public static func write(_ table: ParquetTable, to path: String, options: Options = Options()) throws {
        precondition(options.rowGroupSize > 0, "rowGroupSize must be positive")
        let writer = try ParquetWriter(path: path, schema: table.columns.map(\.descriptor), options: options)
        var start = 0
        while start < table.rowCount {
            try writer.write(table.slicedForWriting(start..<min(table.rowCount, start + options.rowGroupSize)))
            start += options.rowGroupSize
        }
        try writer.finish()
    }

    private static func validateSchema(_ descriptors: [ParquetColumnDescriptor], path: String) throws {
        var names = Set<String>()
        for descriptor in descriptors {
            guard names.insert(descriptor.name).inserted else {
                throw DataCompError(.invalidArgument, "two columns are named '\(descriptor.name)'", path: path)
            }
            guard descriptor.physicalType != .int96 else {
                throw DataCompError(
                    .invalidArgument, "column '\(descriptor.name)': INT96 is not written; use INT64", path: path)
            }
        }
    }

    private static func validate(_ column: ParquetColumn, rowCount: Int, path: String) throws {
        func fail(_ message: String) -> DataCompError {
            DataCompError(.invalidArgument, "column '\(column.name)': \(message)", path: path)
        }
        guard column.lists.count == column.descriptor.maxRepetitionLevel else {
            throw fail(
                "has \(column.lists.count) list levels but its descriptor declares \(column.descriptor.maxRepetitionLevel)"
            )
        }
        var expected = rowCount
        let nullability = column.descriptor.listNullability
        for (level, list) in column.lists.enumerated() {
            guard list.count == expected, list.offsets.first == 0 else {
                throw fail("list level \(level) has \(list.count) lists, expected \(expected)")
            }
            for i in 0..<list.count where list.offsets[i] > list.offsets[i + 1] {
                throw fail("list level \(level) has decreasing offsets")
            }
            if let validity = list.validity {
                guard validity.count == list.count else {
                    throw fail("list level \(level) validity has \(validity.count) entries, expected \(list.count)")
                }
                guard validity.nullCount == 0 || nullability[level] else {
                    throw fail("list level \(level) has nulls but is not nullable")
                }
            }
            expected = list.offsets[list.count]
        }
        guard column.values.count == expected else {
            throw fail("has \(column.values.count) values, expected \(expected)")
        }
        if let validity = column.validity {
            guard validity.count == expected else {
                throw fail("validity has \(validity.count) entries, expected \(expected)")
            }
            guard validity.nullCount == 0 || column.descriptor.isNullable else {
                throw fail("has nulls but is not nullable")
            }
        }
        switch column.values {
        case .string(let v), .binary(let v), .fixedLengthBinary(let v):
            guard (v.offsets.first ?? 0) >= 0, v.offsets.last.map({ $0 <= v.bytes.count }) ?? false else {
                throw fail("byte array offsets are out of range")
            }
            for i in 0..<v.count where v.offsets[i] > v.offsets[i + 1] { throw fail("byte array offsets decrease") }
        default: break
        }
    }

    private static func schemaElements(_ descriptors: [ParquetColumnDescriptor]) -> [ThriftSchemaElement] {
        var root = ThriftSchemaElement()
        root.name = "schema"
        root.numChildren = Int32(descriptors.count)
        var elements = [root]
        for descriptor in descriptors {
            let nullability = descriptor.listNullability
            var name = descriptor.name
            for nullable in nullability {
                var group = ThriftSchemaElement()
                group.name = name
                group.repetitionType = nullable ? 1 : 0
                group.numChildren = 1
                group.convertedType = 3
                group.logicalType = 3
                var repeated = ThriftSchemaElement()
                repeated.name = "list"
                repeated.repetitionType = 2
                repeated.numChildren = 1
                elements += [group, repeated]
                name = "element"
            }
            var leaf = ThriftSchemaElement()
            leaf.name = name
            leaf.type = descriptor.physicalType.thriftValue
            leaf.repetitionType = descriptor.isNullable ? 1 : 0
            if descriptor.physicalType == .fixedLengthByteArray { leaf.typeLength = Int32(descriptor.typeLength ?? 0) }
            if descriptor.isString {
                leaf.convertedType = 0
                leaf.logicalType = 1
            }
            elements.append(leaf)
        }
        return elements
    }

    /// The leaf slots of rows `rows`.
    private static func slots(_ column: ParquetColumn, rows: Range<Int>) -> Range<Int> {
        var lower = rows.lowerBound
        var upper = rows.upperBound
        for list in column.lists {
            lower = list.offsets[lower]
            upper = list.offsets[upper]
        }
        return lower..<upper
    }

    private static func encodeChunk(_ column: ParquetColumn, rowCount: Int, at fileOffset: Int, options: Options) throws
        -> ([UInt8], ThriftColumnMetaData)
    {
        let descriptor = column.descriptor
        var out: [UInt8] = []
        var uncompressedTotal = 0
        var entriesTotal = 0
        // Split the rows into pages of about `pageSize` value bytes.
        var pages: [Range<Int>] = []
        var pageStart = 0
        var row = 0
        let width: Int? =
            switch column.values {
            case .int32, .float: 4
            case .int64, .double: 8
            case .boolean: 1
            default: nil
            }
        var bytes = 0
        while row < rowCount {
            let range = slots(column, rows: row..<(row + 1))
            if let width {
                bytes += range.count * width
            } else {
                switch column.values {
                case .string(let v), .binary(let v), .fixedLengthBinary(let v):
                    bytes += v.offsets[range.upperBound] - v.offsets[range.lowerBound] + 4 * range.count
                default: break
                }
            }
            bytes += 1
            row += 1
            if bytes >= options.pageSize {
                pages.append(pageStart..<row)
                pageStart = row
                bytes = 0
            }
        }
        if pageStart < rowCount || pages.isEmpty { pages.append(pageStart..<rowCount) }
        for page in pages {
            var generator = ParquetLevelGenerator(column: column)
            generator.generate(rows: page)
            let entries = descriptor.maxDefinitionLevel > 0 ? generator.definition.count : page.count
            let v2 = options.dataPageVersion == 2
            // Version 1: length-prefixed levels and values, compressed together. Version 2:
            // levels without prefixes, stored uncompressed in front of the compressed values.
            var levelBytes: [UInt8] = []
            var levelLengths: [Int] = []
            for (levels, maxLevel) in [
                (generator.repetition, descriptor.maxRepetitionLevel),
                (generator.definition, descriptor.maxDefinitionLevel),
            ] {
                guard maxLevel > 0 else { levelLengths.append(0); continue }
                var encoded: [UInt8] = []
                ParquetLevelEncoder.hybrid(levels, bitWidth: ParquetLevelEncoder.bitWidth(maxLevel), into: &encoded)
                if !v2 { withUnsafeBytes(of: UInt32(encoded.count).littleEndian) { levelBytes.append(contentsOf: $0) } }
                levelBytes.append(contentsOf: encoded)
                levelLengths.append(encoded.count)
            }
            var body: [UInt8] = v2 ? [] : levelBytes
            let pageSlots = slots(column, rows: page)
            ParquetPlainEncoder.encode(column.values, validity: column.validity, slots: pageSlots, into: &body)
            guard body.count + levelBytes.count <= Int(Int32.max) else {
                throw DataCompError(
                    .invalidArgument,
                    "column '\(column.name)': a data page would exceed 2 GiB; use smaller row groups or pages")
            }
            let compressed: [UInt8] = body.withUnsafeBytes { raw in
                switch options.compression {
                case .snappy: ParquetCodecs.snappy_compress(raw)
                case .zstd: ParquetCodecs.zstd_compress(raw, level: options.zstdLevel)
                default: body
                }
            }
            guard compressed.count > 0 || body.isEmpty || options.compression == .uncompressed else {
                throw DataCompError(
                    .io, "column '\(column.name)': compressing a page with \(options.compression) failed")
            }
            var header = ThriftPageHeader()
            if v2 {
                var nulls = 0
                if let validity = column.validity { for slot in pageSlots where !validity[slot] { nulls += 1 } }
                // Null or empty lists also count as nulls: entries that hold no value.
                nulls += entries - pageSlots.count
                var v2Header = ThriftDataPageHeaderV2()
                v2Header.numValues = Int32(entries)
                v2Header.numNulls = Int32(nulls)
                v2Header.numRows = Int32(page.count)
                v2Header.encoding = 0
                v2Header.repetitionLevelsByteLength = Int32(levelLengths[0])
                v2Header.definitionLevelsByteLength = Int32(levelLengths[1])
                v2Header.isCompressed = options.compression != .uncompressed
                header.type = 3
                header.uncompressedPageSize = Int32(levelBytes.count + body.count)
                header.compressedPageSize = Int32(levelBytes.count + compressed.count)
                header.dataPageHeaderV2 = v2Header
            } else {
                header.type = 0
                header.uncompressedPageSize = Int32(body.count)
                header.compressedPageSize = Int32(compressed.count)
                header.dataPageHeader = ThriftDataPageHeader(
                    numValues: Int32(entries), encoding: 0, definitionLevelEncoding: 3, repetitionLevelEncoding: 3)
            }
            let headerBytes = header.encode()
            out += headerBytes
            if v2 { out += levelBytes }
            out += compressed
            uncompressedTotal += headerBytes.count + Int(header.uncompressedPageSize)
            entriesTotal += entries
        }
        var meta = ThriftColumnMetaData()
        meta.type = descriptor.physicalType.thriftValue
        meta.encodings = [0, 3]
        meta.pathInSchema = descriptor.path
        meta.codec = options.compression.rawValue
        meta.numValues = Int64(entriesTotal)
        meta.totalUncompressedSize = Int64(uncompressedTotal)
        meta.totalCompressedSize = Int64(out.count)
        meta.dataPageOffset = Int64(fileOffset)
        return (out, meta)
    }
}
