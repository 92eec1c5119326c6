import Foundation
import Testing
import _DataCompTestSupport

@Suite struct PoolStatsCommandTests {
    @Test("pool stats prints numpy's statistics as JSON")
    func printsStatisticsAsJSON() throws {
        let folder = Fixtures.path("pool/metadata")
        let result = try CommandRunner.run(["pool", "stats", "--metadata-dir", folder])
        #expect(result.status == 0, "\(result.standardError)")
        let ours = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any] ?? [:]
        let numpyURL = URL(fileURLWithPath: Fixtures.path("pool/expected_stats.json"))
        // numpy 2.4.6 (Scripts/fixtures/pool_fixtures.py): counts and fractions exact, quantiles
        // and means to 1e-12 relative.
        let numpy = try JSONSerialization.jsonObject(with: Data(contentsOf: numpyURL)) as? [String: Any] ?? [:]
        #expect(ours["metadata_dir"] as? String == folder)
        for key in ["rows", "shards", "shards_with_npz"] {
            #expect((ours[key] as? NSNumber)?.intValue == (numpy[key] as? NSNumber)?.intValue, "\(key)")
        }
        var compared = 0
        for (column, value) in numpy {
            if let expected = value as? NSNumber, column.hasPrefix("fraction_") {
                #expect((ours[column] as? NSNumber)?.doubleValue == expected.doubleValue, "\(column)")
                compared += 1
            }
            guard let summary = value as? [String: Any] else { continue }
            let mine = ours[column] as? [String: Any] ?? [:]
            for (name, number) in summary {
                let expected = (number as? NSNumber)?.doubleValue ?? .nan
                let actual = (mine[name] as? NSNumber)?.doubleValue ?? .nan
                #expect(abs(actual - expected) <= 1e-12 * max(1, abs(expected)), "\(column).\(name)")
                compared += 1
            }
        }
        #expect(compared == 4 + 6 * 11)
    }

    @Test("pool stats --format text prints a table")
    func printsTextTable() throws {
        let result = try CommandRunner.run([
            "pool", "stats", "--metadata-dir", Fixtures.path("pool/missing_npz"), "--format", "text",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("rows: 18   shards: 2   shards with npz: 1"))
        #expect(result.standardOutput.contains("clip_l14_similarity_score"))
        #expect(result.standardOutput.contains("shards without npz: f3489f2a53febceaf7cebe8e55a13da7"))
    }

    @Test("pool stats fails with a clear message for a folder without parquet files")
    func failsForEmptyFolder() throws {
        let folder = try Fixtures.temporaryDirectory("pool-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CommandRunner.run(["pool", "stats", "--metadata-dir", folder.path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("no .parquet files"))
    }
}
