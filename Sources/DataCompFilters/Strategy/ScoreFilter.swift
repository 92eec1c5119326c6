import DataCompCore

/// Keeps the samples whose score a selection rule accepts: a threshold, the top fraction of the
/// whole pool, or everything.
///
/// ```swift
/// import DataCompFilters
///
/// let clipScore = ScoreFilter(.clipL14Score, .topFraction(0.3))  // DataComp's clip_score baseline
/// let custom = ScoreFilter(ColumnScorer(.sidecar("aesthetic", in: "scores/")), .atLeast(5.5))
/// ```
public struct ScoreFilter: FilterStrategy {
    /// The score of each sample.
    public let scorer: any SampleScorer
    /// How scores become keep decisions.
    public let selection: ScoreSelection

    /// Keeps the samples whose `scorer` score `selection` accepts.
    ///
    /// - Precondition: A top fraction is in (0, 1].
    public init(_ scorer: any SampleScorer, _ selection: ScoreSelection) {
        if case .topFraction(let fraction) = selection {
            precondition(fraction > 0 && fraction <= 1, "a top fraction must be in (0, 1], not \(fraction)")
        }
        self.scorer = scorer
        self.selection = selection
    }

    /// Keeps the samples whose value in the numeric `column` `selection` accepts.
    public init(_ column: PoolColumn, _ selection: ScoreSelection) {
        self.init(ColumnScorer(column), selection)
    }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { selection == .all ? [] : scorer.columns }

    /// The pool selections it needs (its parts' selections for a composition).
    public var poolSelections: [PoolSelection] {
        guard case .topFraction(let fraction) = selection else { return [] }
        return [PoolSelection(scorer: scorer, fraction: fraction)]
    }

    /// Its parameters, for the run's report.
    public var parameters: [(String, JSONValue)] {
        switch selection {
        case .atLeast(let threshold):
            [("score", .string(scorer.description)), ("threshold", .shortest(threshold))]
        case .topFraction(let fraction): [("score", .string(scorer.description)), ("fraction", .double(fraction))]
        case .all: []
        }
    }

    /// How reports name it.
    public var description: String { "\(scorer) \(selection)" }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        switch selection {
        case .all:
            return candidates
        case .atLeast(let threshold):
            return FilterContext.rows(of: try scorer.scores(for: batch), atLeast: threshold, among: candidates)
        case .topFraction(let fraction):
            let selection = PoolSelection(scorer: scorer, fraction: fraction)
            return context.selectedRows(of: selection, scores: try scorer.scores(for: batch), among: candidates)
        }
    }
}
