import Foundation

extension SafetensorsFile {
    struct ParsedHeader {
        var metadata: [(key: String, value: String)]?
        var tensors: [TensorInfo]
        var dataStart: Int
    }

    /// Parses and validates a complete safetensors file held in memory.
    ///
    /// - Throws: ``DataCompError`` without a path.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> ParsedHeader {
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
        guard let text = String(validating: headerBytes, as: UTF8.self) else {
            throw DataCompError(.invalidFormat, "the header is not valid UTF-8", position: .offset(8))
        }
        guard text.hasPrefix("{") else {
            throw DataCompError(.invalidFormat, "the header must be a JSON object starting with '{'", position: .offset(8))
        }
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any] else {
                throw DataCompError(.invalidFormat, "the header is not a JSON object", position: .offset(8))
            }
            root = object
        } catch let error as DataCompError {
            throw error
        } catch {
            throw DataCompError(.invalidFormat, "the header is not valid JSON: \(error)", position: .offset(8))
        }

        var metadata: [(key: String, value: String)]?
        var tensors: [TensorInfo] = []
        for (name, value) in root {
            if name == "__metadata__" {
                guard let entries = value as? [String: Any] else {
                    throw DataCompError(.invalidFormat, "__metadata__ must be an object of strings", position: .member(name))
                }
                var pairs: [(key: String, value: String)] = []
                for (key, entry) in entries {
                    guard let string = entry as? String else {
                        throw DataCompError(
                            .invalidFormat, "__metadata__ value for '\(key)' must be a string", position: .member(name))
                    }
                    pairs.append((key, string))
                }
                metadata = pairs.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
                continue
            }
            tensors.append(try tensorInfo(name: name, value))
        }
        // Data order; empty tensors that share offsets follow the writer's order (dtype rank
        // descending, then name), which reproduces the header order of files the safetensors
        // package wrote.
        tensors.sort { a, b in
            if a.dataOffsets.lowerBound != b.dataOffsets.lowerBound { return a.dataOffsets.lowerBound < b.dataOffsets.lowerBound }
            if a.dataOffsets.upperBound != b.dataOffsets.upperBound { return a.dataOffsets.upperBound < b.dataOffsets.upperBound }
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
                    throw DataCompError(.corruptData, "tensor '\(info.name)' has an impossible shape \(info.shape)", position: .member(info.name))
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

    private static func tensorInfo(name: String, _ value: Any) throws -> TensorInfo {
        func invalid(_ message: String) -> DataCompError {
            DataCompError(.invalidFormat, "tensor '\(name)': \(message)", position: .member(name))
        }
        guard let entry = value as? [String: Any] else { throw invalid("the header entry must be an object") }
        guard let dtypeName = entry["dtype"] as? String else { throw invalid("missing or non-string \"dtype\"") }
        guard let dataType = SafetensorsDataType(rawValue: dtypeName) else {
            throw DataCompError(
                .unsupportedDataType,
                "tensor '\(name)' has dtype '\(dtypeName)'; supported: \(SafetensorsDataType.allCases.map(\.rawValue).joined(separator: ", "))",
                position: .member(name))
        }
        guard let shapeValues = entry["shape"] as? [Any] else { throw invalid("missing or non-array \"shape\"") }
        let shape = shapeValues.compactMap(nonNegativeInteger)
        guard shape.count == shapeValues.count else { throw invalid("\"shape\" must hold non-negative integers") }
        guard let offsetValues = entry["data_offsets"] as? [Any], offsetValues.count == 2,
            let begin = nonNegativeInteger(offsetValues[0]), let end = nonNegativeInteger(offsetValues[1])
        else { throw invalid("\"data_offsets\" must be two non-negative integers") }
        guard begin <= end else {
            throw DataCompError(
                .corruptData, "tensor '\(name)' has data_offsets [\(begin), \(end)] that end before they begin",
                position: .member(name))
        }
        return TensorInfo(name: name, dataType: dataType, shape: shape, dataOffsets: begin..<end)
    }

    private static func nonNegativeInteger(_ value: Any) -> Int? {
        if value is Bool, !(value is Int) { return nil }
        guard let integer = value as? Int, integer >= 0 else { return nil }
        return integer
    }
}
