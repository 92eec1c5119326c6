/// The declared Parquet columns of one row group, converted to the pool's column types.
struct DecodedRowGroup {
    var uids: [SampleID]?
    var texts: PoolStrings?
    var urls: PoolStrings?
    var widths: [Int]?
    var heights: [Int]?
    var b32: [Float]?
    var l14: [Float]?
    var faceBoxes: PoolFaceBoxes?
    var sha256s: PoolStrings?

    init() {}

    /// Converts `table`; `firstRow` is the shard row of the table's first row, for error positions.
    init(table: ParquetTable, columns: [PoolColumn], firstRow: Int) throws {
        for column in columns {
            guard let name = column.parquetName, let data = table[name] else { continue }
            switch column {
            case .uid: uids = try Self.uids(data, firstRow: firstRow)
            case .text: texts = try Self.strings(data)
            case .url: urls = try Self.strings(data)
            case .sha256: sha256s = try Self.strings(data)
            case .originalWidth: widths = try Self.integers(data, firstRow: firstRow)
            case .originalHeight: heights = try Self.integers(data, firstRow: firstRow)
            case .clipB32Score: b32 = try Self.floats(data)
            case .clipL14Score: l14 = try Self.floats(data)
            case .faceBoxes: faceBoxes = try Self.boxes(data)
            default: continue
            }
        }
    }

    func batch(shardIndex: Int, local: Range<Int>, groupStart: Int, embeddings: [PoolColumn: PoolEmbeddings]) -> PoolBatch {
        let shardRows = (groupStart + local.lowerBound)..<(groupStart + local.upperBound)
        // A batch that covers its whole row group shares the arrays instead of copying them.
        func take<T>(_ values: [T]) -> [T] { local == values.indices ? values : Array(values[local]) }
        return PoolBatch(
            shardIndex: shardIndex, rows: shardRows,
            uids: uids.map(take), texts: texts?.slice(local), urls: urls?.slice(local),
            originalWidths: widths.map(take), originalHeights: heights.map(take),
            clipB32Scores: b32.map(take), clipL14Scores: l14.map(take),
            faceBoxes: faceBoxes?.slice(local), sha256s: sha256s?.slice(local),
            embeddings: embeddings.mapValues { $0.slice(shardRows) })
    }

    private static func typeError(_ data: ParquetColumn, expected: String) -> DataCompError {
        let found = data.lists.isEmpty ? "\(data.descriptor.physicalType)" : "a list of \(data.descriptor.physicalType)"
        return DataCompError(.dtypeMismatch, "column '\(data.name)' holds \(found) values; DataComp metadata stores \(expected)")
    }

    private static func flatByteArrays(_ data: ParquetColumn, expected: String) throws -> ParquetByteArrays {
        guard data.lists.isEmpty else { throw typeError(data, expected: expected) }
        switch data.values {
        case .string(let values), .binary(let values): return values
        default: throw typeError(data, expected: expected)
        }
    }

    private static func uids(_ data: ParquetColumn, firstRow: Int) throws -> [SampleID] {
        let values = try flatByteArrays(data, expected: "strings of 32 hex digits")
        if let validity = data.validity, validity.nullCount > 0 {
            let row = (0..<validity.count).first { !validity[$0] } ?? 0
            throw DataCompError(.invalidIdentifier, "the uid is null; every row needs a 32-hex-digit uid", position: .row(firstRow + row))
        }
        switch PoolTextScanning.parseUIDs(bytes: values.bytes, offsets: values.offsets[...]) {
        case .success(let ids):
            return ids
        case .failure(let invalid):
            let text = values.string(at: invalid.row)
            let shown = text.unicodeScalars.count > 80 ? String(text.unicodeScalars.prefix(80)) + "…" : text
            throw DataCompError(
                .invalidIdentifier, "the uid '\(shown)' is not 32 hexadecimal digits", position: .row(firstRow + invalid.row))
        }
    }

    private static func strings(_ data: ParquetColumn) throws -> PoolStrings {
        let values = try flatByteArrays(data, expected: "strings")
        return PoolStrings(bytes: values.bytes, offsets: values.offsets)
    }

    private static func integers(_ data: ParquetColumn, firstRow: Int) throws -> [Int] {
        guard data.lists.isEmpty else { throw typeError(data, expected: "int64 values") }
        var result: [Int]
        switch data.values {
        case .int64(let values): result = values.map { Int($0) }
        case .int32(let values): result = values.map { Int($0) }
        case .double(let values):
            // pandas turns integer columns with missing values into float64.
            result = []
            result.reserveCapacity(values.count)
            for (row, value) in values.enumerated() {
                if data.isValid(row) && !value.isNaN {
                    guard let exact = Int(exactly: value) else {
                        throw DataCompError(.corruptData, "column '\(data.name)' holds \(value), not a whole number of pixels", position: .row(firstRow + row))
                    }
                    result.append(exact)
                } else {
                    result.append(0)
                }
            }
        default: throw typeError(data, expected: "int64 values")
        }
        if let validity = data.validity, validity.nullCount > 0 {
            for row in 0..<result.count where !validity[row] { result[row] = 0 }
        }
        return result
    }

    private static func floats(_ data: ParquetColumn) throws -> [Float] {
        guard data.lists.isEmpty else { throw typeError(data, expected: "float32 values") }
        var result: [Float]
        switch data.values {
        case .float(let values): result = values
        case .double(let values): result = values.map { Float($0) }
        default: throw typeError(data, expected: "float32 values")
        }
        if let validity = data.validity, validity.nullCount > 0 {
            for row in 0..<result.count where !validity[row] { result[row] = .nan }
        }
        return result
    }

    private static func boxes(_ data: ParquetColumn) throws -> PoolFaceBoxes {
        guard data.lists.count == 2 else { throw typeError(data, expected: "list<list<double>> values") }
        var coordinates: [Double]
        switch data.values {
        case .double(let values): coordinates = values
        case .float(let values): coordinates = values.map { Double($0) }
        default: throw typeError(data, expected: "list<list<double>> values")
        }
        if let validity = data.validity, validity.nullCount > 0 {
            for index in 0..<coordinates.count where !validity[index] { coordinates[index] = .nan }
        }
        return PoolFaceBoxes(rowOffsets: data.lists[0].offsets, boxOffsets: data.lists[1].offsets, coordinates: coordinates)
    }
}
