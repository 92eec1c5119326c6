// The Thrift structures of the Parquet format (parquet.thrift) that this package reads and
// writes. Field ids follow the Apache Parquet specification; unknown fields are skipped.

/// `SchemaElement`: one node of the flattened schema tree.
package struct ThriftSchemaElement: Sendable {
    package var type: Int32?
    package var typeLength: Int32?
    package var repetitionType: Int32?
    package var name: String = ""
    package var numChildren: Int32?
    package var convertedType: Int32?
    package var scale: Int32?
    package var precision: Int32?
    package var fieldID: Int32?
    /// The field id of the `LogicalType` union member that is set (1 = STRING, 3 = LIST, ...).
    package var logicalType: Int16?
    /// The parameters of the `LogicalType` member (DECIMAL, TIME, TIMESTAMP, INTEGER).
    package var logicalParameters = ThriftLogicalParameters()

    package init() {}
}

/// The fields of `DecimalType`, `TimeType`, `TimestampType` and `IntType` that a logical type
/// carries (only those of its own member are set).
package struct ThriftLogicalParameters: Sendable, Hashable {
    package var scale: Int32?
    package var precision: Int32?
    package var isAdjustedToUTC: Bool?
    /// The `TimeUnit` union member: 1 = MILLIS, 2 = MICROS, 3 = NANOS.
    package var unit: Int16?
    package var bitWidth: Int8?
    package var isSigned: Bool?

    package init() {}
}

/// `ColumnMetaData`: where a column chunk's pages are and how they are compressed.
package struct ThriftColumnMetaData: Sendable {
    package var type: Int32 = 0
    package var encodings: [Int32] = []
    package var pathInSchema: [String] = []
    package var codec: Int32 = 0
    package var numValues: Int64 = 0
    package var totalUncompressedSize: Int64 = 0
    package var totalCompressedSize: Int64 = 0
    package var dataPageOffset: Int64 = 0
    package var indexPageOffset: Int64?
    package var dictionaryPageOffset: Int64?

    package init() {}
}

/// `ColumnChunk`: one column of one row group.
package struct ThriftColumnChunk: Sendable {
    package var filePath: String?
    package var fileOffset: Int64 = 0
    package var metaData: ThriftColumnMetaData?

    package init() {}
}

/// `RowGroup`.
package struct ThriftRowGroup: Sendable {
    package var columns: [ThriftColumnChunk] = []
    package var totalByteSize: Int64 = 0
    package var numRows: Int64 = 0
    package var fileOffset: Int64?
    package var totalCompressedSize: Int64?
    package var ordinal: Int16?

    package init() {}
}

/// `FileMetaData`: the footer.
package struct ThriftFileMetaData: Sendable {
    package var version: Int32 = 0
    package var schema: [ThriftSchemaElement] = []
    package var numRows: Int64 = 0
    package var rowGroups: [ThriftRowGroup] = []
    package var keyValueMetadata: [(key: String, value: String?)] = []
    package var createdBy: String?

    package init() {}
}

/// `DataPageHeader` (data page version 1).
package struct ThriftDataPageHeader: Sendable {
    package var numValues: Int32 = 0
    package var encoding: Int32 = 0
    package var definitionLevelEncoding: Int32 = 3
    package var repetitionLevelEncoding: Int32 = 3

    package init(
        numValues: Int32 = 0, encoding: Int32 = 0, definitionLevelEncoding: Int32 = 3,
        repetitionLevelEncoding: Int32 = 3
    ) {
        self.numValues = numValues
        self.encoding = encoding
        self.definitionLevelEncoding = definitionLevelEncoding
        self.repetitionLevelEncoding = repetitionLevelEncoding
    }
}

/// `DataPageHeaderV2`.
package struct ThriftDataPageHeaderV2: Sendable {
    package var numValues: Int32 = 0
    package var numNulls: Int32 = 0
    package var numRows: Int32 = 0
    package var encoding: Int32 = 0
    package var definitionLevelsByteLength: Int32 = 0
    package var repetitionLevelsByteLength: Int32 = 0
    package var isCompressed: Bool = true

    package init() {}
}

/// `DictionaryPageHeader`.
package struct ThriftDictionaryPageHeader: Sendable {
    package var numValues: Int32 = 0
    package var encoding: Int32 = 0
    package var isSorted: Bool?

    package init() {}
}

/// `PageHeader`.
package struct ThriftPageHeader: Sendable {
    package var type: Int32 = 0
    package var uncompressedPageSize: Int32 = 0
    package var compressedPageSize: Int32 = 0
    package var crc: Int32?
    package var dataPageHeader: ThriftDataPageHeader?
    package var dictionaryPageHeader: ThriftDictionaryPageHeader?
    package var dataPageHeaderV2: ThriftDataPageHeaderV2?

    package init() {}
}

