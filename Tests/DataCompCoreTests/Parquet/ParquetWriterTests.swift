import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

private let fixtureNames: [String] = {
    let url = Fixtures.resources.appendingPathComponent("parquet/manifest.json")
    guard let data = try? Data(contentsOf: url),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
    else { return [] }
    // INT96 is read but not written.
    return object.keys.sorted().filter { $0 != "int96.parquet" }
}()

/// When `DATACOMP_PARQUET_PARITY_DIR` is set (by `Scripts/parity/parquet_parity.py`), the files the
/// writer tests produce are kept there so that pyarrow can check them.
private func outputFolder() throws -> URL {
    if let folder = ProcessInfo.processInfo.environment["DATACOMP_PARQUET_PARITY_DIR"] {
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
    return try Fixtures.temporaryDirectory("parquet-writer")
}

private func rows(_ table: ParquetTable) -> [String] {
    (0..<table.rowCount).map { table.jsonRow($0).serialized() }
}

@Suite struct ParquetWriterTests {
    @Test("Fixtures written back by the writer read back with the same rows", arguments: fixtureNames)
    func rewrittenFixturesReadBack(name: String) throws {
        let source = try ParquetFile(path: Fixtures.path("parquet/" + name)).read()
        let folder = try outputFolder()
        let codecs: [ParquetCompression] = [.snappy, .zstd, .uncompressed]
        let codec = codecs[name.count % 3]
        let path = folder.appendingPathComponent("rewritten_" + name).path
        // Small row groups and pages so that every file has several of both.
        let version = name.count % 2 + 1
        try ParquetWriter.write(
            source, to: path,
            options: .init(compression: codec, rowGroupSize: 70, pageSize: 900, dataPageVersion: version))
        let reread = try ParquetFile(path: path)
        #expect(reread.rowGroups.count == (source.rowCount + 69) / 70)
        #expect(reread.rowGroups.allSatisfy { $0.columns.allSatisfy { $0.compression == codec } })
        #expect(rows(try reread.read()) == rows(source))
    }

    @Test(
        "A DataComp metadata table round-trips with empty and null face lists",
        arguments: [ParquetCompression.snappy, .zstd, .uncompressed])
    func dataCompTableRoundTrips(codec: ParquetCompression) throws {
        var rng = SplitMix64(seed: 7)
        let n = 1000
        var boxes: [[[Double]]] = []
        for i in 0..<n {
            boxes.append(
                i % 3 == 0 ? [] : (0..<(i % 4)).map { _ in (0..<4).map { _ in Double(rng.next() % 1000) / 1000 } })
        }
        let table = ParquetTable.dataCompMetadata(
            uids: (0..<n).map { String(format: "%032x", $0 * 7919) },
            urls: (0..<n).map { "https://example.com/\($0).jpg" },
            texts: (0..<n).map { $0 % 10 == 0 ? "" : "caption \($0) é 🙂" },
            originalWidths: (0..<n).map { Int64($0 + 1) }, originalHeights: (0..<n).map { Int64(2 * $0) },
            clipB32SimilarityScores: (0..<n).map { Float($0) / 4096 },
            clipL14SimilarityScores: (0..<n).map { -Float($0) / 8192 },
            faceBoundingBoxes: boxes, sha256s: (0..<n).map { String(repeating: "ab", count: 32) + "\($0)" })
        for version in [1, 2] {
            let path = try outputFolder().appendingPathComponent("datacomp_\(codec)_v\(version).parquet").path
            try ParquetWriter.write(
                table, to: path, options: .init(compression: codec, rowGroupSize: 300, dataPageVersion: version))
            let file = try ParquetFile(path: path)
            #expect(file.rowGroups.count == 4)
            #expect(file.schema.columns.first { $0.name == "face_bboxes" }?.maxDefinitionLevel == 5)
            #expect(rows(try file.read()) == rows(table))
        }
    }

    @Test("Flat nullable columns of every type round-trip")
    func flatNullableColumnsRoundTrip() throws {
        let n = 333
        let table = ParquetTable(
            rowCount: n,
            columns: [
                .int32("i32", (0..<n).map { $0 % 5 == 0 ? nil : Int32($0) - 100 }),
                .int64("i64", (0..<n).map { $0 % 7 == 0 ? nil : Int64($0) << 40 }),
                .float("f32", (0..<n).map { $0 % 2 == 0 ? nil : Float($0) / 3 }),
                .double("f64", (0..<n).map { Double($0) / 7 }),
                .boolean("flag", (0..<n).map { $0 % 11 == 0 ? nil : $0 % 3 == 0 }),
                .strings("s", (0..<n).map { $0 % 13 == 0 ? nil : String(repeating: "ü", count: $0 % 9) }),
            ])
        let path = try outputFolder().appendingPathComponent("flat_nullable.parquet").path
        try ParquetWriter.write(
            table, to: path, options: .init(compression: .zstd, rowGroupSize: 100, pageSize: 256, dataPageVersion: 2))
        #expect(rows(try ParquetFile(path: path).read()) == rows(table))
    }

    @Test("Parallel and single-threaded reads of a larger file agree")
    func parallelReadsAgree() throws {
        let n = 20_000
        let table = ParquetTable(
            rowCount: n,
            columns: [
                .strings("s", (0..<n).map { "row \($0)" }), .int64("i", (0..<n).map { Int64($0) }),
                .double("d", (0..<n).map { $0 % 9 == 0 ? nil : Double($0) / 3 }),
                .doubleListLists("boxes", (0..<n).map { [[Double($0)], []] }),
            ])
        let path = try outputFolder().appendingPathComponent("parallel.parquet").path
        try ParquetWriter.write(
            table, to: path, options: .init(compression: .snappy, rowGroupSize: 8000, pageSize: 4096))
        let file = try ParquetFile(path: path)
        let parallel = try file.read()
        let serial = try file.read(concurrency: .serial)
        #expect(rows(parallel) == rows(serial))
        #expect(rows(parallel) == rows(table))
    }

    @Test("Inconsistent columns are rejected before anything is written")
    func inconsistentColumnsAreRejected() throws {
        let table = ParquetTable(rowCount: 3, columns: [.int32("a", [1, 2, 3]), .int32("b", [1, 2])])
        let path = try Fixtures.temporaryDirectory("parquet-bad").appendingPathComponent("bad.parquet").path
        #expect(throws: DataCompError.self) { try ParquetWriter.write(table, to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
