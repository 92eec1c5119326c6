/// Reads the samples of one WebDataset shard (a `.tar`, or a gzip-compressed `.tar.gz`) one at a time, grouping
/// members exactly like Python webdataset 1.0.2's `tar_file_expander` + `group_by_keys`.
///
/// The shard is memory-mapped and read sequentially; only the current sample is assembled, and
/// its member bytes are zero-copy views into the mapping (``MemberBytes``).
///
/// Grouping rules (webdataset 1.0.2 on CPython 3.11 `tarfile`):
/// - Only regular files are members; directories, links and other entries are skipped.
/// - Names without a `/` that start and end with `__`, and names matching `__[^/]*__($|/)`, are
///   skipped (webdataset's metadata entries).
/// - A name splits into key and extension at the first dot of its file name, with the directory
///   part kept in the key (the regular expression `^((?:.*/|)[^.]+)[.]([^/]*)$`); names that do
///   not match (no dot, or a file name starting with a dot) are skipped. Extensions are
///   lower-cased.
/// - A new sample starts whenever the key changes.
/// - An extension that repeats within a sample (including `__key__` and `__url__`) is an error in
///   webdataset (`ValueError: duplicate file name`); this reader throws `corruptData`, unless
///   ``DuplicateExtensionPolicy/startNewSample`` is chosen, which mirrors OpenCLIP's
///   `group_by_keys_nothrow`.
///
/// Where Python's `tarfile` silently stops at a damaged header after the first member (bad
/// checksum, partial header block), this reader throws instead, so damaged shards never pass for
/// short ones; a file cut inside its end-of-archive zeros still reads as complete. Compressed
/// tars and GNU sparse members are rejected with `unsupportedFormat`. Member names are decoded as UTF-8 with invalid bytes replaced by U+FFFD (Python
/// keeps them as surrogate escapes).
///
/// ```swift
/// var reader = try WebDatasetShardReader(path: "shards/00000000.tar")
/// while let sample = try reader.next() {
///     print(sample.key, sample.fileExtensions)
/// }
/// ```
public struct WebDatasetShardReader {
    /// What to do when an extension repeats within one sample.
    public enum DuplicateExtensionPolicy: Sendable, Hashable {
        /// Throw `corruptData`, as webdataset's `group_by_keys` raises `ValueError`.
        case throwError
        /// Start a new sample with the same key, as OpenCLIP's `group_by_keys_nothrow` does.
        case startNewSample
    }

    /// The shard's path (each sample's ``WebDatasetSample/url``).
    public let path: String
    /// The duplicate-extension rule in use.
    public let duplicatePolicy: DuplicateExtensionPolicy
    private let file: MappedFile
    private var parser: TarParser
    private var current: WebDatasetSample?
    private var currentOffset = 0
    private var pending: (entry: TarEntry, key: String, fileExtension: String)?
    private var isDone = false
    /// Whether a damaged archive first gives up the sample assembled before the damage.
    public let keepsSamplesBeforeDamage: Bool
    private var pendingError: DataCompError?

    /// Opens a shard.
    ///
    /// A gzip-compressed shard (`.tar.gz`, `.tgz`, recognised by its magic bytes, as webdataset
    /// reads it) is decompressed into memory first; an uncompressed one is memory-mapped.
    ///
    /// - Parameters:
    ///   - path: The `.tar` (or gzip-compressed `.tar.gz`) file.
    ///   - duplicatePolicy: What to do when an extension repeats within a sample.
    ///   - keepsSamplesBeforeDamage: When the archive turns out damaged or truncated, first return
    ///   the sample assembled so far (with the members read before the damage), then throw on the
    ///   next call: what webdataset's fault-tolerant pipelines (`tarfile_to_samples_nothrow`) yield.
    /// - Throws: ``DataCompError`` with code `fileNotFound` or `io`, or `corruptData` /
    ///   `truncatedFile` for a damaged gzip stream.
    public init(
        path: String, duplicatePolicy: DuplicateExtensionPolicy = .throwError, keepsSamplesBeforeDamage: Bool = false
    ) throws {
        self.path = path
        self.duplicatePolicy = duplicatePolicy
        self.keepsSamplesBeforeDamage = keepsSamplesBeforeDamage
        let mapped = try MappedFile(path: path)
        if mapped.count >= 2, mapped.bytes[0] == 0x1F, mapped.bytes[1] == 0x8B {
            let contents = try DataCompError.attributing(to: path) {
                try Gzip.zlib_gunzip(mapped.bytes, maximumSize: 1 << 36)
            }
            file = MappedFile(contents: contents, path: path)
        } else {
            file = mapped
        }
        parser = TarParser(bytes: file.bytes)
    }

    /// The byte offset of the next unread tar header.
    public var byteOffset: Int { parser.offset }

    /// The size of the shard file in bytes.
    public var fileSize: Int { file.count }

