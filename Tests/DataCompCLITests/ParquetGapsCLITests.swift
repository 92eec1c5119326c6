import Foundation
import Testing
import _DataCompTestSupport

@Suite struct ParquetGapsCLITests {
    @Test(
        "export prints pyarrow's rows for files of other writers (0 rows, unsigned, logical types, BROTLI, legacy LZ4, odd footers)",
        arguments: [
            "zero_rows", "unsigned", "logical", "brotli", "lz4_hadoop", "lz4_legacy_raw", "v2_empty_values",
            "footer_rows", "parquet_mr_1_2_8",
        ])
    func exportMatchesPyarrow(name: String) throws {
        let result = try CommandRunner.run(["export", Fixtures.path("parquet-gaps/\(name).parquet")])
        #expect(result.status == 0, "\(result.standardError)")
        let expected = try String(contentsOfFile: Fixtures.path("parquet-gaps/\(name).jsonl"), encoding: .utf8)
        #expect(result.standardOutput == expected)
    }
}
