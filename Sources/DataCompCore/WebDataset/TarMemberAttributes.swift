/// The header fields written for every tar member, matching webdataset's `TarWriter` defaults.
///
/// Given the same samples and a fixed ``modificationTime``, ``WebDatasetTarWriter`` writes
/// the same bytes as webdataset 1.0.2's `TarWriter(fileobj, mtime=...)` on CPython 3.11.
public struct TarMemberAttributes: Sendable, Hashable {
    /// The owner name (`uname`); webdataset's default is `bigdata`.
    public var user: String
    /// The group name (`gname`); webdataset's default is `bigdata`.
    public var group: String
    /// The permission bits; webdataset's default is `0o444`.
    public var mode: Int
    /// The modification time in seconds since 1970, or `nil` for the time of writing.
    ///
    /// Set a fixed value for reproducible shards. (With `nil`, Python writes the fractional
    /// current time in an extra PAX record; this writer writes whole seconds and no record.)
    public var modificationTime: Int?

    /// Creates member attributes.
    ///
    /// - Parameters:
    ///   - user: The owner name.
    ///   - group: The group name.
    ///   - mode: The permission bits.
    ///   - modificationTime: Seconds since 1970, or `nil` for the time of writing.
    public init(user: String = "bigdata", group: String = "bigdata", mode: Int = 0o444, modificationTime: Int? = nil) {
        self.user = user
        self.group = group
        self.mode = mode
        self.modificationTime = modificationTime
    }
}
