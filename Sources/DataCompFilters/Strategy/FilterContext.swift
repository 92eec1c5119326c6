import DataCompCore

/// What a running strategy knows about the whole run: the thresholds of its pool selections,
/// and the counts of the run's report.
public struct FilterContext: Sendable {
    /// How a pool selection is decided in this pass.
    enum Outcome: Sendable, Hashable {
        /// Keep the samples scoring at least this much.
        case threshold(Float)
        /// Keep every sample, or none: a share of a distributed run decides each sample under
        /// both outcomes before the threshold is known.
        case forced(Bool)
    }

    var outcomes: [String: Outcome]
    /// The count of every rule recorded so far, in the order rules were first recorded.
    private(set) var counts: RuleCounts
    /// When tracing (a share of a distributed run), every rule call of the current batch in call
    /// order, with the rows it saw and kept.
    var trace: [RuleCall]?

    /// One call of a rule on one batch.
    struct RuleCall: Sendable {
        var rule: String
        /// The rows the rule saw and kept; `nil` for counts a strategy recorded itself.
        var seen: RowMask?
        var kept: RowMask?
        var seenCount: Int
        var keptCount: Int
    }

    init(outcomes: [String: Outcome] = [:], tracing: Bool = false) {
        self.outcomes = outcomes
        counts = RuleCounts()
        trace = tracing ? [] : nil
    }

    /// The threshold of `selection` in this run: a sample is kept if its score is at least this.
    ///
    /// `nil` while the outcome is forced (a share of a distributed run decides each sample
    /// under both outcomes); ``selectedRows(of:scores:among:)`` decides in every case.
    public func threshold(for selection: PoolSelection) -> Float? {
        guard case .threshold(let value) = outcome(of: selection) else { return nil }
        return value
    }

    /// The rows among `candidates` that `selection` keeps in this pass, given one score per row.
    public func selectedRows(of selection: PoolSelection, scores: [Float], among candidates: RowMask) -> RowMask {
        switch outcome(of: selection) {
        case .threshold(let threshold):
            return Self.rows(of: scores, atLeast: threshold, among: candidates)
        case .forced(let keep):
            return keep ? candidates : RowMask(count: candidates.count)
        }
    }

    /// The candidates whose score is at least `threshold` (a `Float` comparison: NaN fails).
    static func rows(of scores: [Float], atLeast threshold: Float, among candidates: RowMask) -> RowMask {
        var mask = candidates
        for row in candidates.selectedIndices where !(scores[row] >= threshold) { mask[row] = false }
        return mask
    }

    private func outcome(of selection: PoolSelection) -> Outcome {
        guard let outcome = outcomes[selection.id] else {
            preconditionFailure(
                "the pool selection '\(selection)' has no threshold: the strategy must list it in poolSelections")
        }
        return outcome
    }

    /// Records that `rule` saw `seen` samples and kept `kept` of them.
    public mutating func record(_ rule: String, seen: Int, kept: Int) {
        counts.add(rule, seen: seen, kept: kept)
        trace?.append(RuleCall(rule: rule, seen: nil, kept: nil, seenCount: seen, keptCount: kept))
    }

    /// Lists `rule` before the rules it runs, so that reports read outermost first; returns the
    /// call's slot in the trace.
    mutating func beginRule(_ rule: String) -> Int {
        counts.add(rule, seen: 0, kept: 0)
        guard trace != nil else { return -1 }
        trace?.append(RuleCall(rule: rule, seen: nil, kept: nil, seenCount: 0, keptCount: 0))
        return (trace?.count ?? 0) - 1
    }

    /// Records what the rule begun at `slot` saw and kept.
    mutating func endRule(_ slot: Int, rule: String, seen: RowMask, kept: RowMask) {
        let (seenCount, keptCount) = (seen.populationCount, kept.populationCount)
        counts.add(rule, seen: seenCount, kept: keptCount)
        if slot >= 0 {
            trace?[slot] = RuleCall(rule: rule, seen: seen, kept: kept, seenCount: seenCount, keptCount: keptCount)
        }
    }

    mutating func merge(_ other: RuleCounts) { counts.merge(other) }
}

/// The samples each rule saw and kept, in the order the rules were first met.
struct RuleCounts: Sendable {
    private(set) var names: [String] = []
    private(set) var values: [String: (seen: Int, kept: Int)] = [:]

    /// The counts of every rule, in order.
    var entries: [(rule: String, seen: Int, kept: Int)] {
        names.map { name in (name, values[name]?.seen ?? 0, values[name]?.kept ?? 0) }
    }

    mutating func add(_ rule: String, seen: Int, kept: Int) {
        if let old = values[rule] {
            values[rule] = (old.seen + seen, old.kept + kept)
        } else {
            names.append(rule)
            values[rule] = (seen, kept)
        }
    }

    mutating func merge(_ other: RuleCounts) {
        for name in other.names {
            if let value = other.values[name] { add(name, seen: value.seen, kept: value.kept) }
        }
    }
}
