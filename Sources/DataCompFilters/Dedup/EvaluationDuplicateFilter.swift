import DataCompCore

/// Drops the samples whose embedding is too similar to an evaluation image: de-duplication
/// against the downstream tasks' test sets.
///
/// Each candidate's embedding (by default `l14_img`) and each evaluation embedding are
/// L2-normalised; a sample is dropped when its cosine similarity with any evaluation embedding
/// reaches ``threshold``. DataComp's released pool was already de-duplicated against its
/// evaluation sets with a copy-detection model (`dedup` features, threshold 0.604169, issue #70);
/// this rule lets a pool of one's own, or new evaluation sets, be cleaned with any embedding the
/// pool carries. It streams: one matrix product per batch.
///
/// ```swift
/// import DataCompFilters
///
/// let evaluation = try EmbeddingFile.read(["imagenet_val_l14.npy"])
/// let clean = EvaluationDuplicateFilter(evaluationEmbeddings: evaluation, threshold: 0.9)
/// ```
public struct EvaluationDuplicateFilter: FilterStrategy {
    /// The embedding column compared.
    public let column: PoolColumn
    /// The normalised evaluation embeddings, `[m, d]`.
    public let evaluationEmbeddings: Tensor
    /// The cosine similarity at which a sample counts as a copy of an evaluation image.
    public let threshold: Float
    /// The files the evaluation embeddings came from, for the report.
    public let assetPaths: [String]

    /// Drops the samples of `column` within cosine `threshold` of any of `evaluationEmbeddings`.
    ///
    /// - Precondition: `column` is an embedding column, the embeddings are `[m, d]` with
    ///   `m >= 1`, and `threshold` is in (-1, 1].
    public init(
        column: PoolColumn = .l14Image, evaluationEmbeddings: Tensor, threshold: Float, assetPaths: [String] = []
    ) {
        precondition(column.isFeatureArray, "column '\(column)' is not an embedding column")
        precondition(evaluationEmbeddings.rank == 2 && evaluationEmbeddings.shape[0] > 0, "no evaluation embeddings")
        precondition(threshold > -1 && threshold <= 1, "a cosine-similarity threshold is in (-1, 1]")
        self.column = column
        self.evaluationEmbeddings = evaluationEmbeddings.rowNormalized()
        self.threshold = threshold
        self.assetPaths = assetPaths
    }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { [column] }

    /// How reports name it.
    public var description: String {
        "\(column.name) not within cosine \(threshold) of \(evaluationEmbeddings.shape[0]) evaluation embeddings"
    }

    /// Its parameters, for the run's report.
    public var parameters: [(String, JSONValue)] {
        [
            ("features", .string(column.name)), ("threshold", .shortest(threshold)),
            ("evaluation_embeddings", .int(evaluationEmbeddings.shape[0])),
        ]
    }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        let rows = candidates.selectedIndices
        guard !rows.isEmpty else { return candidates }
        let points = try SemanticDuplicateFilter.normalized(
            batch, column: column, dimensions: evaluationEmbeddings.shape[1], rows: rows)
        let similarities = Tensor.matmul(points, evaluationEmbeddings, transposeB: true)
        let width = evaluationEmbeddings.shape[0]
        var kept = candidates
        for (offset, row) in rows.enumerated() {
            let line = similarities.scalars[(offset * width)..<((offset + 1) * width)]
            if line.contains(where: { $0 >= threshold }) { kept[row] = false }
        }
        return kept
    }
}
