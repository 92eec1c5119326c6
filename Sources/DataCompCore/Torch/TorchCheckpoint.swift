/// A file written by PyTorch's `torch.save`, read without running any of it.
///
/// `torch.save` writes a ZIP archive holding a pickle (`<name>/data.pkl`) and one member per
/// tensor storage (`<name>/data/<key>`). Pickles can name any Python function, so this reader
/// is a restricted unpickler: it understands the opcodes of pickle protocols 0–5 but resolves
/// only an allow-list of globals — PyTorch's tensor and storage rebuilders, NumPy's array, dtype
/// and scalar reconstructors, `collections.OrderedDict` and `_codecs.encode` — and never calls
/// anything. A file that names any other global is refused with an error that names it.
///
/// DataComp's image-based baseline assets are such files: the centroids are a NumPy array saved
/// with `torch.save(array, pickle_protocol=4)`, the ImageNet features a dictionary
/// `{"image_features": tensor}`.
///
/// ```swift
/// import DataCompCore
///
/// let assets = try TorchCheckpoint(contentsOfFile: "in1k_clip_vit_l14_0.pt")
/// let features = try assets.array(at: "image_features")   // a float16 tensor [N, 768]
/// let centroids = try TorchCheckpoint(contentsOfFile: "small_centroids_l14.pt").root.arrayValue
/// ```
///
/// Tensor data is mapped from the file without a copy when it is contiguous; a strided view is
/// gathered into a contiguous array. Tensors come out as ``NPYArray`` values: float16, float32,
/// float64, int8, int32, int64, uint8 and bool; bfloat16 and int16 tensors are refused. The
/// legacy (pre-1.6, non-ZIP) format and TorchScript archives are refused with the fix.
public struct TorchCheckpoint: Sendable {
    /// The file read.
    public let path: String?
    /// The unpickled object: usually a dictionary (a state dict or a dictionary of arrays) or a
    /// single array.
    public let root: PickleValue

    /// Reads a `torch.save` file.
    ///
    /// - Parameter path: The `.pt` / `.pth` / `.bin` file.
    /// - Throws: ``DataCompError`` naming the file and, inside it, the archive member and byte
    ///   offset: `fileNotFound`, `io`, `invalidFormat` (not a ZIP archive, no `data.pkl`, a
    ///   malformed pickle), `truncatedFile`, `unsupportedFormat` (a global outside the allow-list,
    ///   legacy or TorchScript files, big-endian data), `unsupportedDataType`, `corruptData`
    ///   (a tensor that reaches past its storage).
    public init(contentsOfFile path: String) throws {
        self = try MappedFile.parsing(path) { file in
            try TorchCheckpoint(storage: RawStorage(file: file, range: 0..<file.count), path: path)
        }
    }

    /// Reads a `torch.save` file held in memory (the bytes are copied).
    ///
    /// - Parameter bytes: The whole file.
    /// - Throws: ``DataCompError``; see ``init(contentsOfFile:)``.
    public init(bytes: some Collection<UInt8>) throws {
        try self.init(storage: RawStorage(copyingCollection: bytes), path: nil)
    }

    private init(storage: RawStorage, path: String?) throws {
        self.path = path
        self.root = try TorchArchive(storage: storage).load()
    }

    /// The array stored under `key` in the root dictionary.
    ///
    /// - Parameter key: A string key of the root dictionary, such as `image_features`.
    /// - Returns: The tensor or NumPy array stored there.
    /// - Throws: ``DataCompError`` with code `missingMember` listing the keys the file has, or
    ///   `dtypeMismatch` when the value is not an array.
    public func array(at key: String) throws -> NPYArray {
        guard let value = root[key] else {
            let keys = root.stringKeys
            throw DataCompError(
                .missingMember,
                keys.isEmpty
                    ? "the file holds a \(root.kindName), not a dictionary with the key '\(key)'"
                    : "the file has no key '\(key)'; its keys are \(keys.joined(separator: ", "))",
                path: path)
        }
        guard let array = value.arrayValue else {
            throw DataCompError(
                .dtypeMismatch, "the value under '\(key)' is a \(value.kindName), not a tensor or array", path: path,
                position: .member(key))
        }
        return array
    }
}
