/// A Parquet compression codec, identified by its number in the specification.
public struct ParquetCompression: Hashable, Sendable, CustomStringConvertible {
    /// The codec's number in `parquet.thrift`.
    public let rawValue: Int32

    /// Creates a codec from its number in `parquet.thrift`.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// No compression.
    public static let uncompressed = ParquetCompression(rawValue: 0)
    /// Raw Snappy blocks.
    public static let snappy = ParquetCompression(rawValue: 1)
    /// GZIP streams.
    public static let gzip = ParquetCompression(rawValue: 2)
    /// Brotli streams.
    public static let brotli = ParquetCompression(rawValue: 4)
    /// Legacy LZ4: Hadoop-framed blocks (parquet-mr) or one raw block (old parquet-cpp).
    public static let lz4 = ParquetCompression(rawValue: 5)
    /// Zstandard frames.
    public static let zstd = ParquetCompression(rawValue: 6)
    /// Raw LZ4 blocks.
    public static let lz4Raw = ParquetCompression(rawValue: 7)

    /// The specification's name, for example `SNAPPY`.
    public var description: String {
        switch rawValue {
        case 0: "UNCOMPRESSED"
        case 1: "SNAPPY"
        case 2: "GZIP"
        case 3: "LZO"
        case 4: "BROTLI"
        case 5: "LZ4"
        case 6: "ZSTD"
        case 7: "LZ4_RAW"
        default: "codec \(rawValue)"
        }
    }
}
