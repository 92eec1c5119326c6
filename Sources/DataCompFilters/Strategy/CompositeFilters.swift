import DataCompCore

/// Keeps the samples that every one of its strategies keeps (an intersection).
///
/// The strategies run in order, each on the samples the earlier ones kept, so put cheap rules
/// first; the report counts each one on the samples it saw.
public struct AllOfFilter: FilterStrategy {
    /// The strategies, in the order they run.
    public let strategies: [any FilterStrategy]

    /// The intersection of `strategies` (keep all if empty).
    public init(_ strategies: [any FilterStrategy]) { self.strategies = strategies }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { strategies.columns }

    /// The pool selections it needs (its parts' selections for a composition).
    public var poolSelections: [PoolSelection] { strategies.poolSelections }

    /// The assets of its parts.
    public var assetPaths: [String] { strategies.assetPaths }

    /// The parameters of its parts, each under the part's description.
    public var parameters: [(String, JSONValue)] { strategies.parameters }

    /// How reports name it.
    public var description: String {
        strategies.isEmpty ? "keep all" : strategies.map { "(\($0))" }.joined(separator: " and ")
    }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        var kept = candidates
        for strategy in strategies {
            kept = try strategy.recordedKeep(batch, among: kept, context: &context)
        }
        return kept
    }
}

/// Keeps the samples that at least one of its strategies keeps (a union).
///
/// The strategies run in order, each on the samples the earlier ones did not keep (a rule
/// given no candidates decides nothing and costs little).
public struct AnyOfFilter: FilterStrategy {
    /// The strategies, in the order they run.
    public let strategies: [any FilterStrategy]

    /// The union of `strategies` (keep none if empty).
    public init(_ strategies: [any FilterStrategy]) { self.strategies = strategies }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { strategies.columns }

    /// The pool selections it needs (its parts' selections for a composition).
    public var poolSelections: [PoolSelection] { strategies.poolSelections }

    /// The assets of its parts.
    public var assetPaths: [String] { strategies.assetPaths }

    /// The parameters of its parts, each under the part's description.
    public var parameters: [(String, JSONValue)] { strategies.parameters }

    /// How reports name it.
    public var description: String {
        strategies.isEmpty ? "keep none" : strategies.map { "(\($0))" }.joined(separator: " or ")
    }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        var undecided = candidates
        var kept = RowMask(count: candidates.count)
        // Every part runs, even on no candidates, so that the rules a report lists (and their
        // order) never depend on the data.
        for strategy in strategies {
            let accepted = try strategy.recordedKeep(batch, among: undecided, context: &context)
            kept |= accepted
            undecided = undecided.subtracting(accepted)
        }
        return kept
    }
}

/// Keeps the samples its strategy drops (a complement).
public struct NotFilter: FilterStrategy {
    /// The strategy whose drops are kept.
    public let strategy: any FilterStrategy

    /// The complement of `strategy`.
    public init(_ strategy: any FilterStrategy) { self.strategy = strategy }

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { strategy.columns }

    /// The pool selections it needs (its parts' selections for a composition).
    public var poolSelections: [PoolSelection] { strategy.poolSelections }

    /// The assets of its part.
    public var assetPaths: [String] { strategy.assetPaths }

    /// The parameters of its part.
    public var parameters: [(String, JSONValue)] { strategy.parameters }

    /// How reports name it.
    public var description: String { "not (\(strategy))" }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        candidates.subtracting(try strategy.recordedKeep(batch, among: candidates, context: &context))
    }
}

/// What a composition of strategies declares: the union of its parts' declarations.
extension [any FilterStrategy] {
    var columns: Set<PoolColumn> { reduce(into: []) { $0.formUnion($1.columns) } }

    var poolSelections: [PoolSelection] { flatMap(\.poolSelections) }

    var assetPaths: [String] { flatMap(\.assetPaths) }

    /// The parameters of the parts that have any, each under the part's description.
    var parameters: [(String, JSONValue)] {
        filter { !$0.parameters.isEmpty }.map { ($0.description, .object($0.parameters)) }
    }
}

extension FilterStrategy {
    /// Runs the strategy and records what it saw and kept in the context's report counts.
    func recordedKeep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws
        -> RowMask
    {
        let slot = context.beginRule(description)
        let kept = try keep(batch, among: candidates, context: &context) & candidates
        context.endRule(slot, rule: description, seen: candidates, kept: kept)
        return kept
    }

    /// The samples both this strategy and `other` keep; `other` runs on this one's survivors.
    public func intersection(_ other: some FilterStrategy) -> AllOfFilter {
        AllOfFilter(Self.parts(of: self, joining: AllOfFilter.self) + Self.parts(of: other, joining: AllOfFilter.self))
    }

    /// The samples this strategy or `other` keeps.
    public func union(_ other: some FilterStrategy) -> AnyOfFilter {
        AnyOfFilter(Self.parts(of: self, joining: AnyOfFilter.self) + Self.parts(of: other, joining: AnyOfFilter.self))
    }

    /// The samples this strategy drops.
    public func complement() -> NotFilter { NotFilter(self) }

    private static func parts<Joined>(of strategy: any FilterStrategy, joining: Joined.Type) -> [any FilterStrategy] {
        if Joined.self == AllOfFilter.self, let all = strategy as? AllOfFilter { return all.strategies }
        if Joined.self == AnyOfFilter.self, let any = strategy as? AnyOfFilter { return any.strategies }
        return [strategy]
    }
}

/// The samples both strategies keep (``FilterStrategy/intersection(_:)``).
public func && (lhs: some FilterStrategy, rhs: some FilterStrategy) -> AllOfFilter { lhs.intersection(rhs) }

/// The samples either strategy keeps (``FilterStrategy/union(_:)``).
public func || (lhs: some FilterStrategy, rhs: some FilterStrategy) -> AnyOfFilter { lhs.union(rhs) }

/// The samples the strategy drops (``FilterStrategy/complement()``).
public prefix func ! (strategy: some FilterStrategy) -> NotFilter { strategy.complement() }
