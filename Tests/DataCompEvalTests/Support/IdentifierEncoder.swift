import DataCompEval
import Foundation

/// A test encoder with fixed embeddings, as `Scripts/fixtures/eval_fixtures.py` defines them.
///
/// Every image is one colour that encodes an id (`id = R / 4 + 64 · (G / 4)`), mapped to a row of
/// `image_embeddings.npy`; every text is looked up in `texts.json` / `text_embeddings.npy`. Both
/// are L2-normalised, as a CLIP encoder returns them.
struct IdentifierEncoder: ImageTextEncoder {
    let imageTable: Tensor
    let textRows: [String: Int]
    let textTable: Tensor
    /// Every text asked for, so tests can check the prompts.
    let requestedTexts = RequestLog()

    var embeddingDimension: Int { imageTable.shape[1] }
    /// 8×8 images pass through unchanged: resize to 8, centre crop 8, mean 0, std 1 (pixels / 255).
    var imagePreprocessor: ImagePreprocessor {
        ImagePreprocessor(size: 8, mean: [0, 0, 0], standardDeviation: [1, 1, 1])
    }

    init(directory: String) throws {
        imageTable = try Tensor(NPYArray(contentsOfFile: directory + "/image_embeddings.npy"))
        textTable = try Tensor(NPYArray(contentsOfFile: directory + "/text_embeddings.npy"))
        let texts = try JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: directory + "/texts.json")))
        var rows: [String: Int] = [:]
        for (index, text) in (texts.arrayValue ?? []).enumerated() { rows[text.stringValue ?? ""] = index }
        textRows = rows
    }

    init(imageTable: Tensor, texts: [String], textTable: Tensor) {
        self.imageTable = imageTable
        self.textTable = textTable
        textRows = Dictionary(uniqueKeysWithValues: texts.enumerated().map { ($1, $0) })
    }

    /// The id a pixel batch row encodes.
    static func identifier(red: Float, green: Float) -> Int {
        Int((red * 255).rounded()) / 4 + 64 * (Int((green * 255).rounded()) / 4)
    }

    func encodeImages(_ pixels: Tensor) throws -> Tensor {
        let count = pixels.shape[0]
        let plane = 8 * 8
        var rows: [Int] = []
        pixels.withUnsafeBufferPointer { values in
            for image in 0..<count {
                let base = image * 3 * plane
                rows.append(Self.identifier(red: values[base + 3 * 8 + 3], green: values[base + plane + 3 * 8 + 3]))
            }
        }
        return try lookUp(rows, in: imageTable, what: "image id")
    }

    func encodeTexts(_ texts: StringColumn) throws -> Tensor {
        let strings = (0..<texts.count).map { texts[$0] }
        requestedTexts.append(strings)
        let rows = try strings.map { text in
            guard let row = textRows[text] else {
                throw DataCompError(.invalidArgument, "text not in texts.json: \(text.debugDescription)")
            }
            return row
        }
        return try lookUp(rows, in: textTable, what: "text")
    }

    private func lookUp(_ rows: [Int], in table: Tensor, what: String) throws -> Tensor {
        let dimension = table.shape[1]
        var scalars: [Float] = []
        try table.withUnsafeBufferPointer { values in
            for row in rows {
                guard row >= 0 && row < table.shape[0] else {
                    throw DataCompError(.invalidArgument, "\(what) \(row) has no embedding")
                }
                scalars.append(contentsOf: values[(row * dimension)..<((row + 1) * dimension)])
            }
        }
        return Tensor(shape: [rows.count, dimension], scalars: scalars).rowNormalized()
    }
}

/// A thread-safe list of the texts an encoder was asked for.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String] = []
    func append(_ more: [String]) { lock.withLock { texts += more } }
    var all: [String] { lock.withLock { texts } }
}
