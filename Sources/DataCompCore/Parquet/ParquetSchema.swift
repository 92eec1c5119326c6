/// The physical (storage) type of a Parquet leaf column.
public enum ParquetPhysicalType: String, Sendable, Hashable, CustomStringConvertible {
    /// One bit per value.
    case boolean = "BOOLEAN"
    /// 32-bit signed integers.
    case int32 = "INT32"
    /// 64-bit signed integers.
    case int64 = "INT64"
    /// 96-bit values (legacy timestamps), read as 12-byte fixed-length byte arrays.
    case int96 = "INT96"
    /// IEEE 754 single precision.
    case float = "FLOAT"
    /// IEEE 754 double precision.
    case double = "DOUBLE"
    /// Variable-length byte strings (UTF-8 text when the logical type is STRING).
    case byteArray = "BYTE_ARRAY"
    /// Byte strings of one fixed length.
    case fixedLengthByteArray = "FIXED_LEN_BYTE_ARRAY"

    init?(thrift value: Int32) {
        switch value {
        case 0: self = .boolean
        case 1: self = .int32
        case 2: self = .int64
        case 3: self = .int96
        case 4: self = .float
        case 5: self = .double
        case 6: self = .byteArray
        case 7: self = .fixedLengthByteArray
        default: return nil
        }
    }

    var thriftValue: Int32 {
        switch self {
        case .boolean: 0
        case .int32: 1
        case .int64: 2
        case .int96: 3
        case .float: 4
        case .double: 5
        case .byteArray: 6
        case .fixedLengthByteArray: 7
        }
    }

    /// The specification's name, for example `BYTE_ARRAY`.
    public var description: String { rawValue }
}

/// Whether a schema node is required, optional (nullable) or repeated.
public enum ParquetRepetition: String, Sendable, Hashable {
    /// Exactly one value.
    case required = "REQUIRED"
    /// Zero or one value (nullable).
    case optional = "OPTIONAL"
    /// Zero or more values (a list).
    case repeated = "REPEATED"
}

/// A Parquet compression codec, identified by its number in the specification.
public struct ParquetCompression: Hashable, Sendable, CustomStringConvertible {
    /// The codec's number in `parquet.thrift`.
    public let rawValue: Int32

    /// Creates a codec from its number in `parquet.thrift`.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// No compression.
    public static let uncompressed = ParquetCompression(rawValue: 0)
    /// Raw Snappy blocks.
    public static let snappy = ParquetCompression(rawValue: 1)
    /// GZIP streams.
    public static let gzip = ParquetCompression(rawValue: 2)
    /// Zstandard frames.
    public static let zstd = ParquetCompression(rawValue: 6)
    /// Raw LZ4 blocks.
    public static let lz4Raw = ParquetCompression(rawValue: 7)

    /// The specification's name, for example `SNAPPY`.
    public var description: String {
        switch rawValue {
        case 0: "UNCOMPRESSED"
        case 1: "SNAPPY"
        case 2: "GZIP"
        case 3: "LZO"
        case 4: "BROTLI"
        case 5: "LZ4"
        case 6: "ZSTD"
        case 7: "LZ4_RAW"
        default: "codec \(rawValue)"
        }
    }
}

/// A Parquet value or level encoding, identified by its number in the specification.
public struct ParquetEncoding: Hashable, Sendable, CustomStringConvertible {
    /// The encoding's number in `parquet.thrift`.
    public let rawValue: Int32

