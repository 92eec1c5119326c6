/// The record signatures and field values of the ZIP format that both the reader
/// (``ZipDirectory``) and the writer (``ZipWriter``) use (PKWARE APPNOTE 6.3).
enum ZipFormat {
    /// `PK\u{5}\u{6}`: end of central directory.
    static let endSignature: UInt32 = 0x0605_4b50
    /// `PK\u{6}\u{6}`: ZIP64 end of central directory.
    static let end64Signature: UInt32 = 0x0606_4b50
    /// `PK\u{6}\u{7}`: ZIP64 end of central directory locator.
    static let end64LocatorSignature: UInt32 = 0x0706_4b50
    /// `PK\u{1}\u{2}`: central directory file header.
    static let centralSignature: UInt32 = 0x0201_4b50
    /// `PK\u{3}\u{4}`: local file header.
    static let localSignature: UInt32 = 0x0403_4b50
    /// The extra-field id of the ZIP64 extended information.
    static let zip64ExtraID: UInt16 = 0x0001
    /// Compression method 0: stored.
    static let stored: UInt16 = 0
    /// Compression method 8: deflate.
    static let deflated: UInt16 = 8
}
