/// The declared Parquet columns of one row group, converted to the pool's column types.
struct DecodedRowGroup {
    var values: [PoolColumn: PoolColumnValues] = [:]
    var validity: [PoolColumn: RowMask] = [:]

    init() {}

    /// Converts the columns of `table`; `firstRow` is the shard row of the table's first row,
    /// for error positions.
    init(table: ParquetTable, columns: [PoolColumn], firstRow: Int) throws {
        for column in columns {
            guard let data = table[column.name] else { continue }
            let (converted, mask) = try PoolColumnDecoding.values(of: column, from: data, firstRow: firstRow)
            values[column] = converted
            if let mask { validity[column] = mask }
        }
    }

    /// Local rows `local` of the decoded columns.
    func sliced(_ local: Range<Int>) -> (values: [PoolColumn: PoolColumnValues], validity: [PoolColumn: RowMask]) {
        (
            values.mapValues { $0.sliced(local) },
            validity.mapValues { mask in RowMask(count: local.count) { mask[local.lowerBound + $0] } }
        )
    }
}

/// Conversion of a decoded Parquet column to the values of a ``PoolColumn``, with the pool's
/// null conventions (0, NaN, empty string, false; the validity mask tells nulls apart).
enum PoolColumnDecoding {
    static func values(of column: PoolColumn, from data: ParquetColumn, firstRow: Int) throws -> (
        PoolColumnValues, RowMask?
    ) {
        let nulls = data.validity.flatMap { $0.nullCount > 0 ? RowMask(words: $0.words, count: $0.count) : nil }
        switch column.valueType {
        case .identifier: return (.identifiers(try uids(data, firstRow: firstRow)), nil)
        case .string: return (.strings(try strings(data, expected: column)), data.lists.isEmpty ? nulls : nil)
        case .integer: return (.integers(try integers(data, expected: column, firstRow: firstRow)), nulls)
        case .float: return (.floats(try floats(data, expected: column)), nulls)
        case .double: return (.doubles(try doubles(data, expected: column)), nulls)
        case .boolean: return (.booleans(try booleans(data, expected: column)), nulls)
        case .faceBoxes: return (.faceBoxes(try boxes(data, expected: column)), nil)
        case .embedding:
            throw DataCompError(
                .dtypeMismatch, "column '\(data.name)' is a Parquet column; embeddings are read from .npz arrays")
        }
    }

    private static func typeError(_ data: ParquetColumn, expected: String) -> DataCompError {
        let found = data.lists.isEmpty ? "\(data.descriptor.physicalType)" : "a list of \(data.descriptor.physicalType)"
        return DataCompError(.dtypeMismatch, "column '\(data.name)' holds \(found) values, not \(expected)")
    }

    private static func expectation(_ column: PoolColumn) -> String {
        switch column.valueType {
        case .identifier: "strings of 32 hex digits (a uid column)"
        case .string: "strings"
        case .integer: "integers"
        case .float, .double: "numbers"
        case .boolean: "booleans"
        case .faceBoxes: "list<list<double>> face boxes"
        case .embedding: "embeddings"
        }
    }

    private static func flatStrings(_ data: ParquetColumn, expected: String) throws -> StringColumn {
        guard data.lists.isEmpty else { throw typeError(data, expected: expected) }
        switch data.values {
        case .string(let values), .binary(let values): return values
        default: throw typeError(data, expected: expected)
        }
    }

    private static func uids(_ data: ParquetColumn, firstRow: Int) throws -> [SampleID] {
        let values = try flatStrings(data, expected: "strings of 32 hex digits (a uid column)")
        if let validity = data.validity, validity.nullCount > 0 {
            let row = (0..<validity.count).first { !validity[$0] } ?? 0
            throw DataCompError(
                .invalidIdentifier, "the uid is null; every row needs a 32-hex-digit uid",
                position: .row(firstRow + row))
        }
        switch TextScanning.parseUIDs(bytes: values.bytes, offsets: values.offsets[...]) {
        case .success(let ids):
            return ids
        case .failure(let invalid):
            let text = values[invalid.row]
            let shown = text.unicodeScalars.count > 80 ? String(text.unicodeScalars.prefix(80)) + "…" : text
            throw DataCompError(
                .invalidIdentifier, "the uid '\(shown)' is not 32 hexadecimal digits",
                position: .row(firstRow + invalid.row))
        }
    }

    private static func strings(_ data: ParquetColumn, expected column: PoolColumn) throws -> StringColumn {
        try flatStrings(data, expected: expectation(column))
    }

    private static func integers(_ data: ParquetColumn, expected column: PoolColumn, firstRow: Int) throws -> [Int] {
        guard data.lists.isEmpty else { throw typeError(data, expected: expectation(column)) }
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
                        throw DataCompError(
                            .corruptData, "column '\(data.name)' holds \(value), not a whole number",
                            position: .row(firstRow + row))
                    }
                    result.append(exact)
                } else {
                    result.append(0)
                }
            }
        default: throw typeError(data, expected: expectation(column))
        }
        if let validity = data.validity, validity.nullCount > 0 {
            for row in 0..<result.count where !validity[row] { result[row] = 0 }
        }
        return result
    }

    private static func doubles(_ data: ParquetColumn, expected column: PoolColumn) throws -> [Double] {
        guard data.lists.isEmpty else { throw typeError(data, expected: expectation(column)) }
        var result: [Double]
        switch data.values {
        case .float(let values): result = values.map { Double($0) }
        case .double(let values): result = values
        case .int32(let values): result = values.map { Double($0) }
        case .int64(let values): result = values.map { Double($0) }
        default: throw typeError(data, expected: expectation(column))
        }
        if let validity = data.validity, validity.nullCount > 0 {
            for row in 0..<result.count where !validity[row] { result[row] = .nan }
        }
        return result
    }

    private static func floats(_ data: ParquetColumn, expected column: PoolColumn) throws -> [Float] {
        // FLOAT columns (DataComp's scores) are taken as they are; other numbers go through Double.
        guard data.lists.isEmpty, case .float(var values) = data.values else {
            return try doubles(data, expected: column).map { Float($0) }
        }
        if let validity = data.validity, validity.nullCount > 0 {
            for row in 0..<values.count where !validity[row] { values[row] = .nan }
        }
        return values
    }

    private static func booleans(_ data: ParquetColumn, expected column: PoolColumn) throws -> [Bool] {
        guard data.lists.isEmpty, case .boolean(var values) = data.values else {
            throw typeError(data, expected: expectation(column))
        }
        if let validity = data.validity, validity.nullCount > 0 {
            for row in 0..<values.count where !validity[row] { values[row] = false }
        }
        return values
    }

    private static func boxes(_ data: ParquetColumn, expected column: PoolColumn) throws -> PoolFaceBoxes {
        guard data.lists.count == 2 else { throw typeError(data, expected: expectation(column)) }
        var coordinates: [Double]
        switch data.values {
        case .double(let values): coordinates = values
        case .float(let values): coordinates = values.map { Double($0) }
        default: throw typeError(data, expected: expectation(column))
        }
        if let validity = data.validity, validity.nullCount > 0 {
            for index in 0..<coordinates.count where !validity[index] { coordinates[index] = .nan }
        }
        return PoolFaceBoxes(
            rowOffsets: data.lists[0].offsets, boxOffsets: data.lists[1].offsets, coordinates: coordinates)
    }
}