    /// Creates an encoding from its number in `parquet.thrift`.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Values stored back to back.
    public static let plain = ParquetEncoding(rawValue: 0)
    /// Dictionary indices (the legacy name of ``rleDictionary``).
    public static let plainDictionary = ParquetEncoding(rawValue: 2)
    /// The RLE/bit-packed hybrid.
    public static let rle = ParquetEncoding(rawValue: 3)
    /// Delta-encoded integers.
    public static let deltaBinaryPacked = ParquetEncoding(rawValue: 5)
    /// Delta-encoded lengths followed by the bytes.
    public static let deltaLengthByteArray = ParquetEncoding(rawValue: 6)
    /// Incremental (prefix/suffix) byte arrays.
    public static let deltaByteArray = ParquetEncoding(rawValue: 7)
    /// Dictionary indices in the RLE/bit-packed hybrid.
    public static let rleDictionary = ParquetEncoding(rawValue: 8)
    /// The bytes of each value split into streams.
    public static let byteStreamSplit = ParquetEncoding(rawValue: 9)

    /// The specification's name, for example `RLE_DICTIONARY`.
    public var description: String {
        switch rawValue {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "encoding \(rawValue)"
        }
    }
}

/// One node of a Parquet schema tree: a group (with children) or a leaf column.
public struct ParquetSchemaNode: Sendable {
    /// The field name.
    public var name: String
    /// Whether the node is required, optional or repeated.
    public var repetition: ParquetRepetition
    /// The physical type of a leaf, or `nil` for a group.
    public var physicalType: ParquetPhysicalType?
    /// The byte length of FIXED_LEN_BYTE_ARRAY values.
    public var typeLength: Int?
    /// The logical or converted type annotation, for example `STRING` or `LIST`, if any.
    public var annotation: String?
    /// The children of a group (empty for a leaf).
    public var children: [ParquetSchemaNode]
}

/// A leaf column of a Parquet file with the levels needed to reassemble it.
public struct ParquetColumnDescriptor: Sendable, Hashable {
    /// The names from the top-level field down to the leaf, for example
    /// `["face_bboxes", "list", "element", "list", "element"]`.
    public var path: [String]
    /// The physical type of the values.
    public var physicalType: ParquetPhysicalType
    /// The byte length of FIXED_LEN_BYTE_ARRAY values (12 for INT96).
    public var typeLength: Int?
    /// Whether the values are UTF-8 text (logical type STRING, converted type UTF8, or ENUM/JSON).
    public var isString: Bool
    /// The largest definition level (0 for a required top-level column).
    public var maxDefinitionLevel: Int
    /// The largest repetition level (the list nesting depth).
    public var maxRepetitionLevel: Int
    /// The definition level at which each list level has an element, outermost first.
    package var elementDefinitionLevels: [Int]

    /// The top-level field this column belongs to.
    public var name: String { path.first ?? "" }
    /// The dotted path, for example `face_bboxes.list.element.list.element`.
    public var dottedPath: String { path.joined(separator: ".") }
    /// Whether the leaf values can be null.
    public var isNullable: Bool {
        maxDefinitionLevel > (elementDefinitionLevels.last ?? 0)
    }
}

/// The schema of a Parquet file: the field tree and its leaf columns in file order.
public struct ParquetSchema: Sendable {
    /// The top-level fields.
    public var fields: [ParquetSchemaNode]
    /// The leaf columns, in the order their chunks appear in each row group.
    public var columns: [ParquetColumnDescriptor]
}

