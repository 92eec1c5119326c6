extension SafetensorsFile {
    package struct ParsedHeader {
        var metadata: [(key: String, value: String)]?
        var tensors: [TensorInfo]
        var dataStart: Int
    }

    /// Parses and validates a complete safetensors file held in memory.
    ///
    /// - Throws: ``DataCompError`` without a path.
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws -> ParsedHeader {
        var reader = ByteReader(bytes, context: "safetensors header")
        let declared = try reader.readUInt64(for: "the 8-byte header length")
        guard declared <= UInt64(maximumHeaderLength) else {
            throw DataCompError(
                .invalidFormat,
                "header length \(declared) exceeds the 100 MB limit of the safetensors format; this is not a safetensors file or it is damaged",
                position: .offset(0))
        }
        let headerLength = Int(declared)
        guard headerLength <= reader.remaining else {
            throw DataCompError(
                .truncatedFile,
                "the header declares \(headerLength) bytes but the file has only \(reader.remaining) after the length field",
                position: .offset(0))
        }
        let headerBytes = try reader.readBytes(headerLength, for: "the JSON header")
        guard String(validating: headerBytes, as: UTF8.self) != nil else {
            throw DataCompError(.invalidFormat, "the header is not valid UTF-8", position: .offset(8))
        }
        guard case .object(let members) = try JSONValue.parse(headerBytes, baseOffset: 8, dialect: .strict) else {
            throw DataCompError(.invalidFormat, "the header is not a JSON object", position: .offset(8))
        }

        var metadata: [(key: String, value: String)]?
        var sawMetadata = false
        var byName: [String: TensorInfo] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                guard !sawMetadata else {
                    throw DataCompError(
                        .invalidFormat, "duplicate field __metadata__ in the header", position: .member(name))
                }
                sawMetadata = true
                switch value {
                case .null:
                    metadata = nil
                case .object(let entries):
                    var pairs: [String: String] = [:]
                    for (key, entry) in entries {
                        guard case .string(let string) = entry else {
                            throw DataCompError(
                                .invalidFormat, "__metadata__ value for '\(key)' must be a string",
                                position: .member(name))
                        }
                        pairs[key] = string
                    }
                    metadata = pairs.map { (key: $0.key, value: $0.value) }
                        .sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
                default:
                    throw DataCompError(
                        .invalidFormat, "__metadata__ must be an object of strings", position: .member(name))
                }
                continue
            }
            // Like the Rust crate's HashMap, a repeated tensor name keeps the last entry.
            byName[name] = try tensorInfo(name: name, value)
        }
        var tensors = Array(byName.values)
        tensors.sort { a, b in
            if a.dataOffsets.lowerBound != b.dataOffsets.lowerBound {
                return a.dataOffsets.lowerBound < b.dataOffsets.lowerBound
            }
            if a.dataOffsets.upperBound != b.dataOffsets.upperBound {
                return a.dataOffsets.upperBound < b.dataOffsets.upperBound
            }
            if a.dataType.sortRank != b.dataType.sortRank { return a.dataType.sortRank > b.dataType.sortRank }
            return Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
        }
        var end = 0
        for info in tensors {
            guard info.dataOffsets.lowerBound == end else {
                throw DataCompError(
                    .corruptData,
                    "tensor '\(info.name)' starts at data offset \(info.dataOffsets.lowerBound), expected \(end): tensors must cover the data area contiguously without gaps or overlaps",
                    position: .member(info.name))
            }
            var elements = 1
            for dimension in info.shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
                guard !overflow else {
                    throw DataCompError(
                        .corruptData, "tensor '\(info.name)' has an impossible shape \(info.shape)",
                        position: .member(info.name))
                }
                elements = product
            }
            let (byteCount, overflow) = elements.multipliedReportingOverflow(by: info.dataType.byteCount)
            guard !overflow, byteCount == info.dataOffsets.count else {
                throw DataCompError(
                    .corruptData,
                    "tensor '\(info.name)' of dtype \(info.dataType.rawValue) and shape \(info.shape) needs \(overflow ? "more than Int.max" : String(byteCount)) bytes, but its data_offsets span \(info.dataOffsets.count)",
                    position: .member(info.name))
            }
            end = info.dataOffsets.upperBound
        }
        let dataStart = 8 + headerLength
        let (fileSize, overflow) = dataStart.addingReportingOverflow(end)
        guard !overflow, fileSize == bytes.count else {
            let code: DataCompError.Code = overflow || fileSize > bytes.count ? .truncatedFile : .corruptData
            throw DataCompError(
                code,
                "the tensors need \(end) data bytes after the \(dataStart)-byte header, but the file has \(bytes.count) bytes in all",
                position: .offset(bytes.count))
        }
        return ParsedHeader(metadata: metadata, tensors: tensors, dataStart: dataStart)
    }

    private static func tensorInfo(name: String, _ value: JSONValue) throws -> TensorInfo {
        func invalid(_ message: String) -> DataCompError {
            DataCompError(.invalidFormat, "tensor '\(name)': \(message)", position: .member(name))
        }
        guard case .object(let fields) = value else { throw invalid("the header entry must be an object") }
        var dtypeValue: JSONValue?
        var shapeValue: JSONValue?
        var offsetsValue: JSONValue?
        for (key, field) in fields {
            switch key {
            case "dtype":
                guard dtypeValue == nil else { throw invalid("duplicate field \"dtype\"") }
                dtypeValue = field
            case "shape":
                guard shapeValue == nil else { throw invalid("duplicate field \"shape\"") }
                shapeValue = field
            case "data_offsets":
                guard offsetsValue == nil else { throw invalid("duplicate field \"data_offsets\"") }
                offsetsValue = field
            default:
                continue  // Unknown fields are ignored, as serde does.
            }
        }
        guard case .string(let dtypeName)? = dtypeValue else { throw invalid("missing or non-string \"dtype\"") }
        guard let dataType = SafetensorsDataType(rawValue: dtypeName) else {
            throw DataCompError(
                .unsupportedDataType,
                "tensor '\(name)' has dtype '\(dtypeName)'; supported: \(SafetensorsDataType.allCases.map(\.rawValue).joined(separator: ", "))",
                position: .member(name))
        }
        guard case .array(let shapeValues)? = shapeValue else { throw invalid("missing or non-array \"shape\"") }
        // serde reads usize: integer literals only ("1.0", "1e3" and "-0" are rejected).
        func nonNegativeInteger(_ value: JSONValue) -> Int? {
            if case .int(let integer) = value, integer >= 0 { return integer }
            return nil
        }
        let shape = shapeValues.compactMap(nonNegativeInteger)
        guard shape.count == shapeValues.count else { throw invalid("\"shape\" must hold non-negative integers") }
        guard case .array(let offsetValues)? = offsetsValue, offsetValues.count == 2,
            let begin = nonNegativeInteger(offsetValues[0]), let end = nonNegativeInteger(offsetValues[1])
        else { throw invalid("\"data_offsets\" must be two non-negative integers") }
        guard begin <= end else {
            throw DataCompError(
                .corruptData, "tensor '\(name)' has data_offsets [\(begin), \(end)] that end before they begin",
                position: .member(name))
        }
        return TensorInfo(name: name, dataType: dataType, shape: shape, dataOffsets: begin..<end)
    }
}
