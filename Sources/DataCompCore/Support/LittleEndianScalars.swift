/// Decoding and encoding of little-endian scalar arrays over raw (possibly unaligned) bytes.
package enum LittleEndianScalars {
    /// Decodes little-endian Float32 values from `source` into `destination`.
    package static func decodeFloat32(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(
            source.count == destination.count * 4,
            "byte count \(source.count) does not match \(destination.count) Float32 values")
        for index in destination.indices {
            destination[index] = Float(
                bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
        }
    }

    /// Decodes little-endian Int64 values.
    package static func decodeInt64(_ source: UnsafeRawBufferPointer) -> [Int64] {
        (0..<(source.count / 8)).map {
            Int64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))
        }
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
}
