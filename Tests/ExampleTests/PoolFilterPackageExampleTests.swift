import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Builds Examples/pool-filter-package — a separate package that depends on this one by path,
/// as a user's package would — with `swift build`, and runs it on the open-column fixtures.
@Suite struct PoolFilterPackageExampleTests {
    static let package = Fixtures.packageRoot.appendingPathComponent("Examples/pool-filter-package")

    @Test("A downstream package filters on an extra column and a sidecar score and writes a subset")
    func filtersOnExtraColumnAndSidecar() throws {
        let swift = URL(fileURLWithPath: "/usr/bin/env")
        // SwiftPM caches the source list of a path dependency; drop it so that files added to or
        // removed from this package since the last build are seen (a fresh clone has none).
        try? FileManager.default.removeItem(at: Self.package.appendingPathComponent(".build/debug/description.json"))
        let build = try CommandRunner.run(executable: swift, ["swift", "build", "--package-path", Self.package.path])
        try #require(build.status == 0, "swift build failed:\n\(build.standardOutput)\n\(build.standardError)")
        let binPath = try CommandRunner.run(
            executable: swift, ["swift", "build", "--package-path", Self.package.path, "--show-bin-path"])
        let binary = URL(fileURLWithPath: binPath.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
            .appendingPathComponent("pool-filter")
        let folder = try Fixtures.temporaryDirectory("pool-filter")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("subset.npy").path
        let run = try CommandRunner.run(
            executable: binary,
            [Fixtures.path("pool/extra"), Fixtures.path("pool/sidecars/scores"), "0.5", output])
        #expect(run.status == 0, "\(run.standardError)")

        // Expected: the rows pyarrow reads with language == "en" and dfn_score >= 0.5
        // (pool/expected_columns.json and pool/expected_rows.json), sorted as a subset file is.
        let pool = try CandidatePool(metadataDirectory: Fixtures.path("pool/extra"))
        let stem = pool.shards[0].stem
        let columns = try PoolFixtures.jsonObject("pool/expected_columns.json")
        let languages = (columns["extra"] as? [String: [String: Any]])?[stem]?["language"] as? [String] ?? []
        let scores = ((columns["sidecars"] as? [String: [String: Any]])?[stem]?["dfn_score"] as? [NSNumber] ?? []).map(
            \.floatValue)
        let uids = try #require(try PoolFixtures.shards().first { $0.stem == stem }).strings("uid")
        let expected = try uids.indices.filter { languages[$0] == "en" && scores[$0] >= 0.5 }.map {
            try SampleID(hex: uids[$0])
        }.sorted()
        #expect(!expected.isEmpty)
        #expect(Array(try SubsetFile.read(from: output)) == expected)
        #expect(run.standardOutput.contains("kept \(expected.count) of \(uids.count) samples"))
    }
}
