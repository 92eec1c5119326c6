import DataCompCore

/// Turns a batch of samples into one score per sample.
///
/// A scorer reads the columns it declares (a metadata column, an `.npz` array, a sidecar score
/// file) and returns one `Float` per row of the batch; a ``ScoreFilter`` pairs it with a
/// selection rule. Scores must be deterministic.
public protocol SampleScorer: Sendable, CustomStringConvertible {
    /// The pool columns the scorer reads.
    var columns: Set<PoolColumn> { get }

    /// One score per row of `batch` (`batch.count` values). A row without a score is `.nan`,
    /// which no selection keeps.
    func scores(for batch: PoolBatch) throws -> [Float]
}

/// The values of one numeric column as scores: DataComp's CLIP similarity columns, a sidecar
/// score file's column, a user's own metadata column.
///
/// Integer and double columns are converted to `Float`; missing (null) values become `.nan`, as
/// pandas reads them.
public struct ColumnScorer: SampleScorer, Hashable {
    /// The column read.
    public let column: PoolColumn

    /// Scores the samples by the values of `column` (a float, double or integer column).
    ///
    /// - Precondition: The column holds numbers.
    public init(_ column: PoolColumn) {
        precondition(
            [.float, .double, .integer].contains(column.valueType),
            "column '\(column)' holds \(column.valueType) values, not numbers")
        self.column = column
    }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { [column] }

    /// How reports name it.
    public var description: String { column.name }

    /// One score per row of `batch`; see ``SampleScorer/scores(for:)``.
    public func scores(for batch: PoolBatch) throws -> [Float] {
        var scores: [Float]
        switch batch[column] {
        case .floats(let values): scores = values
        case .doubles(let values): scores = values.map { Float($0) }
        case .integers(let values): scores = values.map { Float($0) }
        default: preconditionFailure("column '\(column)' holds \(column.valueType) values, not numbers")
        }
        if let validity = batch.validity(of: column) {
            for row in 0..<scores.count where !validity[row] { scores[row] = .nan }
        }
        return scores
    }
}

/// A scorer defined by a closure over a batch, for scores computed on the fly.
public struct ClosureScorer: SampleScorer {
    /// The pool columns it reads.
    public let columns: Set<PoolColumn>
    /// How reports name it.
    public let description: String
    private let body: @Sendable (PoolBatch) throws -> [Float]

    /// A scorer named `name` that reads `columns` and scores a batch with `body`.
    ///
    /// - Parameters:
    ///   - name: How reports name the score.
    ///   - columns: The columns `body` reads.
    ///   - body: One score per row of the batch it is given.
    public init(
        _ name: String, reading columns: Set<PoolColumn>, _ body: @escaping @Sendable (PoolBatch) throws -> [Float]
    ) {
        self.description = name
        self.columns = columns
        self.body = body
    }

    /// One score per row of `batch`; see ``SampleScorer/scores(for:)``.
    public func scores(for batch: PoolBatch) throws -> [Float] {
        let scores = try body(batch)
        guard scores.count == batch.count else {
            throw DataCompError(
                .rowCountMismatch,
                "the scorer '\(description)' returned \(scores.count) scores for a batch of \(batch.count) rows; return one score per row"
            )
        }
        return scores
    }
}

extension SampleScorer where Self == ColumnScorer {
    /// The values of a numeric column as scores.
    public static func column(_ column: PoolColumn) -> ColumnScorer { ColumnScorer(column) }
}
