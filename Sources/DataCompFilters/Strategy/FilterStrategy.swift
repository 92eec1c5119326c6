import DataCompCore

/// A rule that decides, batch by batch, which samples of a candidate pool to keep.
///
/// A strategy declares the pool columns it reads and turns a `PoolBatch` into a keep mask.
/// Per-sample rules (``SampleRule``), scores with a selection rule (``ScoreFilter``) and
/// compositions (``AllOfFilter``, ``AnyOfFilter``, ``NotFilter``) are strategies, so a composed
/// strategy is itself a strategy and can be composed again:
///
/// ```swift
/// import DataCompFilters
///
/// let longCaptions = SampleRule("caption longer than 5 characters", reading: [.text]) { batch, row in
///     batch.texts.unicodeScalarCount(at: row) > 5
/// }
/// let strategy = longCaptions && ScoreFilter(.clipL14Score, .topFraction(0.3))
/// print(strategy)  // (caption longer than 5 characters) and (clip_l14_similarity_score in the top 30% of the pool)
/// ```
///
/// Run a strategy over a pool with ``FilterStrategy/run(on:concurrency:progress:)``.
///
/// A strategy must be deterministic: the same batch gives the same mask.
public protocol FilterStrategy: Sendable, CustomStringConvertible {
    /// The pool columns the strategy reads; the runner also reads the uid column.
    var columns: Set<PoolColumn> { get }

    /// The selections that need the whole pool before any batch can be decided, such as a top
    /// fraction by score. Empty by default.
    var poolSelections: [PoolSelection] { get }

    /// The strategy's parameters as they appear in a run's report. Empty by default.
    var parameters: [(String, JSONValue)] { get }

    /// The files the strategy depends on (models, word lists); the report records each with its
    /// size and SHA-256. Empty by default.
    var assetPaths: [String] { get }

    /// The rows of `batch` to keep, among `candidates`.
    ///
    /// Rows outside `candidates` were already decided (dropped by an earlier rule of an
    /// intersection, kept by an earlier rule of a union): the result may keep only candidates,
    /// and a strategy may skip work on the other rows.
    ///
    /// - Parameters:
    ///   - batch: Rows of one pool shard, holding at least ``columns``.
    ///   - candidates: The rows still to decide (as many as the batch has).
    ///   - context: The thresholds of the pool selections and the counts of the run's report.
    /// - Returns: A mask with as many rows as the batch, a subset of `candidates`.
    /// - Throws: `DataCompError` (or the strategy's own error) when the batch cannot be decided.
    func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask
}

extension FilterStrategy {
    /// No pool selections.
    public var poolSelections: [PoolSelection] { [] }

    /// No parameters.
    public var parameters: [(String, JSONValue)] { [] }

    /// No assets.
    public var assetPaths: [String] { [] }
}

extension FilterStrategy {
    /// The rows of `batch` the strategy keeps, decided on the batch alone: for strategies without
    /// top-fraction selections (which need the whole pool), such as a caption filter applied
    /// while reading embeddings, or a strategy under test.
    ///
    /// - Parameter batch: Rows holding at least ``columns``.
    /// - Returns: One decision per row.
    /// - Throws: `DataCompError` with code `invalidArgument` if the strategy has pool
    ///   selections, or what the strategy throws.
    public func keep(_ batch: PoolBatch) throws -> RowMask {
        guard poolSelections.isEmpty else {
            throw DataCompError(
                .invalidArgument,
                "'\(self)' ranks samples over the whole pool, so a batch alone cannot be decided; run it over the pool")
        }
        var context = FilterContext()
        return try keep(batch, among: RowMask(count: batch.count, repeating: true), context: &context)
    }
}
