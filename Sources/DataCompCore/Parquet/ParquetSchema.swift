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
        func node(depth: Int, path: [String], definition: Int, repetition: Int, elementLevels: [Int]) throws
            -> ParquetSchemaNode
        {
            guard index < elements.count else {
                throw DataCompError(.invalidFormat, "the Parquet schema declares more children than it has elements")
            }
            guard depth < 64 else {
                throw DataCompError(.invalidFormat, "the Parquet schema is nested more than 64 levels deep")
            }
            let element = elements[index]
            index += 1
            let rep: ParquetRepetition
            switch element.repetitionType ?? 0 {
            case 0: rep = .required
            case 1: rep = .optional
            case 2: rep = .repeated
            default:
                throw DataCompError(
                    .invalidFormat,
                    "schema element '\(element.name)' has an unknown repetition type \(element.repetitionType ?? 0)")
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
                    throw DataCompError(
                        .invalidFormat,
                        "schema element '\(element.name)' declares \(childCount) children, more than the schema holds")
                }
                var children: [ParquetSchemaNode] = []
                for _ in 0..<childCount {
                    children.append(
                        try node(
                            depth: depth + 1, path: childPath, definition: def, repetition: repLevel,
                            elementLevels: levels))
                }
                return ParquetSchemaNode(
                    name: element.name, repetition: rep, physicalType: nil, typeLength: nil, annotation: annotation,
                    children: children)
            }
            guard let type = element.type, let physical = ParquetPhysicalType(thrift: type) else {
                throw DataCompError(
                    .invalidFormat,
                    "schema element '\(element.name)' has an unknown physical type \(element.type ?? -1)")
            }
            var length: Int?
            if physical == .fixedLengthByteArray {
                guard let declared = element.typeLength, declared >= 0 else {
                    throw DataCompError(
                        .invalidFormat, "FIXED_LEN_BYTE_ARRAY column '\(element.name)' has no valid type_length")
                }
                length = Int(declared)
            } else if physical == .int96 {
                length = 12
            }
            let isString = physical == .byteArray && ["STRING", "UTF8", "ENUM", "JSON"].contains(annotation ?? "")
            columns.append(
                ParquetColumnDescriptor(
                    path: childPath, physicalType: physical, typeLength: length, isString: isString,
                    maxDefinitionLevel: def, maxRepetitionLevel: repLevel, elementDefinitionLevels: levels,
                    logicalType: ParquetLogicalType(element: element)))
            return ParquetSchemaNode(
                name: element.name, repetition: rep, physicalType: physical, typeLength: length, annotation: annotation,
                children: [])
        }
        var fields: [ParquetSchemaNode] = []
        let rootChildren = Int(root.numChildren ?? 0)
        guard rootChildren >= 0 else {
            throw DataCompError(.invalidFormat, "the schema root declares a negative number of children")
        }
        for _ in 0..<rootChildren {
            fields.append(try node(depth: 0, path: [], definition: 0, repetition: 0, elementLevels: []))
        }
        guard index == elements.count else {
            throw DataCompError(
                .invalidFormat, "the Parquet schema has \(elements.count - index) elements that belong to no field")
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
