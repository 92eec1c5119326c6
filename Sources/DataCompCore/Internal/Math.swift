#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The C library's `log`, without importing Foundation into numeric code.
@inline(__always) func Foundation_log(_ x: Double) -> Double { log(x) }
/// The C library's `exp`, without importing Foundation into numeric code.
@inline(__always) func Foundation_exp(_ x: Double) -> Double { exp(x) }
