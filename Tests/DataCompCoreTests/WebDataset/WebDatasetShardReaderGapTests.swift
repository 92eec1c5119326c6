import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Shards webdataset reads that the foundation refused or misread (webdataset-gaps, gaps_fixtures.py).
@Suite struct WebDatasetShardReaderGapTests {
    @Test("A gzip-compressed shard reads exactly as its uncompressed original")
    func readsGzipShards() throws {
        let plain = try WebDatasetShardReader.readAll(path: Fixtures.path("webdataset-gaps/shard.tar"))
        let compressed = try WebDatasetShardReader.readAll(path: Fixtures.path("webdataset-gaps/shard.tar.gz"))
        #expect(plain.count == 3)
        #expect(compressed.map(\.key) == plain.map(\.key))
        #expect(compressed.map(\.members) == plain.map(\.members))
    }

    @Test("A PAX GNU sparse member is rejected by name instead of read as its packed bytes")
    func rejectsSparseMembers() throws {
        let error = try #require(throws: DataCompError.self) {
            _ = try WebDatasetShardReader.readAll(path: Fixtures.path("webdataset-gaps/sparse.tar"))
        }
        #expect(error.code == .unsupportedFormat)
        #expect(error.position?.member == "000000000.bin")
        #expect(error.message.contains("--sparse"))
    }
}
