/// Decoding and encoding of little-endian scalar arrays over raw (possibly unaligned) bytes.
package enum LittleEndianScalars {
    /// Decodes little-endian Float32 values from `source` into `destination`.
    package static func decodeFloat32(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count * 4, "byte count \(source.count) does not match \(destination.count) Float32 values")
        for index in destination.indices {
            destination[index] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
        }
    }

    /// Decodes little-endian Int64 values.
    package static func decodeInt64(_ source: UnsafeRawBufferPointer) -> [Int64] {
        (0..<(source.count / 8)).map { Int64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
    }

    /// Encodes Float32 values little-endian.
    package static func encode(_ values: UnsafeBufferPointer<Float>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: values.count * 4) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for (index, value) in values.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * index, as: UInt32.self)
            }
            initialized = values.count * 4
        }
    }

    /// Encodes integers little-endian.
    package static func encode<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        let size = MemoryLayout<T>.size
        return [UInt8](unsafeUninitializedCapacity: values.count * size) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for (index, value) in values.enumerated() {
                raw.storeBytes(of: value.littleEndian, toByteOffset: size * index, as: T.self)
            }
            initialized = values.count * size
        }
    }

    /// The sum of squares of `values`, accumulated in `Float` over 16 SIMD lanes.
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

    /// Divides every row of `width` elements by `max(‖row‖₂, epsilon)`.
    package static func normalizeRows(_ buffer: UnsafeMutableBufferPointer<Float>, width: Int, epsilon: Float) {
        guard width > 0 else { return }
        for row in 0..<(buffer.count / width) {
            let slice = UnsafeMutableBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])
            let divisor = max(sumOfSquares(UnsafeBufferPointer(slice)).squareRoot(), epsilon)
            for index in slice.indices { slice[index] /= divisor }
        }
    }

    /// The L2 norm of every row of `width` elements.
    package static func rowNorms(_ buffer: UnsafeBufferPointer<Float>, width: Int, into target: UnsafeMutableBufferPointer<Float>) {
        for row in target.indices {
            let slice = UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])
            target[row] = sumOfSquares(slice).squareRoot()
        }
    }
}
