/// One sample of a WebDataset shard: the tar members that share a key, in archive order.
///
/// Python webdataset represents a sample as a dict `{"__key__": key, "__url__": shard, "jpg":
/// bytes, ...}`; here the bookkeeping entries are the ``key`` and ``url`` properties and the
/// members keep their order.
///
/// ```swift
/// var sample = WebDatasetSample(key: "000000000000")
/// sample["txt"] = MemberBytes(utf8: "a cat")
/// sample["jpg"] = MemberBytes(jpegBytes)
/// ```
public struct WebDatasetSample: Sendable, Hashable {
    /// One member of a sample: an extension and its bytes.
    public struct Member: Sendable, Hashable {
        /// The extension (the member name after the key's dot), for example `jpg` or
        /// `seg.png`; lower-cased when read from a tar, as webdataset does.
        public var fileExtension: String
        /// The member's content.
        public var bytes: MemberBytes

        /// Creates a member.
        ///
        /// - Parameters:
        ///   - fileExtension: The extension without the leading dot.
        ///   - bytes: The content.
        public init(fileExtension: String, bytes: MemberBytes) {
            self.fileExtension = fileExtension
            self.bytes = bytes
        }
    }

    /// The sample key: the member path up to the first dot of its file name (a directory part
    /// stays in the key), for example `000000001234` (webdataset's `__key__`).
    public var key: String
    /// The shard the sample was read from (webdataset's `__url__`); empty for new samples.
    public var url: String
    /// The members in archive order.
    public var members: [Member]

    /// Creates a sample.
    ///
    /// - Parameters:
    ///   - key: The sample key.
    ///   - url: The shard it comes from, if any.
    ///   - members: The members in order.
    public init(key: String, url: String = "", members: [Member] = []) {
        self.key = key
        self.url = url
        self.members = members
    }

    /// The extensions of the members, in order.
    public var fileExtensions: [String] { members.map(\.fileExtension) }

    /// Accesses the member with the given extension; setting `nil` removes it and setting a new
    /// extension appends it.
    ///
    /// - Parameter fileExtension: The extension, for example `json`.
    public subscript(fileExtension: String) -> MemberBytes? {
        get { members.first { $0.fileExtension == fileExtension }?.bytes }
        set {
            let index = members.firstIndex { $0.fileExtension == fileExtension }
            switch (index, newValue) {
            case (let index?, let value?): members[index].bytes = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append(Member(fileExtension: fileExtension, bytes: value))
            case (nil, nil): break
            }
        }
    }
}
