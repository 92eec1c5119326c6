import Foundation

/// Row-wise softmax in place, with the row maximum subtracted first as PyTorch does.
package enum SoftmaxKernel {
    /// Replaces each of `rows` rows of `width` values (rows `stride` values apart) by its softmax;
    /// `-inf` entries (masked keys) become 0.
    package static func rows(_ base: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int? = nil) {
        let step = stride ?? width
        for row in 0..<rows {
            let x = base + row * step
            var maximum = -Float.infinity
            for i in 0..<width where x[i] > maximum { maximum = x[i] }
            if maximum == -.infinity {
                for i in 0..<width { x[i] = .nan }
                continue
            }
            var sum: Float = 0
            for i in 0..<width {
                let e = expf(x[i] - maximum)
                x[i] = e
                sum += e
            }
            let inverse = 1 / sum
            for i in 0..<width { x[i] *= inverse }
        }
    }

    /// ``rows(_:rows:width:stride:)`` on a buffer of `rows × width` values.
    package static func rows(_ buffer: UnsafeMutableBufferPointer<Float>, rows: Int, width: Int) {
        precondition(buffer.count >= rows * width, "softmax buffer is too small")
        guard let base = buffer.baseAddress, rows > 0 else { return }
        Self.rows(base, rows: rows, width: width)
    }
}
