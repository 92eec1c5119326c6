/// A NumPy `.npz` archive: a ZIP file of `.npy` members, as written by `np.savez` and
/// `np.savez_compressed`.
///
/// Opening an archive memory-maps it and reads its directory; arrays are parsed on demand.
/// Stored (uncompressed) members are mapped without a copy; deflated members are inflated into
/// memory and their CRC-32 is checked. ZIP64 archives are supported.
///
/// ```swift
/// let features = try NPZArchive(contentsOfFile: "0000000.npz")
/// let imageFeatures = try Tensor(features.array(named: "l14_img"))   // [N, 768]
/// ```
public struct NPZArchive: Sendable {
    /// One member of an archive.
    public struct Member: Hashable, Sendable {
        /// The member's file name inside the archive, for example `b32_img.npy`.
        public var name: String
        /// The array key NumPy uses: the name without its `.npy` extension.
        public var key: String
        /// Whether the member is deflated (`np.savez_compressed`) rather than stored.
        public var isCompressed: Bool
        /// The member's size inside the archive.
        public var compressedSize: Int
        /// The size of the member's `.npy` content.
        public var uncompressedSize: Int
    }

    /// How ``write(_:to:compression:)`` stores members.
    public enum Compression: Sendable, Hashable {
        /// Members are stored as they are, as `np.savez` does.
        case stored
        /// Members are deflated, as `np.savez_compressed` does.
        case deflated
    }

    /// The archive's path, when it was read from a file.
    public let path: String?
    /// The members in archive order.
    public let members: [Member]
    private let entries: [ZipEntry]
    private let storage: RawStorage

    /// The array keys in archive order (member names without `.npy`).
    public var keys: [String] { members.map(\.key) }

    /// Opens an `.npz` file, memory-mapping it.
    ///
    /// - Parameter path: The archive.
    /// - Throws: ``DataCompError`` naming the file and the byte offset or member: `invalidFormat`
    ///   (not a ZIP archive), `truncatedFile`, `corruptData`, `unsupportedFormat` (encryption,
    ///   compression methods other than stored and deflate), `fileNotFound`, `io`.
    public init(contentsOfFile path: String) throws {
        self = try MappedFile.parsing(path) { file in
            try NPZArchive(storage: RawStorage(file: file, range: 0..<file.count), path: path)
        }
    }

    /// Reads an `.npz` archive from memory (the bytes are copied).
    ///
    /// - Parameter bytes: The complete archive.
    /// - Throws: ``DataCompError``; see ``init(contentsOfFile:)``.
    public init(bytes: some Collection<UInt8>) throws {
        try self.init(storage: RawStorage(copyingCollection: bytes), path: nil)
    }

    private init(storage: RawStorage, path: String?) throws {
        let entries = try ZipDirectory.entries(in: storage.bytes)
        var members: [Member] = []
        var seen = Set<String>()
        for entry in entries {
            guard entry.flags & 0x1 == 0 else {
                throw DataCompError(
                    .unsupportedFormat, "member '\(entry.name)' is encrypted", position: .member(entry.name))
            }
            guard entry.method == 0 || entry.method == 8 else {
                throw DataCompError(
                    .unsupportedFormat,
                    "member '\(entry.name)' uses ZIP compression method \(entry.method); only stored (0) and deflate (8) are supported",
                    position: .member(entry.name))
            }
            // Deflate cannot expand data by more than about 1032:1; a larger claim is corrupt
            // (and must not make us allocate it).
            let (maximum, overflow) = entry.compressedSize.multipliedReportingOverflow(by: 1032)
            if entry.method == 8 && (overflow || entry.uncompressedSize > maximum + 1024) {
                throw DataCompError(
                    .corruptData,
                    "member '\(entry.name)' claims to inflate \(entry.compressedSize) bytes to \(entry.uncompressedSize), which deflate cannot do",
                    position: .member(entry.name))
            }
            if entry.method == 0 && entry.compressedSize != entry.uncompressedSize {
                throw DataCompError(
                    .corruptData,
                    "stored member '\(entry.name)' declares \(entry.compressedSize) stored bytes but a size of \(entry.uncompressedSize)",
                    position: .member(entry.name))
            }
            guard seen.insert(entry.name).inserted else {
                throw DataCompError(
                    .corruptData, "the archive holds two members named '\(entry.name)'", position: .member(entry.name))
            }
            let key = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            members.append(
                Member(
                    name: entry.name, key: key, isCompressed: entry.method == 8, compressedSize: entry.compressedSize,
                    uncompressedSize: entry.uncompressedSize))
        }
        self.path = path
        self.members = members
        self.entries = entries
        self.storage = storage
    }

    /// Returns the array stored under `key`.
    ///
    /// - Parameter key: The array key (`b32_img`) or the member name (`b32_img.npy`).
    /// - Returns: The array; mapped without a copy for stored members.
    /// - Throws: ``DataCompError`` naming the member: `missingMember` if there is no such key,
    ///   `corruptData` (bad deflate stream or CRC-32), or any error of ``NPYArray/init(contentsOfFile:)``.
    public func array(named key: String) throws -> NPYArray {
        guard let index = members.firstIndex(where: { $0.key == key }) ?? members.firstIndex(where: { $0.name == key })
        else {
            throw DataCompError(
                .missingMember, "the archive has no array '\(key)'; its keys are \(keys.joined(separator: ", "))",
                path: path)
        }
        let entry = entries[index]
        let range = entry.dataOffset..<(entry.dataOffset + entry.compressedSize)
        do {
            let member: RawStorage
            if entry.method == 0 {
                member = storage.slice(range)
            } else {
                let compressed = UnsafeRawBufferPointer(rebasing: storage.bytes[range])
                member = try RawStorage(count: entry.uncompressedSize) { destination in
                    try Deflate.zlib_inflateRaw(compressed, into: destination)
                }
                let crc = Deflate.zlib_crc32(0, member.bytes)
                guard crc == entry.crc32 else {
                    throw DataCompError(
                        .corruptData,
                        "CRC-32 mismatch: the archive records \(hex(entry.crc32)), the inflated data has \(hex(crc))")
                }
            }
            return try withExtendedLifetime(storage) { try NPYArray(parsing: member) }
        } catch var error as DataCompError {
            if let position = error.position, position.member == nil, let offset = position.offset {
                error.position = .memberOffset(entry.name, offset)
            } else if error.position == nil {
                error.position = .member(entry.name)
            }
            if let path { error = error.naming(path) }
            throw error
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
