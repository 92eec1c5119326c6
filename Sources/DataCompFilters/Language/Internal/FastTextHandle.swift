import CFastTextShim
import DataCompCore

/// A loaded fastText model behind CFastTextShim; freed with the last reference.
///
/// Immutable after loading, and fastText predicts with state on the stack, so one handle serves
/// every thread.
final class FastTextHandle: @unchecked Sendable {
    private let model: OpaquePointer
    let path: String

    init(path: String) throws {
        var error = [CChar](repeating: 0, count: 512)
        guard let model = cft_load(path, &error, error.count) else {
            let message = Self.string(error)
            throw DataCompError(
                .invalidFormat,
                "fastText cannot load the model (\(message)); pass a fastText .bin or .ftz model such as lid.176.ftz",
                path: path)
        }
        self.model = model
        self.path = path
    }

    deinit { cft_free(model) }

    var labelCount: Int { Int(cft_label_count(model)) }

    /// The top `k` labels of one caption and their probabilities, as the Python binding's
    /// `predict(text, k)`; newlines become spaces first when `replacingNewlines`.
    func predict(
        utf8 bytes: UnsafeRawBufferPointer, replacingNewlines: Bool, k: Int
    ) throws -> [(label: String, probability: Float)] {
        let slot = 64
        var labels = [CChar](repeating: 0, count: slot * k)
        var probabilities = [Float](repeating: 0, count: k)
        var error = [CChar](repeating: 0, count: 256)
        var empty: CChar = 0
        let written = withUnsafePointer(to: &empty) { fallback in
            cft_predict(
                model, bytes.baseAddress?.assumingMemoryBound(to: CChar.self) ?? fallback, bytes.count,
                replacingNewlines ? 1 : 0, Int32(k), 0, &labels, slot, &probabilities, &error, error.count)
        }
        guard written >= 0 else {
            let message = Self.string(error)
            throw DataCompError(.invalidArgument, "fastText could not predict: \(message)", path: path)
        }
        return (0..<Int(written)).map { index in
            (Self.string(labels[(index * slot)..<((index + 1) * slot)]), probabilities[index])
        }
    }

    /// The NUL-terminated UTF-8 text at the start of a buffer the shim wrote.
    private static func string(_ buffer: some Collection<CChar>) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
