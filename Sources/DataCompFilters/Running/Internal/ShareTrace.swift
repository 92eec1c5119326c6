import DataCompCore

/// What one share learns about its rows when the thresholds of the top-fraction selections are
/// not known yet.
///
/// The strategy runs on every batch once per combination of outcomes of its `m` selections
/// (each forced to keep all or none, `2^m` runs). A row whose decision and rule trace are the
/// same in every combination is settled: its counts go to ``fixedCounts`` and, if kept, its uid to
/// ``fixedKept``. Any other row is pending: its uid, its scores and its *signature* — for every
/// combination, whether it is kept and which rule calls saw and kept it — are kept, so that the
/// merge, once it knows the thresholds, can tell which combination each pending row is in.
struct ShareTrace {
    /// The rule of every call, in the (fixed) call order of a batch.
    private(set) var calls: [String] = []
    /// Whether each call carries row masks (rules) or only counts (recorded by a strategy).
    private(set) var masked: [Bool] = []
    /// Seen and kept per call for the settled rows (and count-only calls).
    private(set) var fixedCounts: [(seen: Int, kept: Int)] = []
    var fixedKept: [SampleID] = []
    var pendingUIDs: [SampleID] = []
    var pendingSignatures: [Int32] = []
    /// `[pending, m]` scores, row-major.
    var pendingScores: [Float] = []
    /// Distinct signatures: per combination, a keep byte then two bits (seen, kept) per masked call.
    private(set) var signatures: [[UInt8]] = []
    private var signatureIDs: [[UInt8]: Int32] = [:]

    init() {}

    /// A trace read back from a partial result (its rows are set afterwards).
    init(calls: [String], masked: [Bool], fixedCounts: [(seen: Int, kept: Int)], signatures: [[UInt8]]) {
        self.calls = calls
        self.masked = masked
        self.fixedCounts = fixedCounts
        self.signatures = signatures
        for (index, signature) in signatures.enumerated() { signatureIDs[signature] = Int32(index) }
    }

    /// Adds one batch, given the runs under every combination (combination `c` forces selection
    /// `j` to keep all when bit `j` of `c` is set) and the batch's scores per selection.
    mutating func add(
        batch: PoolBatch, runs: [(keep: RowMask, calls: [FilterContext.RuleCall])], scores: [[Float]]
    ) throws {
        let reference = runs[0].calls
        if calls.isEmpty && fixedCounts.isEmpty {
            calls = reference.map(\.rule)
            masked = reference.map { $0.seen != nil }
            fixedCounts = Array(repeating: (0, 0), count: calls.count)
        }
        for run in runs {
            guard run.calls.map(\.rule) == calls, run.calls.map({ $0.seen != nil }) == masked else {
                throw DataCompError(
                    .invalidArgument,
                    "the strategy's rules run in a different order on different batches or selection outcomes, so a share cannot record them for the merge; run it in one process"
                )
            }
        }
        // Count-only calls must not depend on the selections.
        for index in calls.indices where !masked[index] {
            let first = reference[index]
            for run in runs.dropFirst()
            where run.calls[index].seenCount != first.seenCount || run.calls[index].keptCount != first.keptCount {
                throw DataCompError(
                    .invalidArgument,
                    "the rule '\(calls[index])' records counts that depend on a top-fraction selection, which a share cannot merge; run it in one process"
                )
            }
            fixedCounts[index].seen += first.seenCount
            fixedCounts[index].kept += first.keptCount
        }
        let maskedCalls = calls.indices.filter { masked[$0] }
        let uids = batch.uids
        let width = (maskedCalls.count * 2 + 7) / 8
        var signature = [UInt8](repeating: 0, count: runs.count * (1 + width))
        for row in 0..<batch.count {
            for (combination, run) in runs.enumerated() {
                let base = combination * (1 + width)
                signature[base] = run.keep[row] ? 1 : 0
                for byte in 0..<width { signature[base + 1 + byte] = 0 }
                for (bit, call) in maskedCalls.enumerated() {
                    let entry = run.calls[call]
                    if entry.seen?[row] == true { signature[base + 1 + (2 * bit) / 8] |= 1 << UInt8((2 * bit) % 8) }
                    if entry.kept?[row] == true {
                        signature[base + 1 + (2 * bit + 1) / 8] |= 1 << UInt8((2 * bit + 1) % 8)
                    }
                }
            }
            let part = 1 + width
            let settled =
                runs.count == 1
                || (1..<runs.count).allSatisfy { signature[($0 * part)..<(($0 + 1) * part)] == signature[0..<part] }
            if settled {
                for (bit, call) in maskedCalls.enumerated() {
                    if signature[1 + (2 * bit) / 8] & (1 << UInt8((2 * bit) % 8)) != 0 { fixedCounts[call].seen += 1 }
                    if signature[1 + (2 * bit + 1) / 8] & (1 << UInt8((2 * bit + 1) % 8)) != 0 {
                        fixedCounts[call].kept += 1
                    }
                }
                if signature[0] == 1 { fixedKept.append(uids[row]) }
            } else {
                let id: Int32
                if let existing = signatureIDs[signature] {
                    id = existing
                } else {
                    id = Int32(signatures.count)
                    signatures.append(signature)
                    signatureIDs[signature] = id
                }
                pendingUIDs.append(uids[row])
                pendingSignatures.append(id)
                for column in scores { pendingScores.append(column[row]) }
            }
        }
    }

    /// Decodes a signature: whether the row is kept in `combination`, and which masked calls saw
    /// and kept it there.
    static func decode(_ signature: [UInt8], combination: Int, maskedCallCount: Int) -> (
        kept: Bool, seen: [Bool], keptBy: [Bool]
    ) {
        let width = (maskedCallCount * 2 + 7) / 8
        let base = combination * (1 + width)
        var seen = [Bool](repeating: false, count: maskedCallCount)
        var keptBy = [Bool](repeating: false, count: maskedCallCount)
        for bit in 0..<maskedCallCount {
            seen[bit] = signature[base + 1 + (2 * bit) / 8] & (1 << UInt8((2 * bit) % 8)) != 0
            keptBy[bit] = signature[base + 1 + (2 * bit + 1) / 8] & (1 << UInt8((2 * bit + 1) % 8)) != 0
        }
        return (signature[base] == 1, seen, keptBy)
    }

    /// Combines traces of several shards of one share (in shard order).
    mutating func append(_ other: ShareTrace) throws {
        if calls.isEmpty && fixedCounts.isEmpty {
            self = other
            return
        }
        guard other.calls.isEmpty || (other.calls == calls && other.masked == masked) else {
            throw DataCompError(
                .invalidArgument, "the strategy's rules differ between metadata files; run it in one process")
        }
        for index in other.fixedCounts.indices {
            fixedCounts[index].seen += other.fixedCounts[index].seen
            fixedCounts[index].kept += other.fixedCounts[index].kept
        }
        fixedKept += other.fixedKept
        pendingUIDs += other.pendingUIDs
        pendingScores += other.pendingScores
        var remap: [Int32] = []
        for signature in other.signatures {
            if let existing = signatureIDs[signature] {
                remap.append(existing)
            } else {
                let id = Int32(signatures.count)
                signatures.append(signature)
                signatureIDs[signature] = id
                remap.append(id)
            }
        }
        pendingSignatures += other.pendingSignatures.map { remap[Int($0)] }
    }
}
