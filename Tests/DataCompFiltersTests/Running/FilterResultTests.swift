import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct FilterResultTests {
    @Test("write(to:) writes a DataComp subset file and a JSON report beside it")
    func writesSubsetAndReport() async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let result = try await ScoreFilter(.clipL14Score, .topFraction(0.3)).run(on: pool)
        let folder = try Fixtures.temporaryDirectory("filter-result")
        let path = folder.appendingPathComponent("clip.npy").path
        try result.write(to: path)
        #expect(Array(try SubsetFile.read(from: path)) == Array(result.subset))
        let reportPath = FilterResult.reportPath(forSubsetAt: path)
        #expect(reportPath.hasSuffix("/clip.report.json"))
        let report = try JSONValue(
            parsing: String(decoding: try Data(contentsOf: URL(fileURLWithPath: reportPath)), as: UTF8.self))
        #expect(report["samples_seen"]?.intValue == 120)
        #expect(report["samples_kept"]?.intValue == result.subset.count)
        #expect(report["thresholds"]?.arrayValue?.first?["rank"]?.intValue == 36)
        let shards = try PoolFixtures.shards().sorted { $0.stem < $1.stem }
        #expect(report["pool"]?.arrayValue?.map { $0["rows"]?.intValue } == shards.map(\.rows))
        #expect(report["pool"]?.arrayValue?.map { $0["name"]?.stringValue } == shards.map { $0.stem + ".parquet" })
        #expect(report["tool"]?.stringValue == DataCompVersion.toolName)
        #expect(report["parameters"]?["fraction"]?.doubleValue == 0.3)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["clip.npy", "clip.report.json"], "no temporary files are left")
    }

    @Test("A top fraction of an empty pool is a DataCompError naming the folder")
    func emptyPool() async throws {
        let folder = try Fixtures.temporaryDirectory("empty-pool")
        let source = try #require(try CandidatePool(metadataDirectory: PoolFixtures.metadata).shards.first)
        let schema = try ParquetFile(path: source.parquetPath).schema.columns.filter {
            ["uid", "clip_l14_similarity_score"].contains($0.dottedPath)
        }
        #expect(schema.count == 2)
        let writer = try ParquetWriter(path: folder.appendingPathComponent("0000.parquet").path, schema: schema)
        try writer.finish()
        let pool = try CandidatePool(metadataDirectory: folder.path)
        let error = await #expect(throws: DataCompError.self) {
            try await ScoreFilter(.clipL14Score, .topFraction(0.3)).run(on: pool)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.path == folder.path)
        let all = try await KeepAllFilter().run(on: pool)
        #expect(all.subset.isEmpty && all.report.samplesSeen == 0)
    }
}