extension ParquetSchema {
    /// Builds the tree and the leaf descriptors from the flattened Thrift schema.
    init(elements: [ThriftSchemaElement]) throws {
        guard let root = elements.first else {
            throw DataCompError(.invalidFormat, "the Parquet schema is empty; expected a root element")
        }
        var index = 1
        var columns: [ParquetColumnDescriptor] = []
        func node(depth: Int, path: [String], definition: Int, repetition: Int, elementLevels: [Int]) throws -> ParquetSchemaNode {
            guard index < elements.count else {
                throw DataCompError(.invalidFormat, "the Parquet schema declares more children than it has elements")
            }
            guard depth < 64 else { throw DataCompError(.invalidFormat, "the Parquet schema is nested more than 64 levels deep") }
            let element = elements[index]
            index += 1
            let rep: ParquetRepetition
            switch element.repetitionType ?? 0 {
            case 0: rep = .required
            case 1: rep = .optional
            case 2: rep = .repeated
            default:
                throw DataCompError(.invalidFormat, "schema element '\(element.name)' has an unknown repetition type \(element.repetitionType ?? 0)")
            }
            var def = definition
            var repLevel = repetition
            var levels = elementLevels
            if rep != .required { def += 1 }
            if rep == .repeated {
                repLevel += 1
                levels.append(def)
            }
            let childPath = path + [element.name]
            let annotation = Self.annotation(element)
            let childCount = Int(element.numChildren ?? 0)
            if childCount > 0 || element.type == nil {
                guard childCount >= 0, childCount <= elements.count - index else {
                    throw DataCompError(.invalidFormat, "schema element '\(element.name)' declares \(childCount) children, more than the schema holds")
                }
                var children: [ParquetSchemaNode] = []
                for _ in 0..<childCount {
                    children.append(try node(depth: depth + 1, path: childPath, definition: def, repetition: repLevel, elementLevels: levels))
                }
                return ParquetSchemaNode(name: element.name, repetition: rep, physicalType: nil, typeLength: nil, annotation: annotation, children: children)
            }
            guard let type = element.type, let physical = ParquetPhysicalType(thrift: type) else {
                throw DataCompError(.invalidFormat, "schema element '\(element.name)' has an unknown physical type \(element.type ?? -1)")
            }
            var length: Int?
            if physical == .fixedLengthByteArray {
                guard let declared = element.typeLength, declared >= 0 else {
                    throw DataCompError(.invalidFormat, "FIXED_LEN_BYTE_ARRAY column '\(element.name)' has no valid type_length")
                }
                length = Int(declared)
            } else if physical == .int96 {
                length = 12
            }
            let isString = physical == .byteArray && ["STRING", "UTF8", "ENUM", "JSON"].contains(annotation ?? "")
            columns.append(ParquetColumnDescriptor(
                path: childPath, physicalType: physical, typeLength: length, isString: isString,
                maxDefinitionLevel: def, maxRepetitionLevel: repLevel, elementDefinitionLevels: levels))
            return ParquetSchemaNode(name: element.name, repetition: rep, physicalType: physical, typeLength: length, annotation: annotation, children: [])
        }
        var fields: [ParquetSchemaNode] = []
        let rootChildren = Int(root.numChildren ?? 0)
        guard rootChildren >= 0 else { throw DataCompError(.invalidFormat, "the schema root declares a negative number of children") }
        for _ in 0..<rootChildren {
            fields.append(try node(depth: 0, path: [], definition: 0, repetition: 0, elementLevels: []))
        }
        guard index == elements.count else {
            throw DataCompError(.invalidFormat, "the Parquet schema has \(elements.count - index) elements that belong to no field")
        }
        self.fields = fields
        self.columns = columns
    }

    private static func annotation(_ element: ThriftSchemaElement) -> String? {
        if let logical = element.logicalType {
            switch logical {
            case 1: return "STRING"
            case 2: return "MAP"
            case 3: return "LIST"
            case 4: return "ENUM"
            case 5: return "DECIMAL"
            case 6: return "DATE"
            case 7: return "TIME"
            case 8: return "TIMESTAMP"
            case 10: return "INTEGER"
            case 11: return "NULL"
            case 12: return "JSON"
            case 13: return "BSON"
            case 14: return "UUID"
            case 15: return "FLOAT16"
            default: return "LOGICAL(\(logical))"
            }
        }
        switch element.convertedType {
        case 0: return "UTF8"
        case 1: return "MAP"
        case 2: return "MAP_KEY_VALUE"
        case 3: return "LIST"
        case 4: return "ENUM"
        case 5: return "DECIMAL"
        case nil: return nil
        case let other?: return "CONVERTED(\(other))"
        }
    }
}
