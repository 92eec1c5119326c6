import ArgumentParser
import DataComp
import Foundation

/// `datacomp export FILE.parquet`: rows as JSON lines.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the rows of a Parquet file as JSON lines.",
        discussion: """
            One JSON object per row, keys in column order, equal to Python's \
            json.dumps(row, default=str) of pyarrow's to_pylist() rows: floats in shortest \
            round-trip form (FLOAT widened to double), strings exact (non-ASCII escaped), lists \
            nested, null as null, unsigned integers as unsigned (UINT_64 up to 2^64-1), and \
            decimals, dates, times and timestamps as the strings Python prints for them \
            ("1.23", "-1E-10", "2024-01-02", "12:34:56.789000", "2024-01-02 03:04:05.123456+00:00"; \
            nanosecond timestamps, INT96 included, as pandas.Timestamp prints them). Where \
            Python would print a repr, binary values are lowercase hex, float16 values numbers \
            and UUIDs 8-4-4-4-12 hex. Only the requested columns are decoded, one row group at \
            a time.
            """
    )

    @Argument(help: "The Parquet file.")
    var path: String

    @Option(help: "Comma-separated column names to export (default: all).")
    var columns: String?

    @Option(help: "Export at most this many rows.")
    var limit: Int?

    func run() throws {
        let file = try ParquetFile(path: path)
        let selected = columns.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
        var remaining = limit ?? Int.max
        let output = FileHandle.standardOutput
        _ = try file.columnIndices(for: selected)
        for index in file.rowGroups.indices where remaining > 0 {
            let group = try file.readRowGroup(index, columns: selected)
            var text = ""
            let count = min(group.rowCount, remaining)
            for row in 0..<count {
                text += group.jsonRow(row).serialized()
                text += "\n"
                // Flush in blocks so that large row groups do not build one huge string.
                if text.utf8.count >= 1 << 20 {
                    output.write(Data(text.utf8))
                    text = ""
                }
            }
            remaining -= count
            output.write(Data(text.utf8))
        }
    }
}
