/// A growable, uninitialised byte buffer used to build column values without per-value
/// allocation.
package final class ParquetScratchBuffer {
    package private(set) var base: UnsafeMutableRawPointer?
    package private(set) var count = 0
    private var capacity = 0

    package init() {}

    deinit { base?.deallocate() }

    /// Makes room for `additional` more bytes and returns a pointer to the first of them.
    @inline(__always)
    package func reserve(_ additional: Int) -> UnsafeMutableRawPointer {
        let needed = count + additional
        if needed > capacity || base == nil {
            var newCapacity = max(capacity * 2, 64)
            while newCapacity < needed { newCapacity *= 2 }
            let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            if let base {
                newBase.copyMemory(from: base, byteCount: count)
                base.deallocate()
            }
            base = newBase
            capacity = newCapacity
        }
        guard let base else { preconditionFailure("the scratch buffer has no storage after growing") }
        return base + count
    }

    /// Marks `n` reserved bytes as written.
    @inline(__always)
    package func commit(_ n: Int) { count += n }

    package func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let source = bytes.baseAddress else { return }
        reserve(bytes.count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    package func removeAll() { count = 0 }

    /// Shrinks the logical size to `newCount` bytes.
    package func truncate(to newCount: Int) { count = min(count, max(0, newCount)) }

    package var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Copies the bytes into a typed array (`count` must be a multiple of the element size).
    package func array<T>(of: T.Type) -> [T] {
        let n = count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: n) { out, initialized in
            if n > 0, let base {
                UnsafeMutableRawPointer(out.requiredBaseAddress).copyMemory(
                    from: base, byteCount: n * MemoryLayout<T>.stride)
            }
            initialized = n
        }
    }
}