// MARK: - Decoding

extension ThriftFileMetaData {
    /// Decodes a `FileMetaData` structure.
    package static func decode(_ reader: inout ThriftCompactReader) throws -> ThriftFileMetaData {
        var result = ThriftFileMetaData()
        var seen = Set<Int16>()
        try reader.readStruct { r, id, type in
            seen.insert(id)
            switch id {
            case 1: result.version = try r.readI32(type, field: "FileMetaData.version")
            case 2:
                result.schema = try r.readStructList(type, field: "FileMetaData.schema") {
                    try ThriftSchemaElement.decode(&$0)
                }
            case 3: result.numRows = try r.readI64(type, field: "FileMetaData.num_rows")
            case 4:
                result.rowGroups = try r.readStructList(type, field: "FileMetaData.row_groups") {
                    try ThriftRowGroup.decode(&$0)
                }
            case 5:
                result.keyValueMetadata = try r.readStructList(type, field: "FileMetaData.key_value_metadata") { r in
                    var key = ""
                    var value: String?
                    try r.readStruct { r, id, type in
                        switch id {
                        case 1: key = try r.readString(type, field: "KeyValue.key")
                        case 2: value = try r.readString(type, field: "KeyValue.value")
                        default: try r.skip(type)
                        }
                    }
                    return (key, value)
                }
            case 6: result.createdBy = try r.readString(type, field: "FileMetaData.created_by")
            default: try r.skip(type)
            }
        }
        for (id, name) in [(Int16(2), "schema"), (3, "num_rows"), (4, "row_groups")] where !seen.contains(id) {
            throw reader.error("FileMetaData lacks the required field '\(name)'")
        }
        return result
    }
}

extension ThriftSchemaElement {
    static func decode(_ reader: inout ThriftCompactReader) throws -> ThriftSchemaElement {
        var e = ThriftSchemaElement()
        try reader.readStruct { r, id, type in
            switch id {
            case 1: e.type = try r.readI32(type, field: "SchemaElement.type")
            case 2: e.typeLength = try r.readI32(type, field: "SchemaElement.type_length")
            case 3: e.repetitionType = try r.readI32(type, field: "SchemaElement.repetition_type")
            case 4: e.name = try r.readString(type, field: "SchemaElement.name")
            case 5: e.numChildren = try r.readI32(type, field: "SchemaElement.num_children")
            case 6: e.convertedType = try r.readI32(type, field: "SchemaElement.converted_type")
            case 7: e.scale = try r.readI32(type, field: "SchemaElement.scale")
            case 8: e.precision = try r.readI32(type, field: "SchemaElement.precision")
            case 9: e.fieldID = try r.readI32(type, field: "SchemaElement.field_id")
            case 10:
                guard type == ThriftType.struct else { throw r.error("SchemaElement.logicalType is not a structure") }
                var member: Int16?
                var parameters = ThriftLogicalParameters()
                try r.readStruct { r, id, type in
                    guard member == nil, type == ThriftType.struct else { return try r.skip(type) }
                    member = id
                    try r.readStruct { r, field, type in
                        switch (id, field) {
                        case (5, 1): parameters.scale = try r.readI32(type, field: "DecimalType.scale")
                        case (5, 2): parameters.precision = try r.readI32(type, field: "DecimalType.precision")
                        case (7, 1), (8, 1): parameters.isAdjustedToUTC = try r.readBool(type, field: "isAdjustedToUTC")
                        case (7, 2), (8, 2):
                            guard type == ThriftType.struct else { return try r.skip(type) }
                            try r.readStruct { r, unit, type in
                                if parameters.unit == nil { parameters.unit = unit }
                                try r.skip(type)
                            }
                        case (10, 1):
                            guard type == ThriftType.byte else { return try r.skip(type) }
                            parameters.bitWidth = Int8(bitPattern: try r.readByte())
                        case (10, 2): parameters.isSigned = try r.readBool(type, field: "IntType.isSigned")
                        default: try r.skip(type)
                        }
                    }
                }
                e.logicalType = member
                e.logicalParameters = parameters
            default: try r.skip(type)
            }
        }
        return e
    }
}

extension ThriftRowGroup {
    static func decode(_ reader: inout ThriftCompactReader) throws -> ThriftRowGroup {
        var g = ThriftRowGroup()
        try reader.readStruct { r, id, type in
            switch id {
            case 1:
                g.columns = try r.readStructList(type, field: "RowGroup.columns") { try ThriftColumnChunk.decode(&$0) }
            case 2: g.totalByteSize = try r.readI64(type, field: "RowGroup.total_byte_size")
            case 3: g.numRows = try r.readI64(type, field: "RowGroup.num_rows")
            case 5: g.fileOffset = try r.readI64(type, field: "RowGroup.file_offset")
            case 6: g.totalCompressedSize = try r.readI64(type, field: "RowGroup.total_compressed_size")
            case 7: g.ordinal = Int16(truncatingIfNeeded: try r.readI32(type, field: "RowGroup.ordinal"))
            default: try r.skip(type)
            }
        }
        return g
    }
}

