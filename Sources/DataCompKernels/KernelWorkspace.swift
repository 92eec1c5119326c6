/// Reusable scratch memory for kernels, so that a steady-state step (a training iteration, a
/// batch of evaluations) allocates nothing once its buffers have reached their largest size.
///
/// A workspace owns numbered slots of `Float` storage that only grow. It is not `Sendable`:
/// give each task its own.
///
/// ```swift
/// let workspace = KernelWorkspace()
/// workspace.withBuffer(0, count: rows * columns) { columns in /* im2col into it */ }
/// ```
package final class KernelWorkspace {
    private var slots: [UnsafeMutableBufferPointer<Float>] = []
    /// How many times storage was (re)allocated, for tests of the no-allocation rule.
    package private(set) var allocationCount = 0

    /// Creates an empty workspace.
    package init() {}

    deinit {
        for slot in slots { slot.deallocate() }
    }

    private func storage(_ slot: Int, count: Int) -> UnsafeMutableBufferPointer<Float> {
        precondition(slot >= 0 && count >= 0, "negative workspace slot or count")
        while slots.count <= slot { slots.append(UnsafeMutableBufferPointer(start: nil, count: 0)) }
        if slots[slot].count < count {
            slots[slot].deallocate()
            slots[slot] = .allocate(capacity: count)
            allocationCount += 1
        }
        return UnsafeMutableBufferPointer(rebasing: slots[slot][0..<count])
    }

    /// Calls `body` with `count` uninitialised values of slot `slot`, growing it if needed.
    ///
    /// The buffer keeps its contents between calls with the same slot and a count no larger
    /// than before. It must not escape `body`.
    ///
    /// - Parameters:
    ///   - slot: The slot number (a small integer chosen by the caller).
    ///   - count: The number of values needed.
    ///   - body: The work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    package func withBuffer<R, E: Error>(
        _ slot: Int, count: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        try body(storage(slot, count: count))
    }

    /// Calls `body` with two buffers of two different slots at once.
    ///
    /// - Parameters:
    ///   - first: The first slot and its count.
    ///   - second: The second slot and its count.
    ///   - body: The work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    /// - Precondition: `first.slot != second.slot`.
    package func withBuffers<R, E: Error>(
        _ first: (slot: Int, count: Int), _ second: (slot: Int, count: Int),
        _ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) throws(E) -> R
    ) throws(E) -> R {
        precondition(first.slot != second.slot, "two buffers of one slot would alias")
        let a = storage(first.slot, count: first.count)
        let b = storage(second.slot, count: second.count)
        return try body(a, b)
    }
}
