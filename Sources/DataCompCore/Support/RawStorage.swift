/// Immutable bytes that are either a slice of a memory-mapped file or an owned, 64-byte-aligned
/// heap allocation.
///
/// Never mutated after initialization, so it is safe to share between threads.
package final class RawStorage: @unchecked Sendable {
    /// The bytes; valid as long as this object lives.
    package let bytes: UnsafeRawBufferPointer
    private let file: MappedFile?
    private let owned: UnsafeMutableRawPointer?

    /// A view of `range` inside a mapped file, which is kept alive.
    package init(file: MappedFile, range: Range<Int>) {
        self.file = file
        self.owned = nil
        self.parent = nil
        self.bytes = UnsafeRawBufferPointer(rebasing: file.bytes[range])
    }

    /// An owned buffer of `count` bytes, filled by `initializer`, which must write every byte or
    /// throw (the buffer is not zeroed first, so that a huge size claimed by a corrupt file only
    /// commits the pages actually written before the error).
    package init(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
        do {
            try initializer(UnsafeMutableRawBufferPointer(start: pointer, count: count))
        } catch {
            pointer.deallocate()
            throw error
        }
        self.file = nil
        self.parent = nil
        self.owned = pointer
        self.bytes = UnsafeRawBufferPointer(start: pointer, count: count)
    }

    /// An owned copy of `source`.
    package convenience init(copying source: UnsafeRawBufferPointer) {
        self.init(count: source.count) { destination in
            if let base = source.baseAddress, source.count > 0 {
                destination.baseAddress?.copyMemory(from: base, byteCount: source.count)
            }
        }
    }

    /// An owned copy of a byte collection (one `memcpy` when it is contiguous).
    package convenience init(copyingCollection source: some Collection<UInt8>) {
        self.init(count: source.count) { destination in
            let copied: Void? = source.withContiguousStorageIfAvailable { buffer in
                if buffer.count > 0 { destination.copyMemory(from: UnsafeRawBufferPointer(buffer)) }
            }
            if copied == nil {
                var index = 0
                for byte in source where index < destination.count {
                    destination[index] = byte
                    index += 1
                }
            }
        }
    }

    /// Calls `body` with the bytes viewed as `count / stride` elements of `Element`, binding the
    /// memory in place when it is suitably aligned and copying it once otherwise.
    package func withUnsafeBufferPointer<Element: BitwiseCopyable, Result>(
        as type: Element.Type, _ body: (UnsafeBufferPointer<Element>) throws -> Result
    ) rethrows -> Result {
        try withExtendedLifetime(self) {
            let count = bytes.count / MemoryLayout<Element>.stride
            guard let base = bytes.baseAddress, count > 0 else {
                return try body(UnsafeBufferPointer(start: nil, count: 0))
            }
            if Int(bitPattern: base) % MemoryLayout<Element>.alignment == 0 {
                return try base.withMemoryRebound(to: Element.self, capacity: count) {
                    try body(UnsafeBufferPointer(start: $0, count: count))
                }
            }
            let copy = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: bytes[0..<(count * MemoryLayout<Element>.stride)]))
                initialized = count
            }
            return try copy.withUnsafeBufferPointer(body)
        }
    }

    /// Whether the bytes are memory-mapped from a file rather than held in memory.
    package var isMapped: Bool { file != nil }

    /// A sub-range of these bytes that keeps this storage alive.
    package func slice(_ range: Range<Int>) -> RawStorage {
        if let file, let base = bytes.baseAddress, let fileBase = file.bytes.baseAddress {
            let start = fileBase.distance(to: base) + range.lowerBound
            return RawStorage(file: file, range: start..<(start + range.count))
        }
        return RawStorage(parent: self, range: range)
    }

    private let parent: RawStorage?

    private init(parent: RawStorage, range: Range<Int>) {
        self.parent = parent
        self.file = nil
        self.owned = nil
        self.bytes = UnsafeRawBufferPointer(rebasing: parent.bytes[range])
    }

    deinit {
        owned?.deallocate()
    }
}