extension ThriftColumnChunk {
    static func decode(_ reader: inout ThriftCompactReader) throws -> ThriftColumnChunk {
        var c = ThriftColumnChunk()
        try reader.readStruct { r, id, type in
            switch id {
            case 1: c.filePath = try r.readString(type, field: "ColumnChunk.file_path")
            case 2: c.fileOffset = try r.readI64(type, field: "ColumnChunk.file_offset")
            case 3:
                guard type == ThriftType.struct else { throw r.error("ColumnChunk.meta_data is not a structure") }
                c.metaData = try ThriftColumnMetaData.decode(&r)
            default: try r.skip(type)
            }
        }
        return c
    }
}

extension ThriftColumnMetaData {
    static func decode(_ reader: inout ThriftCompactReader) throws -> ThriftColumnMetaData {
        var m = ThriftColumnMetaData()
        try reader.readStruct { r, id, type in
            switch id {
            case 1: m.type = try r.readI32(type, field: "ColumnMetaData.type")
            case 2: m.encodings = try r.readI32List(type, field: "ColumnMetaData.encodings")
            case 3: m.pathInSchema = try r.readStringList(type, field: "ColumnMetaData.path_in_schema")
            case 4: m.codec = try r.readI32(type, field: "ColumnMetaData.codec")
            case 5: m.numValues = try r.readI64(type, field: "ColumnMetaData.num_values")
            case 6: m.totalUncompressedSize = try r.readI64(type, field: "ColumnMetaData.total_uncompressed_size")
            case 7: m.totalCompressedSize = try r.readI64(type, field: "ColumnMetaData.total_compressed_size")
            case 9: m.dataPageOffset = try r.readI64(type, field: "ColumnMetaData.data_page_offset")
            case 10: m.indexPageOffset = try r.readI64(type, field: "ColumnMetaData.index_page_offset")
            case 11: m.dictionaryPageOffset = try r.readI64(type, field: "ColumnMetaData.dictionary_page_offset")
            default: try r.skip(type)
            }
        }
        return m
    }
}

extension ThriftPageHeader {
    /// Decodes a `PageHeader` structure.
    package static func decode(_ reader: inout ThriftCompactReader) throws -> ThriftPageHeader {
        var h = ThriftPageHeader()
        try reader.readStruct { r, id, type in
            switch id {
            case 1: h.type = try r.readI32(type, field: "PageHeader.type")
            case 2: h.uncompressedPageSize = try r.readI32(type, field: "PageHeader.uncompressed_page_size")
            case 3: h.compressedPageSize = try r.readI32(type, field: "PageHeader.compressed_page_size")
            case 4: h.crc = try r.readI32(type, field: "PageHeader.crc")
            case 5:
                guard type == ThriftType.struct else { throw r.error("PageHeader.data_page_header is not a structure") }
                var d = ThriftDataPageHeader()
                try r.readStruct { r, id, type in
                    switch id {
                    case 1: d.numValues = try r.readI32(type, field: "DataPageHeader.num_values")
                    case 2: d.encoding = try r.readI32(type, field: "DataPageHeader.encoding")
                    case 3:
                        d.definitionLevelEncoding = try r.readI32(
                            type, field: "DataPageHeader.definition_level_encoding")
                    case 4:
                        d.repetitionLevelEncoding = try r.readI32(
                            type, field: "DataPageHeader.repetition_level_encoding")
                    default: try r.skip(type)
                    }
                }
                h.dataPageHeader = d
            case 7:
                guard type == ThriftType.struct else {
                    throw r.error("PageHeader.dictionary_page_header is not a structure")
                }
                var d = ThriftDictionaryPageHeader()
                try r.readStruct { r, id, type in
                    switch id {
                    case 1: d.numValues = try r.readI32(type, field: "DictionaryPageHeader.num_values")
                    case 2: d.encoding = try r.readI32(type, field: "DictionaryPageHeader.encoding")
                    case 3: d.isSorted = try r.readBool(type, field: "DictionaryPageHeader.is_sorted")
                    default: try r.skip(type)
                    }
                }
                h.dictionaryPageHeader = d
            case 8:
                guard type == ThriftType.struct else {
                    throw r.error("PageHeader.data_page_header_v2 is not a structure")
                }
                var d = ThriftDataPageHeaderV2()
                try r.readStruct { r, id, type in
                    switch id {
                    case 1: d.numValues = try r.readI32(type, field: "DataPageHeaderV2.num_values")
                    case 2: d.numNulls = try r.readI32(type, field: "DataPageHeaderV2.num_nulls")
                    case 3: d.numRows = try r.readI32(type, field: "DataPageHeaderV2.num_rows")
                    case 4: d.encoding = try r.readI32(type, field: "DataPageHeaderV2.encoding")
                    case 5:
                        d.definitionLevelsByteLength = try r.readI32(
                            type, field: "DataPageHeaderV2.definition_levels_byte_length")
                    case 6:
                        d.repetitionLevelsByteLength = try r.readI32(
                            type, field: "DataPageHeaderV2.repetition_levels_byte_length")
                    case 7: d.isCompressed = try r.readBool(type, field: "DataPageHeaderV2.is_compressed")
                    default: try r.skip(type)
                    }
                }
                h.dataPageHeaderV2 = d
            default: try r.skip(type)
            }
        }
        return h
    }
}

