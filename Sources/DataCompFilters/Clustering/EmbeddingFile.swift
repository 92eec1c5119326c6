import DataCompCore

/// Reads matrices of embeddings or centroids from the files DataComp and its users keep them in:
/// `torch.save` files (read without running them, by `TorchCheckpoint`), `.npy` and `.npz`.
///
/// A `.pt`/`.pth` file may hold the matrix itself (DataComp's `*_centroids_l14.pt`, a NumPy array),
/// a dictionary with the key `image_features` (DataComp's `in1k_clip_vit_l14_*.pt`), or a
/// dictionary with exactly one array. An `.npz` may hold one array or one named `image_features`.
/// Several files are stacked row-wise, as DataComp concatenates its five ImageNet feature files.
///
/// ```swift
/// import DataCompFilters
///
/// let reference = try EmbeddingFile.read(["in1k_clip_vit_l14_0.pt", "in1k_clip_vit_l14_1.pt"])
/// let centroids = try EmbeddingFile.read(["small_centroids_l14.pt"])
/// ```
public enum EmbeddingFile {
    /// The rows of every file in `paths`, stacked, as `Float`.
    ///
    /// - Parameter paths: One or more files with `[n, d]` float16, float32 or float64 matrices.
    /// - Returns: A `[Σn, d]` tensor.
    /// - Throws: `DataCompError` naming the file: `fileNotFound`, the reader's format errors,
    ///   `missingMember` when no matrix can be found in it, `shapeMismatch` when a file is not
    ///   two-dimensional or the files' widths differ, `unsupportedDataType` for integer arrays.
    public static func read(_ paths: [String]) throws -> Tensor {
        precondition(!paths.isEmpty, "no embedding files given")
        var scalars: [Float] = []
        var width: Int?
        var rows = 0
        for path in paths {
            let array = try DataCompError.attributing(to: path) { try matrix(in: path) }
            guard array.shape.count == 2 else {
                throw DataCompError(
                    .shapeMismatch, "expected a two-dimensional [n, d] matrix, found shape \(array.shape)", path: path)
            }
            guard [.float16, .float32, .float64].contains(array.dataType) else {
                throw DataCompError(
                    .unsupportedDataType, "expected float16, float32 or float64 embeddings, found \(array.dataType)",
                    path: path)
            }
            if let width, width != array.shape[1] {
                throw DataCompError(
                    .shapeMismatch,
                    "rows of \(array.shape[1]) values, but \(paths[0]) has rows of \(width); all files must come from the same model",
                    path: path)
            }
            width = array.shape[1]
            rows += array.shape[0]
            scalars += try DataCompError.attributing(to: path) { try array.floats() }
        }
        return Tensor(shape: [rows, width ?? 0], scalars: scalars)
    }

    private static func matrix(in path: String) throws -> NPYArray {
        if path.hasSuffix(".npy") { return try NPYArray(contentsOfFile: path) }
        if path.hasSuffix(".npz") {
            let archive = try NPZArchive(contentsOfFile: path)
            if archive.keys.count == 1 { return try archive.array(named: archive.keys[0]) }
            return try archive.array(named: "image_features")
        }
        let checkpoint = try TorchCheckpoint(contentsOfFile: path)
        if let array = checkpoint.root.arrayValue { return array }
        if checkpoint.root["image_features"] != nil { return try checkpoint.array(at: "image_features") }
        if case .dictionary(let entries) = checkpoint.root {
            let arrays = entries.compactMap(\.value.arrayValue)
            if arrays.count == 1 { return arrays[0] }
        }
        throw DataCompError(
            .missingMember,
            "found a \(checkpoint.root.kindName) with no single matrix in it; save the matrix itself, or a dictionary with the key 'image_features'",
            path: path)
    }
}
