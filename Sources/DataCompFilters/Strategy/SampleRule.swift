import DataCompCore

/// A per-sample rule: keeps the samples for which a predicate holds.
///
/// Write the predicate per row, or per batch when it is cheaper to decide many rows at once:
///
/// ```swift
/// import DataCompFilters
///
/// let wide = SampleRule("at least 200 pixels wide", reading: [.originalWidth]) { batch, row in
///     batch.originalWidths[row] >= 200
/// }
/// let tagged = SampleRule("tagged", reading: [.metadata("tag", .string)]) { batch, candidates in
///     let tags = batch.strings(.metadata("tag", .string))
///     return RowMask(count: batch.count) { candidates[$0] && !tags.utf8(at: $0).isEmpty }
/// }
/// ```
public struct SampleRule: FilterStrategy {
    /// How reports name it.
    public let description: String
    /// The pool columns it reads.
    public let columns: Set<PoolColumn>
    /// Its parameters, for the run's report.
    public let parameters: [(String, JSONValue)]
    private let body: @Sendable (PoolBatch, RowMask) throws -> RowMask

    /// A rule named `name` that keeps the rows for which `predicate` holds.
    ///
    /// - Parameters:
    ///   - name: How reports name the rule.
    ///   - columns: The columns `predicate` reads.
    ///   - parameters: The rule's parameters, for the report.
    ///   - predicate: Called for each row still to decide, with the batch and the row.
    public init(
        _ name: String, reading columns: Set<PoolColumn>, parameters: [(String, JSONValue)] = [],
        where predicate: @escaping @Sendable (PoolBatch, Int) throws -> Bool
    ) {
        self.init(name, reading: columns, parameters: parameters) { batch, candidates in
            var mask = candidates
            for row in candidates.selectedIndices where try !predicate(batch, row) { mask[row] = false }
            return mask
        }
    }

    /// A rule named `name` that decides a whole batch at once.
    ///
    /// - Parameters:
    ///   - name: How reports name the rule.
    ///   - columns: The columns `body` reads.
    ///   - parameters: The rule's parameters, for the report.
    ///   - body: Returns the rows to keep; only rows of the candidates it is given count.
    public init(
        _ name: String, reading columns: Set<PoolColumn>, parameters: [(String, JSONValue)] = [],
        batch body: @escaping @Sendable (PoolBatch, RowMask) throws -> RowMask
    ) {
        self.description = name
        self.columns = columns
        self.parameters = parameters
        self.body = body
    }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        let mask = try body(batch, candidates)
        guard mask.count == batch.count else {
            throw DataCompError(
                .rowCountMismatch,
                "the rule '\(description)' returned a mask of \(mask.count) rows for a batch of \(batch.count); return one decision per row"
            )
        }
        return mask & candidates
    }
}

/// Keeps every sample: DataComp's `no_filter` baseline.
public struct KeepAllFilter: FilterStrategy {
    /// Keeps every sample of the pool.
    public init() {}

    /// The pool columns it reads.
    public var columns: Set<PoolColumn> { [] }

    /// How reports name it.
    public var description: String { "keep all" }

    /// The rows among `candidates` that it keeps; see ``FilterStrategy/keep(_:among:context:)``.
    public func keep(_ batch: PoolBatch, among candidates: RowMask, context: inout FilterContext) throws -> RowMask {
        candidates
    }
}
