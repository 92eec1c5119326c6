import Foundation
import Testing
import _DataCompTestSupport

private let manifest: [String: String] = {
    let url = Fixtures.resources.appendingPathComponent("parquet/manifest.json")
    guard let data = try? Data(contentsOf: url),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
    else { return [:] }
    return object
}()

@Suite struct ParquetCLITests {
    @Test("export prints pyarrow's rows for every fixture", arguments: manifest.keys.sorted())
    func exportMatchesPyarrow(name: String) throws {
        // Expected: json.dumps of pyarrow 26.0.1 to_pylist() rows (Scripts/fixtures/parquet_fixtures.py); exact text.
        let expected = try String(contentsOfFile: Fixtures.path("parquet/" + (manifest[name] ?? "")), encoding: .utf8)
        let result = try CommandRunner.run(["export", Fixtures.path("parquet/" + name)])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == expected)
    }

    @Test("export honours --columns and --limit")
    func exportProjectsAndLimits() throws {
        let result = try CommandRunner.run([
            "export", Fixtures.path("parquet/datacomp_snappy.parquet"), "--columns", "uid,face_bboxes", "--limit", "3",
        ])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasPrefix("{\"uid\": \"") && $0.contains("\"face_bboxes\": [") })
    }

    @Test("export of an unknown column fails with the available columns")
    func exportUnknownColumnFails() throws {
        let result = try CommandRunner.run([
            "export", Fixtures.path("parquet/datacomp_snappy.parquet"), "--columns", "nope",
        ])
        #expect(result.status != 0)
        #expect(result.standardError.contains("no column 'nope'"))
    }

    @Test("inspect summarizes rows, row groups, codecs and encodings")
    func inspectSummarizes() throws {
        let result = try CommandRunner.run(["inspect", Fixtures.path("parquet/datacomp_nulls_zstd_v2.parquet")])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(object?["rows"] as? Int == 400)
        #expect(object?["row_groups"] as? Int == 3)
        let columns = object?["columns"] as? [[String: Any]] ?? []
        #expect(columns.count == 9)
        let boxes = columns.first { ($0["path"] as? String)?.hasPrefix("face_bboxes") ?? false }
        #expect(boxes?["max_definition_level"] as? Int == 5)
        #expect(boxes?["codecs"] as? [String] == ["ZSTD"])
        #expect((boxes?["encodings"] as? [String])?.contains("RLE_DICTIONARY") == true)
    }
}
