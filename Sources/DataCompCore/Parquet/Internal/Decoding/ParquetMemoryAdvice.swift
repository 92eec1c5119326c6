#if canImport(Glibc)
    import Glibc
#endif

/// Asks the kernel to back the 2 MiB-aligned interior of a large, freshly allocated buffer with
/// transparent huge pages, which cuts the page faults of filling it by up to 512×.
///
/// A hint only:
/// it does nothing on other systems, for small buffers, or when the kernel declines.
package func parquetAdviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
        let huge = 2 << 20
        guard buffer.count >= 2 * huge, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, 14)  // MADV_HUGEPAGE
    #endif
}