// MARK: - Encoding

extension ThriftFileMetaData {
    /// Encodes the structure with the compact protocol.
    package func encode() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeI32(1, version)
        w.writeStructList(2, schema) { w, e in e.encode(&w) }
        w.writeI64(3, numRows)
        w.writeStructList(4, rowGroups) { w, g in g.encode(&w) }
        if !keyValueMetadata.isEmpty {
            w.writeStructList(5, keyValueMetadata) { w, kv in
                w.writeString(1, kv.key)
                if let value = kv.value { w.writeString(2, value) }
            }
        }
        if let createdBy { w.writeString(6, createdBy) }
        w.endStruct()
        return w.bytes
    }
}

extension ThriftSchemaElement {
    func encode(_ w: inout ThriftCompactWriter) {
        if let type { w.writeI32(1, type) }
        if let typeLength { w.writeI32(2, typeLength) }
        if let repetitionType { w.writeI32(3, repetitionType) }
        w.writeString(4, name)
        if let numChildren { w.writeI32(5, numChildren) }
        if let convertedType { w.writeI32(6, convertedType) }
        if let logicalType {
            w.writeStructField(10) { w in w.writeStructField(logicalType) { _ in } }
        }
    }
}

extension ThriftRowGroup {
    func encode(_ w: inout ThriftCompactWriter) {
        w.writeStructList(1, columns) { w, c in
            w.writeI64(2, c.fileOffset)
            if let m = c.metaData {
                w.writeStructField(3) { w in m.encode(&w) }
            }
        }
        w.writeI64(2, totalByteSize)
        w.writeI64(3, numRows)
        if let fileOffset { w.writeI64(5, fileOffset) }
        if let totalCompressedSize { w.writeI64(6, totalCompressedSize) }
        if let ordinal { w.writeI32(7, Int32(ordinal)) }
    }
}

extension ThriftColumnMetaData {
    func encode(_ w: inout ThriftCompactWriter) {
        w.writeI32(1, type)
        w.writeI32List(2, encodings)
        w.writeStringList(3, pathInSchema)
        w.writeI32(4, codec)
        w.writeI64(5, numValues)
        w.writeI64(6, totalUncompressedSize)
        w.writeI64(7, totalCompressedSize)
        w.writeI64(9, dataPageOffset)
        if let dictionaryPageOffset { w.writeI64(11, dictionaryPageOffset) }
    }
}

extension ThriftPageHeader {
    /// Encodes the structure with the compact protocol.
    package func encode() -> [UInt8] {
        var w = ThriftCompactWriter()
        w.beginStruct()
        w.writeI32(1, type)
        w.writeI32(2, uncompressedPageSize)
        w.writeI32(3, compressedPageSize)
        if let d = dataPageHeader {
            w.writeStructField(5) { w in
                w.writeI32(1, d.numValues)
                w.writeI32(2, d.encoding)
                w.writeI32(3, d.definitionLevelEncoding)
                w.writeI32(4, d.repetitionLevelEncoding)
            }
        }
        if let d = dictionaryPageHeader {
            w.writeStructField(7) { w in
                w.writeI32(1, d.numValues)
                w.writeI32(2, d.encoding)
            }
        }
        if let d = dataPageHeaderV2 {
            w.writeStructField(8) { w in
                w.writeI32(1, d.numValues)
                w.writeI32(2, d.numNulls)
                w.writeI32(3, d.numRows)
                w.writeI32(4, d.encoding)
                w.writeI32(5, d.definitionLevelsByteLength)
                w.writeI32(6, d.repetitionLevelsByteLength)
                w.writeBool(7, d.isCompressed)
            }
        }
        w.endStruct()
        return w.bytes
    }
}
