import ArgumentParser
import DataComp
import Foundation

/// `datacomp inspect PATH`: a JSON summary of a DataComp file.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a JSON summary of a .npy, .npz, .tar(.gz), .safetensors, .parquet or image file.",
        discussion: """
            NPY: dtype and shape. NPZ: each member's dtype and shape. Tar (plain or gzip): sample \
            count and extensions. Images are recognised by content, whatever their extension. Safetensors: tensor names, dtypes and shapes. Images: width, height, \
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
        if lower.hasSuffix(".tar") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") {
            return try summarizeWebDataset(path: path)
        }
        let ext = lower.split(separator: ".").last.map(String.init) ?? ""
        switch ext {
        case "npy": return try summarizeNPY(path: path)
        case "npz": return try summarizeNPZ(path: path)
        case "safetensors": return try summarizeSafetensors(path: path)
        case "parquet": return try summarizeParquet(path: path)
        default:
            // Images are recognised by their content, as `preprocess` decodes them: .mpo, .apng,
            // .jfif or no extension at all.
            let head = try? Self.head(of: path)
            if let head, ImageFormat.sniff(head) != nil { return try summarizeImage(path: path) }
            throw DataCompError(
                .unsupportedFormat,
                "cannot inspect files with extension '.\(ext)': expected .npy, .npz, .tar, .tar.gz, .safetensors or .parquet, or a JPEG, PNG or WebP image (recognised by its content"
                    + (head == nil ? "; this file cannot be read)" : "; this file is not one)"),
                path: path)
        }
    }

    /// The first 16 bytes of a file.
    private static func head(of path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataCompError(.fileNotFound, "cannot open the file", path: path)
        }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: 16)) ?? Data())
    }
}
