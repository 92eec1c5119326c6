import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// The fixtures of `Scripts/fixtures/parquet_fixtures.py` (pyarrow 26.0.1) and the file holding each
/// one's expected rows.
private let manifest: [(parquet: String, expected: String)] = {
    let url = Fixtures.resources.appendingPathComponent("parquet/manifest.json")
    guard let data = try? Data(contentsOf: url),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
    else { return [] }
    return object.keys.sorted().map { ($0, object[$0] ?? "") }
}()

private func expectedLines(_ name: String) throws -> [String] {
    let text = try String(contentsOfFile: Fixtures.path("parquet/" + name), encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

@Suite struct ParquetFileTests {
    @Test("The fixture manifest lists every encoding, codec, page version and nullability file")
    func manifestIsComplete() {
        // 5 codecs × 2 page versions × 2 nullabilities + 3 DataComp + 2 nested + INT96.
        #expect(manifest.count == 26)
    }

    @Test("Decoded rows equal pyarrow's rows", arguments: manifest.map(\.parquet))
    func decodedRowsEqualPyarrow(name: String) throws {
        // Expected rows: json.dumps(pyarrow 26.0.1 Table.to_pylist()) per row; exact text match.
        let expected = try expectedLines(manifest.first { $0.parquet == name }?.expected ?? "")
        let file = try ParquetFile(path: Fixtures.path("parquet/" + name))
        let table = try file.read()
        #expect(table.rowCount == expected.count)
        #expect(file.rowCount == expected.count)
        var mismatches = 0
        for row in 0..<min(table.rowCount, expected.count) {
            let line = table.jsonRow(row).serialized()
            if line != expected[row] {
                mismatches += 1
                if mismatches <= 3 { Issue.record("row \(row):\n ours: \(line)\n want: \(expected[row])") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("Row groups stream with the same rows as a whole-file read")
    func rowGroupsStream() throws {
        let file = try ParquetFile(path: Fixtures.path("parquet/datacomp_nulls_zstd_v2.parquet"))
        #expect(file.rowGroups.count == 3)
        let whole = try file.read(columns: ["face_bboxes", "uid"])
        var row = 0
        try file.forEachRowGroup(columns: ["face_bboxes", "uid"]) { group in
            #expect(group.columns.map(\.name) == ["face_bboxes", "uid"])
            for r in 0..<group.rowCount {
                #expect(group.jsonRow(r) == whole.jsonRow(row))
                row += 1
            }
        }
        #expect(row == whole.rowCount)
    }

    @Test("Projection decodes only the requested columns")
    func projectionReadsRequestedColumns() throws {
        let file = try ParquetFile(path: Fixtures.path("parquet/datacomp_snappy.parquet"))
        let table = try file.read(columns: ["text", "clip_b32_similarity_score"])
        #expect(table.columns.map(\.name) == ["text", "clip_b32_similarity_score"])
        guard case .string(let texts)? = table["text"]?.values,
            case .float(let scores)? = table["clip_b32_similarity_score"]?.values
        else {
            Issue.record("unexpected column types")
            return
        }
        #expect(texts.count == 400)
        #expect(scores.count == 400)
        #expect(throws: DataCompError.self) { try file.read(columns: ["nonexistent"]) }
    }

    @Test("The DataComp schema has the documented types and levels")
    func dataCompSchema() throws {
        let file = try ParquetFile(path: Fixtures.path("parquet/datacomp_snappy.parquet"))
        let columns = file.schema.columns
        #expect(
            columns.map(\.name) == [
                "uid", "url", "text", "original_width", "original_height", "clip_b32_similarity_score",
                "clip_l14_similarity_score", "face_bboxes", "sha256",
            ])
        let boxes = try #require(columns.first { $0.name == "face_bboxes" })
        // pyarrow writes the 3-level LIST encoding: optional group, repeated list, optional element, twice.
        #expect(boxes.maxDefinitionLevel == 5)
        #expect(boxes.maxRepetitionLevel == 2)
        #expect(boxes.physicalType == .double)
        #expect(columns[0].isString)
        #expect(columns[3].physicalType == .int64)
        #expect(columns[5].physicalType == .float)
    }
}
