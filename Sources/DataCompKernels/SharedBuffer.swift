/// A mutable buffer shared by the parts of a parallel loop, each of which writes only its own
/// disjoint elements (its images, rows, channels or range), while the buffer outlives the loop.
///
/// Parallel kernels hand it to the `@Sendable` closures of a fan-out. That the parts' elements
/// are disjoint is the caller's promise, not something the type checks, which is why it stays
/// inside the package.
///
/// ```swift
/// output.withUnsafeMutableBufferPointer { buffer in
///     let shared = SharedBuffer(buffer)
///     BoundedFanOut.forEachBlocking(parts.count, width: 2) { part in
///         for index in parts[part] { shared.buffer[index] = f(index) }
///     }
/// }
/// ```
package struct SharedBuffer<Element>: @unchecked Sendable {
    /// The buffer.
    package let buffer: UnsafeMutableBufferPointer<Element>

    /// Shares a buffer.
    ///
    /// - Parameter buffer: Memory that outlives every part using it.
    package init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }

    /// The first element.
    ///
    /// - Precondition: The buffer is not empty (only parts with work to do ask).
    package var base: UnsafeMutablePointer<Element> {
        guard let base = buffer.baseAddress else { preconditionFailure("a parallel part writes into an empty buffer") }
        return base
    }
}
