import DataCompCore
import Testing

@Suite struct ParquetCodecsTests {
    private static let first = Array("a GZIP page may hold ".utf8)
    private static let second = Array("several members one after another".utf8)

    @Test("GZIP pages with several members inflate to their concatenation")
    func gzipInflatesConcatenatedMembers() throws {
        // parquet-mr and Python's gzip module both read concatenated members as one stream.
        let compressed = try Gzip.compress(Self.first) + Gzip.compress(Self.second)
        var output = [UInt8](repeating: 0, count: Self.first.count + Self.second.count)
        try compressed.withUnsafeBytes { input in
            try output.withUnsafeMutableBytes { try ParquetCodecs.parquet_gzip_inflate(input, into: $0) }
        }
        #expect(output == Self.first + Self.second)
    }

    @Test("A GZIP page that holds more or less than its header declares is corrupt")
    func gzipSizeMismatchIsCorrupt() throws {
        let compressed = try Gzip.compress(Self.first)
        for size in [Self.first.count - 1, Self.first.count + 1] {
            var output = [UInt8](repeating: 0, count: size)
            let error = try #require(throws: DataCompError.self) {
                try compressed.withUnsafeBytes { input in
                    try output.withUnsafeMutableBytes { try ParquetCodecs.parquet_gzip_inflate(input, into: $0) }
                }
            }
            #expect(error.code == .corruptData)
            #expect(error.message.contains("GZIP"))
        }
    }
}
