internal import DataCompKernels

extension NPYArray {
    /// Returns the elements converted to `Float`, for `<f2`, `<f4` and `<f8` arrays.
    ///
    /// - Returns: The elements in C order.
    /// - Throws: ``DataCompError`` with code `dtypeMismatch` for other element types.
    public func floats() throws -> [Float] {
        try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            try convertFloats(into: buffer)
            initialized = buffer.count
        }
    }

    package func convertFloats(into destination: UnsafeMutableBufferPointer<Float>) throws {
        switch dataType {
        case .float16:
            // numpy's widening (NaN payloads kept), the same as every other float16 path.
            withUnsafeBytes { source in HalfPrecision.float16ToFloat32(source, into: destination) }
        case .float32:
            try withUnsafeBufferPointer(as: Float.self) { source in
                _ = destination.update(fromContentsOf: source.prefix(destination.count))
            }
        case .float64:
            try withUnsafeBufferPointer(as: Double.self) { source in
                for index in 0..<min(source.count, destination.count) { destination[index] = Float(source[index]) }
            }
        default:
            throw DataCompError(
                .dtypeMismatch,
                "expected a floating-point array (<f2, <f4 or <f8), found \(dataType.descr); convert it with arr.astype(np.float32)"
            )
        }
    }

    /// Returns the elements of a `|b1` array; any non-zero byte is `true`.
    ///
    /// - Returns: The elements in C order.
    /// - Throws: ``DataCompError`` with code `dtypeMismatch` for other element types.
    public func booleans() throws -> [Bool] {
        guard dataType == .bool else {
            throw DataCompError(.dtypeMismatch, "expected a boolean array (|b1), found \(dataType.descr)")
        }
        return withUnsafeBytes { bytes in bytes.map { $0 != 0 } }
    }

    /// Returns the records of a `[('f0', '<u8'), ('f1', '<u8')]` array as identifiers.
    ///
    /// - Returns: The identifiers in C order.
    /// - Throws: ``DataCompError`` with code `dtypeMismatch` for other element types.
    public func sampleIDs() throws -> [SampleID] {
        guard dataType == .sampleID else {
            throw DataCompError(
                .dtypeMismatch, "expected uid records [('f0', '<u8'), ('f1', '<u8')], found \(dataType.descr)")
        }
        return withUnsafeBytes { bytes in
            (0..<(bytes.count / 16)).map { SampleID(record: bytes, at: $0 * 16) }
        }
    }
}
