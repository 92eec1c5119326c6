/// A Parquet value or level encoding, identified by its number in the specification.
public struct ParquetEncoding: Hashable, Sendable, CustomStringConvertible {
    /// The encoding's number in `parquet.thrift`.
    public let rawValue: Int32

    /// Creates an encoding from its number in `parquet.thrift`.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Values stored back to back.
    public static let plain = ParquetEncoding(rawValue: 0)
    /// Dictionary indices (the legacy name of ``rleDictionary``).
    public static let plainDictionary = ParquetEncoding(rawValue: 2)
    /// The RLE/bit-packed hybrid.
    public static let rle = ParquetEncoding(rawValue: 3)
    /// Delta-encoded integers.
    public static let deltaBinaryPacked = ParquetEncoding(rawValue: 5)
    /// Delta-encoded lengths followed by the bytes.
    public static let deltaLengthByteArray = ParquetEncoding(rawValue: 6)
    /// Incremental (prefix/suffix) byte arrays.
    public static let deltaByteArray = ParquetEncoding(rawValue: 7)
    /// Dictionary indices in the RLE/bit-packed hybrid.
    public static let rleDictionary = ParquetEncoding(rawValue: 8)
    /// The bytes of each value split into streams.
    public static let byteStreamSplit = ParquetEncoding(rawValue: 9)

    /// The specification's name, for example `RLE_DICTIONARY`.
    public var description: String {
        switch rawValue {
        case 0: "PLAIN"
        case 2: "PLAIN_DICTIONARY"
        case 3: "RLE"
        case 4: "BIT_PACKED"
        case 5: "DELTA_BINARY_PACKED"
        case 6: "DELTA_LENGTH_BYTE_ARRAY"
        case 7: "DELTA_BYTE_ARRAY"
        case 8: "RLE_DICTIONARY"
        case 9: "BYTE_STREAM_SPLIT"
        default: "encoding \(rawValue)"
        }
    }
}
