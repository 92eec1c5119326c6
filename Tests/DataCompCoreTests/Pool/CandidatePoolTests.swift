import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct CandidatePoolTests {
    @Test("Discovery lists .parquet files non-recursively in sorted order and pairs each .npz")
    func discoversShardsInSortedOrder() throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let expected = try PoolFixtures.shards()
        // Sorted stems from the generator (sorted(...) in Python = byte order for hex names);
        // README.txt, the .parquet.crc side file and nested/ are skipped.
        #expect(pool.shards.map(\.stem) == expected.map(\.stem))
        #expect(pool.shards.map(\.index) == [0, 1, 2])
        #expect(pool.shards.map(\.hasNPZ) == [true, true, true])
        let paired = pool.shards.allSatisfy {
            $0.npzPath.hasSuffix($0.stem + ".npz") && $0.parquetPath.hasSuffix($0.stem + ".parquet")
        }
        #expect(paired)
        #expect(try pool.rowCount() == 120)
    }

    @Test("validate() returns the row count of a consistent pool")
    func validatesConsistentPool() throws {
        #expect(try CandidatePool(metadataDirectory: PoolFixtures.metadata).validate() == 120)
    }

    @Test("A parquet/npz row-count mismatch names both files and both counts")
    func reportsRowCountMismatch() throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.mismatch)
        let shard = pool.shards[0]
        let error = try #require(throws: DataCompError.self) { try pool.validate() }
        #expect(error.code == .rowCountMismatch)
        #expect(error.path == shard.npzPath)
        #expect(error.message.contains(shard.parquetPath) && error.message.contains(shard.npzPath))
        #expect(error.message.contains("12 rows") && error.message.contains("has 11"))
        // Lazily too: opening the shard with an embedding column fails the same way.
        let lazy = try #require(throws: DataCompError.self) { try pool.openShard(0, columns: [.uid, .l14Image]) }
        #expect(lazy.code == .rowCountMismatch)
        // Metadata-only reading does not need the npz.
        #expect(try pool.openShard(0, columns: [.uid, .text]).rowCount == 12)
    }

    @Test("A missing npz is only an error when an embedding column is declared")
    func missingNPZNeededOnlyForEmbeddings() throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.missingNPZ)
        #expect(pool.shards.map(\.hasNPZ) == [true, false])
        var uids = 0
        try pool.forEachBatch(columns: [.uid]) { uids += $0.uids.count }
        #expect(uids == 18)
        let error = try #require(throws: DataCompError.self) {
            try pool.forEachBatch(columns: [.uid, .b32Image]) { _ in }
        }
        #expect(error.code == .fileNotFound)
        #expect(error.path == pool.shards[1].npzPath)
        #expect(error.message.contains(pool.shards[1].npzPath) && error.message.contains("--download_npz"))
    }

    @Test("A missing required column names the file and the column; extra columns are tolerated")
    func missingColumnIsNamed() throws {
        let folder = try Fixtures.temporaryDirectory("pool-columns")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("0000.parquet").path
        try ParquetWriter.write(
            ParquetTable(
                rowCount: 2,
                columns: [
                    .strings("uid", ["139e4a9b22a614771f06c700a8ebe150", "00000000000000000000000000000001"]),
                    .int64("extra", [1, 2]), .int64("text", [5, 6]),
                ]), to: path)
        let pool = try CandidatePool(metadataDirectory: folder.path)
        let error = try #require(throws: DataCompError.self) { try pool.openShard(0, columns: [.uid, .clipL14Score]) }
        #expect(error.path == path)
        #expect(error.message.contains("clip_l14_similarity_score"))
        // Only declared columns are decoded: the ill-typed `text` column is never touched...
        var ids: [SampleID] = []
        try pool.forEachBatch(columns: [.uid]) { ids += $0.uids }
        #expect(ids == [try SampleID(hex: "139e4a9b22a614771f06c700a8ebe150"), SampleID(high: 0, low: 1)])
        // ...and declaring it reports its type.
        let typed = try #require(throws: DataCompError.self) { try pool.forEachBatch(columns: [.text]) { _ in } }
        #expect(typed.code == .dtypeMismatch && typed.path == path)
    }

    @Test("An invalid uid is reported with its file and row")
    func invalidUIDNamesRow() throws {
        let folder = try Fixtures.temporaryDirectory("pool-uid")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.parquet").path
        try ParquetWriter.write(
            ParquetTable(
                rowCount: 3,
                columns: [
                    .strings("uid", ["139e4a9b22a614771f06c700a8ebe150", "139e4a9b22a614771f06c700a8ebe15g", "x"])
                ]),
            to: path)
        let pool = try CandidatePool(metadataDirectory: folder.path)
        let error = try #require(throws: DataCompError.self) { try pool.forEachBatch(columns: [.uid]) { _ in } }
        #expect(error.code == .invalidIdentifier)
        #expect(error.path == path)
        #expect(error.position == .row(1))
    }

    @Test("An empty or missing folder is a clear error")
    func emptyFolderFails() throws {
        let folder = try Fixtures.temporaryDirectory("pool-empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = try #require(throws: DataCompError.self) { try CandidatePool(metadataDirectory: folder.path) }
        #expect(empty.code == .fileNotFound)
        let missing = try #require(throws: DataCompError.self) {
            try CandidatePool(metadataDirectory: folder.appendingPathComponent("nope").path)
        }
        #expect(missing.code == .fileNotFound)
    }

    @Test("mapShards returns per-shard results in shard order for any concurrency", arguments: [1, 2, 3, 8])
    func mapShardsKeepsOrder(width: Int) async throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let counts = try await pool.mapShards(columns: [.uid, .l14Image], concurrency: ConcurrencyBudget(width: width))
        { reader in
            var rows = 0
            try reader.forEachBatch(maxRows: 10) { batch in
                precondition(batch.embeddings(.l14Image).rowCount == batch.count)
                rows += batch.count
            }
            return (reader.shard.index, rows)
        }
        #expect(counts.map(\.0) == [0, 1, 2])
        #expect(counts.map(\.1) == (try PoolFixtures.shards()).map(\.rows))
    }

    @Test("Corrupted npz files only ever throw DataCompError")
    func corruptedNPZThrowsOnlyDataCompError() throws {
        let folder = try PoolFixtures.copy(PoolFixtures.missingNPZ)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pool = try CandidatePool(metadataDirectory: folder)
        let npz = pool.shards[0].npzPath
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: npz)))
        var random = SplitMix64(seed: 0x9001)
        var truncationFailures = 0
        for trial in 0..<300 {
            var bytes = original
            if trial % 3 == 0 {
                bytes.removeLast(Int.random(in: 1..<bytes.count, using: &random))
            } else {
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    // Mostly hit the headers (ZIP local/central records, npy headers), where damage matters.
                    let index =
                        trial % 3 == 1
                        ? Int.random(in: 0..<bytes.count, using: &random)
                        : (Bool.random(using: &random)
                            ? Int.random(in: 0..<min(600, bytes.count), using: &random)
                            : Int.random(in: max(0, bytes.count - 800)..<bytes.count, using: &random))
                    bytes[index] = UInt8.random(in: 0...255, using: &random)
                }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: npz))
            do {
                let reader = try pool.openShard(0, columns: Set(PoolColumn.dataCompFeatures))
                try reader.forEachBatch { batch in _ = batch.embeddings(.dedup).row(0) }
            } catch is DataCompError {
                if trial % 3 == 0 { truncationFailures += 1 }
            }
        }
        // Any other error type or a crash fails the test; a truncated archive loses its ZIP end
        // record, so every truncation must be rejected.
        #expect(truncationFailures == 100)
    }
}
