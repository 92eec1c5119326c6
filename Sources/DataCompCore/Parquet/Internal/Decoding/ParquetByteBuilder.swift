/// A growable byte buffer backed by a Swift array, so that the finished bytes become a
/// `[UInt8]` without a copy.
///
/// Bytes are written through ``write(reserving:_:)``, whose pointer
/// is valid only inside the closure.
package final class ParquetByteBuilder {
    /// The storage; `storage.count` is the capacity, bytes past `count` are scratch.
    private var storage: [UInt8] = []
    package private(set) var count = 0

    package init() {}

    /// Makes the capacity at least `count + additional`.
    package func reserve(_ additional: Int) {
        let needed = count + max(0, additional)
        guard needed > storage.count else { return }
        let newCapacity = max(needed, storage.count * 2, 64)
        let used = count
        let old = storage
        storage = [UInt8](unsafeUninitializedCapacity: newCapacity) { buffer, initialized in
            parquetAdviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            // The bytes past `used` are scratch that is always written before it is read.
            old.withUnsafeBytes {
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[0..<used]))
            }
            initialized = newCapacity
        }
    }

    /// Reserves `additional` bytes and calls `body` with the storage's base and the current
    /// count; `body` writes at `base + count` and returns how many bytes it appended (at most
    /// `additional`).
    ///
    /// The pointer must not escape `body`.
    @inline(__always)
    package func write(reserving additional: Int, _ body: (UnsafeMutableRawPointer, Int) throws -> Int) rethrows {
        reserve(max(1, additional))
        let start = count
        let written = try storage.withUnsafeMutableBytes { raw in
            try body(raw.requiredBaseAddress, start)
        }
        count = start + min(max(0, written), additional)
    }

    package func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0, let source = bytes.baseAddress else { return }
        write(reserving: bytes.count) { base, start in
            (base + start).copyMemory(from: source, byteCount: bytes.count)
            return bytes.count
        }
    }

    /// Calls `body` with the written bytes.
    package func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let used = count
        return try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<used])) }
    }

    /// Hands over the written bytes as an array (no copy) and empties the builder.
    package func finishBytes() -> [UInt8] {
        storage.removeSubrange(count...)
        let result = storage
        storage = []
        count = 0
        return result
    }

    /// Copies the bytes into a typed array (`count` must be a multiple of the element size).
    package func array<T>(of: T.Type) -> [T] {
        let n = count / MemoryLayout<T>.stride
        return withUnsafeBytes { raw in
            [T](unsafeUninitializedCapacity: n) { out, initialized in
                parquetAdviseHugePages(UnsafeMutableRawBufferPointer(out))
                if n > 0 {
                    UnsafeMutableRawPointer(out.requiredBaseAddress).copyMemory(
                        from: raw.requiredBaseAddress, byteCount: n * MemoryLayout<T>.stride)
                }
                initialized = n
            }
        }
    }
}
