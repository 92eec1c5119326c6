import DataCompCore

/// Keeps the samples whose caption fastText identifies as one language (DataComp: `en`), as the
/// `basic_filter`, `text_based` and image-based baselines do: newlines replaced by spaces, the
/// top label, no probability threshold.
///
/// ```swift
/// import DataCompFilters
///
/// let english = LanguageFilter(try LanguageIdentifier(resolver: .commandLine()), language: "en")
/// ```
public struct LanguageFilter: FilterStrategy {
    /// The fastText model.
    public let identifier: LanguageIdentifier
    /// The language kept (a fastText label without `__label__`, such as `en`).
    public let language: String

    /// Keeps the captions `identifier` labels `language`.
    public init(_ identifier: LanguageIdentifier, language: String = "en") {
        self.identifier = identifier
        self.language = language
    }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { [.text] }

    /// How reports name it.
    public var description: String { "fastText language is \(language)" }

    /// Its parameters, for the run's report.
    public var parameters: [(String, JSONValue)] { [("language", .string(language))] }

    /// The model file, fingerprinted with its SHA-256 in the report.
    public var assetPaths: [String] { [identifier.path] }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        identifier.rows(of: batch.texts, in: candidates, areIn: language)
    }
}
