import ArgumentParser
import DataComp

/// `datacomp inspect PATH`: a JSON summary of a DataComp file.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a JSON summary of a .npy, .npz, .tar, .safetensors, .parquet or image file.",
        discussion: """
            NPY: dtype and shape. NPZ: each member's dtype and shape. Tar: sample count and \
            extensions. Safetensors: tensor names, dtypes and shapes. Images: width, height, \
            mode and format. Parquet: rows, row groups, schema, codecs and encodings per column.
            """
    )

    @Argument(help: "The file to summarize.")
    var path: String

    func run() throws {
        var summary = try Self.summarize(path: path)
        // Every summary starts with the path it describes.
        if case .object(let members) = summary, !members.contains(where: { $0.0 == "path" }) {
            summary = .object([("path", .string(path))] + members)
        }
        print(summary.serialized(indent: 2))
    }

    static func summarize(path: String) throws -> JSONValue {
        let lower = path.lowercased()
        let ext = lower.split(separator: ".").last.map(String.init) ?? ""
        switch ext {
        case "npy": return try summarizeNPY(path: path)
        case "npz": return try summarizeNPZ(path: path)
        case "tar": return try summarizeWebDataset(path: path)
        case "safetensors": return try summarizeSafetensors(path: path)
        case "jpg", "jpeg", "png", "webp": return try summarizeImage(path: path)
        case "parquet": return try summarizeParquet(path: path)
        default:
            throw DataCompError(
                .unsupportedFormat,
                "cannot inspect files with extension '.\(ext)'; expected .npy, .npz, .tar, .safetensors, .parquet, .jpg, .jpeg, .png or .webp",
                path: path)
        }
    }
}
