/// Vectorised element-wise and reduction kernels over `Float` buffers.
///
/// Each works on caller-owned buffers with explicit widths and allocates nothing. Sums are
/// accumulated in `Float` over 16 SIMD lanes, as PyTorch's vectorised CPU reductions do for
/// float32 input, so results agree with PyTorch to about one unit in the last place.
package enum VectorKernels {
    /// The sum of squares of `values`.
    package static func sumOfSquares(_ values: UnsafeBufferPointer<Float>) -> Float {
        var lanes = SIMD16<Float>()
        var index = 0
        if let base = values.baseAddress {
            while index + 16 <= values.count {
                let chunk = UnsafeRawPointer(base + index).loadUnaligned(as: SIMD16<Float>.self)
                lanes.addProduct(chunk, chunk)
                index += 16
            }
        }
        var total = lanes.sum()
        while index < values.count {
            total += values[index] * values[index]
            index += 1
        }
        return total
    }

    /// The dot product of two buffers of equal length.
    ///
    /// - Precondition: `a.count == b.count`.
    package static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        precondition(a.count == b.count, "dot of \(a.count) and \(b.count) values")
        var lanes = SIMD16<Float>()
        var index = 0
        if let x = a.baseAddress, let y = b.baseAddress {
            while index + 16 <= a.count {
                lanes.addProduct(
                    UnsafeRawPointer(x + index).loadUnaligned(as: SIMD16<Float>.self),
                    UnsafeRawPointer(y + index).loadUnaligned(as: SIMD16<Float>.self))
                index += 16
            }
        }
        var total = lanes.sum()
        while index < a.count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// Divides every row of `width` values by `max(‖row‖₂, epsilon)` in place (PyTorch's
    /// `F.normalize(x, dim=-1, eps=epsilon)`).
    ///
    /// - Precondition: `buffer.count` is a multiple of `width` (when `width > 0`).
    package static func normalizeRows(_ buffer: UnsafeMutableBufferPointer<Float>, width: Int, epsilon: Float) {
        guard width > 0 else { return }
        precondition(buffer.count % width == 0, "\(buffer.count) values are not rows of \(width)")
        for row in 0..<(buffer.count / width) {
            let slice = UnsafeMutableBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])
            let divisor = max(sumOfSquares(UnsafeBufferPointer(slice)).squareRoot(), epsilon)
            for index in slice.indices { slice[index] /= divisor }
        }
    }

    /// Writes the L2 norm of every row of `width` values of `buffer` into `norms`.
    ///
    /// - Precondition: `buffer.count == norms.count · width`.
    package static func rowNorms(
        _ buffer: UnsafeBufferPointer<Float>, width: Int, into norms: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(
            buffer.count == norms.count * width, "\(buffer.count) values are not \(norms.count) rows of \(width)")
        for row in norms.indices {
            norms[row] = sumOfSquares(UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)]))
                .squareRoot()
        }
    }

    /// Writes `factor · source[i]` into `destination[i]` (the buffers may be the same).
    ///
    /// - Precondition: The buffers have the same length.
    package static func scale(
        _ source: UnsafeBufferPointer<Float>, by factor: Float, into destination: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(source.count == destination.count, "scale of \(source.count) values into \(destination.count)")
        guard let input = source.baseAddress, let output = destination.baseAddress else { return }
        var index = 0
        let lanes = SIMD16<Float>(repeating: factor)
        while index + 16 <= source.count {
            let chunk = UnsafeRawPointer(input + index).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(output + index).storeBytes(of: chunk * lanes, as: SIMD16<Float>.self)
            index += 16
        }
        while index < source.count {
            output[index] = input[index] * factor
            index += 1
        }
    }

    /// Adds `source[i]` to `destination[i]`.
    ///
    /// - Precondition: The buffers have the same length.
    package static func add(_ source: UnsafeBufferPointer<Float>, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count, "adding \(source.count) values into \(destination.count)")
        guard let input = source.baseAddress, let output = destination.baseAddress else { return }
        var index = 0
        while index + 16 <= source.count {
            let sum =
                UnsafeRawPointer(input + index).loadUnaligned(as: SIMD16<Float>.self)
                + UnsafeRawPointer(output + index).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(output + index).storeBytes(of: sum, as: SIMD16<Float>.self)
            index += 16
        }
        while index < source.count {
            output[index] += input[index]
            index += 1
        }
    }

    /// Writes the transpose of `source` (`rows × columns`, dense) into `destination`
    /// (`columns × rows`, dense), in cache-sized tiles.
    ///
    /// - Precondition: Both buffers hold `rows · columns` values and do not overlap.
    package static func transpose(
        _ source: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
        into destination: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(
            source.count == rows * columns && destination.count == rows * columns,
            "transpose buffers do not hold [\(rows), \(columns)]")
        let tile = 32
        for rowStart in stride(from: 0, to: rows, by: tile) {
            for columnStart in stride(from: 0, to: columns, by: tile) {
                for row in rowStart..<min(rowStart + tile, rows) {
                    for column in columnStart..<min(columnStart + tile, columns) {
                        destination[column * rows + row] = source[row * columns + column]
                    }
                }
            }
        }
    }
}