    /// Returns the next sample, or `nil` after the last one.
    ///
    /// - Returns: The next sample in archive order.
    /// - Throws: ``DataCompError`` naming the shard, the byte offset and the member for damaged
    ///   or truncated archives and duplicate extensions.
    public mutating func next() throws -> WebDatasetSample? {
        if let pendingError {
            self.pendingError = nil
            throw pendingError
        }
        if isDone { return nil }
        do {
            return try withExtendedLifetime(file) { try nextSample() }
        } catch let error as DataCompError {
            isDone = true
            if keepsSamplesBeforeDamage, let sample = current {
                current = nil
                pendingError = error.naming(path)
                return sample
            }
            throw error.naming(path)
        }
    }

    private mutating func nextSample() throws -> WebDatasetSample? {
        while true {
            guard let entry = try parser.next() else {
                isDone = true
                let last = current
                current = nil
                return last
            }
            guard entry.isRegular, !Self.isMetadataName(entry.name),
                let (key, rawExtension) = Self.splitKey(entry.name)
            else { continue }
            let fileExtension = rawExtension.lowercased()
            let bytes = MemberBytes(mapping: file, range: entry.dataOffset..<(entry.dataOffset + entry.size))
            let member = WebDatasetSample.Member(fileExtension: fileExtension, bytes: bytes)
            if var sample = current, sample.key == key {
                let duplicate =
                    fileExtension == "__key__" || fileExtension == "__url__"
                    || sample.members.contains { $0.fileExtension == fileExtension }
                if duplicate {
                    switch duplicatePolicy {
                    case .throwError:
                        throw DataCompError(
                            .corruptData,
                            "duplicate file name in tar file: sample '\(key)' already has a '.\(fileExtension)' member (webdataset raises ValueError here); use DuplicateExtensionPolicy.startNewSample to split such samples",
                            position: .memberOffset(entry.name, entry.headerOffset))
                    case .startNewSample:
                        current = WebDatasetSample(key: key, url: path, members: [member])
                        return sample
                    }
                }
                sample.members.append(member)
                current = sample
                continue
            }
            if fileExtension == "__key__" || fileExtension == "__url__" {
                if duplicatePolicy == .throwError {
                    throw DataCompError(
                        .corruptData,
                        "member extension '.\(fileExtension)' collides with webdataset's bookkeeping entry (webdataset raises ValueError here)",
                        position: .memberOffset(entry.name, entry.headerOffset))
                }
            }
            let finished = current
            current = WebDatasetSample(key: key, url: path, members: [member])
            if let finished { return finished }
        }
    }

    /// Reads every sample of a shard into memory (convenient for small shards and tests).
    ///
    /// - Parameters:
    ///   - path: The `.tar` file.
    ///   - duplicatePolicy: What to do when an extension repeats within a sample.
    /// - Returns: The samples in archive order.
    /// - Throws: ``DataCompError`` as ``next()`` does.
    public static func readAll(
        path: String, duplicatePolicy: DuplicateExtensionPolicy = .throwError
    ) throws -> [WebDatasetSample] {
        var reader = try WebDatasetShardReader(path: path, duplicatePolicy: duplicatePolicy)
        var samples: [WebDatasetSample] = []
        while let sample = try reader.next() { samples.append(sample) }
        return samples
    }

    /// Whether webdataset's `tar_file_iterator` skips `name` as metadata: no `/` and starting and
    /// ending with `__`, or matching `__[^/]*__($|/)` at the start.
    package static func isMetadataName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count >= 2, bytes[0] == 0x5F, bytes[1] == 0x5F else { return false }
        let slash = bytes.firstIndex(of: 0x2F)
        if slash == nil, bytes.last == 0x5F, bytes[bytes.count - 2] == 0x5F { return true }
        let segment = bytes[..<(slash ?? bytes.count)]
        if segment.count >= 4, segment.suffix(2).elementsEqual([0x5F, 0x5F]) { return true }
        // `$` also matches before a final newline.
        if slash == nil, segment.count >= 5, segment.suffix(3).elementsEqual([0x5F, 0x5F, 0x0A]) { return true }
        return false
    }

    /// Splits a member name into key and extension like webdataset's `base_plus_ext`
    /// (`^((?:.*/|)[^.]+)[.]([^/]*)$`), or returns `nil` when the name does not match.
    package static func splitKey(_ name: String) -> (key: String, fileExtension: String)? {
        let scalars = Array(name.unicodeScalars)
        // Candidate directory ends, in the regular expression's backtracking order: after each
        // `/` from the last to the first (`.*` does not cross a newline), then the empty prefix.
        var starts: [Int] = []
        var index = scalars.count - 1
        while index >= 0 {
            if scalars[index] == "/" { starts.append(index + 1) }
            index -= 1
        }
        let firstNewline = scalars.firstIndex(of: "\n") ?? scalars.count
        starts = starts.filter { $0 - 1 <= firstNewline }
        starts.append(0)
        for start in starts {
            var dot = start
            while dot < scalars.count, scalars[dot] != "." { dot += 1 }
            guard dot > start, dot < scalars.count else { continue }
            let rest = scalars[(dot + 1)...]
            if rest.contains("/") { continue }
            var key = String.UnicodeScalarView()
            key.append(contentsOf: scalars[..<dot])
            var ext = String.UnicodeScalarView()
            ext.append(contentsOf: rest)
            return (String(key), String(ext))
        }
        return nil
    }
}
