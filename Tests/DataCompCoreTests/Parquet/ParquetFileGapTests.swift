import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Files other writers produce (Tests/Fixtures/parquet-gaps, parquet_gaps_fixtures.py): each is
/// read as pyarrow 26.0.1 reads it; expectations are pyarrow's rows, rendered as
/// `json.dumps(row, default=str)`.
@Suite struct ParquetFileGapTests {
    static let readable = [
        "zero_rows", "unsigned", "logical", "brotli", "lz4_hadoop", "lz4_legacy_raw", "v2_empty_values",
        "footer_rows", "parquet_mr_1_2_8",
    ]

    @Test("Every readable file's rows equal pyarrow's", arguments: readable)
    func rowsEqualPyarrow(name: String) throws {
        let file = try ParquetFile(path: Fixtures.path("parquet-gaps/\(name).parquet"))
        let expected = try String(contentsOfFile: Fixtures.path("parquet-gaps/\(name).jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let table = try file.read()
        #expect(table.rowCount == expected.count)
        #expect(file.rowCount == expected.count)
        for (row, line) in expected.enumerated() {
            #expect(table.jsonRow(row).serialized() == line, "row \(row)")
        }
    }

    @Test("Logical types are read from LogicalType and from legacy converted types")
    func logicalTypes() throws {
        let file = try ParquetFile(path: Fixtures.path("parquet-gaps/logical.parquet"))
        let types = Dictionary(uniqueKeysWithValues: file.schema.columns.map { ($0.name, $0.logicalType) })
        #expect(types["dec_9_2"] == .decimal(precision: 9, scale: 2))
        #expect(types["dec_38_10"] == .decimal(precision: 38, scale: 10))
        #expect(types["date"] == .date)
        #expect(types["ts_ms"] == .timestamp(unit: .milliseconds, isAdjustedToUTC: false))
        #expect(types["ts_us_utc"] == .timestamp(unit: .microseconds, isAdjustedToUTC: true))
        #expect(types["ts_ns"] == .timestamp(unit: .nanoseconds, isAdjustedToUTC: false))
        // pyarrow's schema: Time(isAdjustedToUTC=false, timeUnit=milliseconds).
        #expect(types["time_ms"] == .time(unit: .milliseconds, isAdjustedToUTC: false))
        #expect(types["f16"] == .float16)
        let unsigned = try ParquetFile(path: Fixtures.path("parquet-gaps/unsigned.parquet"))
        #expect(
            unsigned.schema.columns.first { $0.name == "u64" }?.logicalType == .integer(bitWidth: 64, isSigned: false))
        #expect(unsigned.schema.columns.first { $0.name == "i8" }?.logicalType == .integer(bitWidth: 8, isSigned: true))
    }

    @Test("A footer row count that disagrees with the row groups is read by the row groups")
    func footerRowCount() throws {
        // The footer says 1000, the one row group 300 (pyarrow's read_table gives 300 rows).
        #expect(try ParquetFile(path: Fixtures.path("parquet-gaps/footer_rows.parquet")).rowCount == 300)
    }

    @Test(
        "Python's str(Decimal) and date arithmetic are reproduced at the edges",
        arguments: [
            // (negative, digits, scale, str(Decimal)) from CPython 3.11.
            (false, "5", 10, "5E-10"), (true, "1", 7, "-1E-7"), (false, "1", 6, "0.000001"),
            (false, "123", -2, "1.23E+4"),
            (false, "0", 0, "0"), (false, "0", 3, "0.000"), (false, "0", 7, "0E-7"), (true, "12345", 2, "-123.45"),
        ])
    func decimalStrings(negative: Bool, digits: String, scale: Int, expected: String) throws {
        // The rendering is reached through a decimal column of one value.
        let value = (negative ? -1 : 1) * (Int64(digits) ?? 0)
        var descriptor = ParquetColumnDescriptor(name: "d", physicalType: .int64)
        descriptor.logicalType = .decimal(precision: 18, scale: scale)
        let decimal = ParquetColumn(descriptor: descriptor, values: .int64([value]))
        #expect(decimal.jsonValue(row: 0) == .string(expected))
    }
}
