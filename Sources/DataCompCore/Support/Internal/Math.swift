#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#elseif canImport(Musl)
    import Musl
#endif

/// The C library's `log`, without importing Foundation.
@inline(__always) func libmLog(_ x: Double) -> Double { log(x) }
/// The C library's `exp`, without importing Foundation.
@inline(__always) func libmExp(_ x: Double) -> Double { exp(x) }
