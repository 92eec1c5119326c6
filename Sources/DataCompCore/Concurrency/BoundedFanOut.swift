import Foundation

/// The package's one helper for parallel loops: runs `body` for `0..<count` with at most
/// `width` items in flight and returns the results in index order.
///
/// Both forms stop starting new items after the first error and rethrow the error of the
/// lowest-indexed failing item among those that ran; the async form also stops when its task is
/// cancelled. Use the async form from async code (task groups, no thread blocked); the blocking
/// form is for synchronous APIs that parallelise inside (Parquet column decoding), where it runs
/// items on Dispatch's worker threads and on the calling thread. Widths come from a
/// ``ConcurrencyBudget``.
package enum BoundedFanOut {
    /// Runs `body` for every index with a bounded task group.
    ///
    /// - Parameters:
    ///   - count: The number of items.
    ///   - width: The most items in flight; at least 1.
    ///   - body: Computes one item's result.
    /// - Returns: The results, in index order.
    /// - Throws: The first error (by index) of the items that ran, or `CancellationError`.
    package static func map<T: Sendable>(
        _ count: Int, width: Int, _ body: @escaping @Sendable (Int) async throws -> T
    ) async throws -> [T] {
        precondition(width >= 1, "a fan-out needs a width of at least 1, not \(width)")
        if count == 0 { return [] }
        return try await withThrowingTaskGroup(of: (Int, Result<T, any Error>).self) { group in
            var results = [T?](repeating: nil, count: count)
            var failure: (index: Int, error: any Error)?
            var next = 0
            func start() {
                let index = next
                next += 1
                group.addTask {
                    do {
                        try Task.checkCancellation()
                        return (index, .success(try await body(index)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            while next < min(width, count) { start() }
            while let (index, result) = try await group.next() {
                switch result {
                case .success(let value):
                    results[index] = value
                case .failure(let error):
                    if failure.map({ index < $0.index }) ?? true { failure = (index, error) }
                }
                if failure == nil && next < count { start() }
            }
            if let failure { throw failure.error }
            return results.map { value in
                guard let value else { preconditionFailure("a fan-out item produced no result") }
                return value
            }
        }
    }

    /// Runs `body` for every index with a bounded task group; the non-throwing form.
    ///
    /// - Parameters:
    ///   - count: The number of items.
    ///   - width: The most items in flight; at least 1.
    ///   - body: Computes one item's result.
    /// - Returns: The results, in index order.
    package static func map<T: Sendable>(
        _ count: Int, width: Int, _ body: @escaping @Sendable (Int) async -> T
    ) async -> [T] {
        precondition(width >= 1, "a fan-out needs a width of at least 1, not \(width)")
        return await withTaskGroup(of: (Int, T).self) { group in
            var results = [T?](repeating: nil, count: count)
            var next = 0
            func start() {
                let index = next
                next += 1
                group.addTask { (index, await body(index)) }
            }
            while next < min(width, count) { start() }
            while let (index, value) = await group.next() {
                results[index] = value
                if next < count { start() }
            }
            return results.map { value in
                guard let value else { preconditionFailure("a fan-out item produced no result") }
                return value
            }
        }
    }

    /// Runs `body` for every index on up to `width` threads and waits for all of them.
    ///
    /// Item `i` runs on worker `i % width` in index order, so each worker can reuse per-worker
    /// state from `makeState` (scratch buffers) across its items.
    ///
    /// - Parameters:
    ///   - count: The number of items.
    ///   - width: The most items in flight; at least 1. With 1, everything runs in order on the
    ///     calling thread.
    ///   - makeState: Creates one worker's reusable state.
    ///   - body: Computes one item's result with its worker's state.
    /// - Returns: The results, in index order.
    /// - Throws: The first error (by index) of the items that ran.
    package static func mapBlocking<T, State>(
        _ count: Int, width: Int, makeState: @Sendable () -> State,
        _ body: @Sendable (Int, inout State) throws -> T
    ) throws -> [T] {
        precondition(width >= 1, "a fan-out needs a width of at least 1, not \(width)")
        let workers = min(width, count)
        if workers <= 1 {
            var state = makeState()
            return try (0..<count).map { try body($0, &state) }
        }
        let slots = ResultSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var state = makeState()
            var index = worker
            while index < count, !slots.hasFailed {
                slots.set(index, Result { try body(index, &state) })
                index += workers
            }
        }
        return try slots.values()
    }
}

extension BoundedFanOut {
    /// `0..<count` in at most `parts` contiguous ranges of nearly equal length, none empty: how
    /// a batch, a tensor or a set of channels is divided among the items of a fan-out.
    ///
    /// - Parameters:
    ///   - count: The number of elements.
    ///   - parts: The most ranges wanted; values below 1 count as 1.
    /// - Returns: `min(parts, count)` ranges in order (none for `count == 0`).
    package static func contiguousParts(_ count: Int, _ parts: Int) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let parts = max(1, min(parts, count))
        return (0..<parts).map { part in (part * count / parts)..<((part + 1) * count / parts) }
    }

    /// Runs `body` for every index on up to `width` threads and waits for all of them; the
    /// non-throwing blocking form, for numeric kernels split into a few parts.
    ///
    /// Item `i` runs on worker `i % width`; with a width of 1 (or one item) everything runs in
    /// order on the calling thread.
    ///
    /// - Parameters:
    ///   - count: The number of items.
    ///   - width: The most items in flight; at least 1.
    ///   - body: One item's work.
    package static func forEachBlocking(_ count: Int, width: Int, _ body: @Sendable (Int) -> Void) {
        precondition(width >= 1, "a fan-out needs a width of at least 1, not \(width)")
        let workers = min(width, count)
        if workers <= 1 {
            for index in 0..<count { body(index) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: count, by: workers) { body(index) }
        }
    }
}

/// Results written by several threads, one slot each, read after all have finished.
private final class ResultSlots<T>: @unchecked Sendable {
    // Every access to `slots` and `failed` holds `lock`.
    private var slots: [Result<T, any Error>?]
    private var failed = false
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var hasFailed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return failed
    }

    func set(_ index: Int, _ result: Result<T, any Error>) {
        lock.lock()
        slots[index] = result
        if case .failure = result { failed = true }
        lock.unlock()
    }

    /// The values in order, or the first error by index.
    func values() throws -> [T] {
        lock.lock()
        defer { lock.unlock() }
        var values: [T] = []
        values.reserveCapacity(slots.count)
        for slot in slots {
            switch slot {
            case .success(let value)?: values.append(value)
            case .failure(let error)?: throw error
            case nil: continue  // not run because another item failed; that error is thrown below
            }
        }
        return values
    }
}
