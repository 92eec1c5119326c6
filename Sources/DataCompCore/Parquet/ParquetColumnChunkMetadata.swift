/// What the footer says about one column chunk.
public struct ParquetColumnChunkMetadata: Sendable {
    /// The leaf column's path.
    public var path: [String]
    /// The compression codec of the chunk's pages.
    public var compression: ParquetCompression
    /// The encodings used by the chunk's pages (values and levels).
    public var encodings: [ParquetEncoding]
    /// The number of level entries (values including nulls and empty lists).
    public var valueCount: Int
    /// The bytes the chunk occupies in the file.
    public var compressedSize: Int
    /// The bytes of the chunk after decompression.
    public var uncompressedSize: Int
}
