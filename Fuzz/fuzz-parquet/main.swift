// libFuzzer target: Parquet files (Thrift footer, pages, codecs, encodings, nested levels) and
// the JSON rendering of every decoded value.
import DataCompCore
import _FuzzSupport

FuzzDriver.run { bytes in
    let file = try ParquetFile(bytes: Array(bytes), path: "fuzz.parquet")
    for index in file.rowGroups.indices.prefix(4) {
        let table = try file.readRowGroup(index, concurrency: .serial)
        for row in 0..<min(table.rowCount, 64) { _ = table.jsonRow(row).serialized() }
    }
}
