/// The ZIP container of a `torch.save` file: finds the pickle and hands the restricted
/// unpickler a way to load each tensor storage from its `data/<key>` member.
struct TorchArchive {
    private let storage: RawStorage
    private let entries: [String: ZipEntry]
    /// The folder all members live in (`archive/`, or the file's stem for older PyTorch).
    private let prefix: String

    /// The first bytes of a legacy (non-ZIP) `torch.save` file: protocol 2, then the pickled
    /// magic number 0x1950a86a20f9469cfc6c.
    private static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8]

    init(storage: RawStorage) throws {
        let bytes = storage.bytes
        if bytes.count >= Self.legacyMagic.count, zip(bytes, Self.legacyMagic).allSatisfy({ $0 == $1 }) {
            throw DataCompError(
                .unsupportedFormat,
                "this is PyTorch's legacy serialization (torch < 1.6, or _use_new_zipfile_serialization=False), which is not read; re-save it with torch.save(obj, path) in PyTorch 1.6 or later, or save the arrays with numpy.save",
                position: .offset(0))
        }
        guard bytes.count >= 4, bytes.loadUnaligned(as: UInt32.self) == UInt32(0x0403_4B50).littleEndian else {
            throw DataCompError(
                .invalidFormat,
                "not a PyTorch checkpoint: torch.save files are ZIP archives (they start with 'PK'); check that the file is a .pt written by torch.save",
                position: .offset(0))
        }
        let list = try ZipDirectory.entries(in: bytes)
        guard let pickle = list.first(where: { $0.name == "data.pkl" || $0.name.hasSuffix("/data.pkl") }) else {
            let isScript = list.contains { $0.name.hasSuffix("constants.pkl") || $0.name.contains("/code/") }
            throw DataCompError(
                isScript ? .unsupportedFormat : .invalidFormat,
                isScript
                    ? "this is a TorchScript archive (torch.jit.save), not a torch.save file; save the tensors with torch.save instead"
                    : "the ZIP archive has no data.pkl member, so it is not a torch.save file; its members are \(list.prefix(8).map(\.name).joined(separator: ", "))"
            )
        }
        self.storage = storage
        self.prefix = String(pickle.name.dropLast("data.pkl".count))
        var entries: [String: ZipEntry] = [:]
        for entry in list { entries[entry.name] = entry }
        self.entries = entries
        if let order = entries[prefix + "byteorder"] {
            let text = String(decoding: try self.bytes(of: order), as: UTF8.self)
            guard text == "little" else {
                throw DataCompError(
                    .unsupportedFormat, "the tensors are stored \(text)-endian; only little-endian files are read",
                    position: .member(order.name))
            }
        }
    }

    /// Unpickles `data.pkl`, loading each storage it refers to.
    func load() throws -> PickleValue {
        let name = prefix + "data.pkl"
        guard let entry = entries[name] else { preconditionFailure("found in init") }
        let pickle = try bytes(of: entry)
        do {
            var machine = PickleMachine(bytes: pickle) { key, type in try self.storage(key: key, type: type) }
            return try machine.run()
        } catch var error as DataCompError {
            if error.position == nil {
                error.position = .member(name)
            } else if let offset = error.position?.offset, error.position?.member == nil {
                error.position = .memberOffset(name, offset)
            }
            throw error
        }
    }

    /// The bytes of the storage `data/<key>`, viewed without a copy.
    private func storage(key: String, type: NPYDataType) throws -> RawStorage {
        let name = prefix + "data/" + key
        guard let entry = entries[name] else {
            throw DataCompError(
                .corruptData, "the pickle refers to the tensor storage '\(key)', but the archive has no member \(name)",
                position: .member(name))
        }
        guard entry.method == 0 else {
            throw DataCompError(
                .unsupportedFormat, "the storage member is compressed (method \(entry.method)); torch.save stores them",
                position: .member(name))
        }
        return storage.slice(entry.dataOffset..<(entry.dataOffset + entry.compressedSize))
    }

    private func bytes(of entry: ZipEntry) throws -> UnsafeRawBufferPointer {
        guard entry.method == 0 else {
            throw DataCompError(
                .unsupportedFormat, "the member is compressed (method \(entry.method)); torch.save stores every member",
                position: .member(entry.name))
        }
        return UnsafeRawBufferPointer(
            rebasing: storage.bytes[entry.dataOffset..<(entry.dataOffset + entry.compressedSize)])
    }
}
