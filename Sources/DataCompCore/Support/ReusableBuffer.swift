/// A byte buffer that only grows, for work repeated on one thread (decoding one image after
/// another), so that steady-state work allocates nothing.
///
/// Not `Sendable`: a buffer belongs to one thread at a time.
package final class ReusableBuffer {
    private var base: UnsafeMutablePointer<UInt8>?
    private var capacity = 0

    /// Creates an empty buffer.
    package init() {}

    deinit { base?.deallocate() }

    /// `count` bytes of storage (uninitialized, or holding what an earlier call left), valid
    /// until the next call; grows the storage when it is too small.
    package func bytes(_ count: Int) -> UnsafeMutableBufferPointer<UInt8> {
        precondition(count >= 0, "a negative byte count")
        if count > capacity || base == nil {
            base?.deallocate()
            capacity = max(count, 64)
            base = .allocate(capacity: capacity)
        }
        return UnsafeMutableBufferPointer(start: base, count: count)
    }
}
