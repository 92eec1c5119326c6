extension NPYArray {
    /// The header that `np.save` writes for this array (format 1.0 unless the header needs 2.0).
    public var header: NPYHeader {
        let bytes = NPYHeader.encoded(dataType: dataType, shape: shape)
        return NPYHeader(dataType: dataType, shape: shape, dataOffset: bytes.count, versionMajor: bytes[6])
    }

    /// The complete `.npy` file content, byte-identical to what `np.save` writes for the same
    /// array.
    ///
    /// - Returns: Header followed by the data.
    public func encoded() -> [UInt8] {
        var result = NPYHeader.encoded(dataType: dataType, shape: shape)
        withUnsafeBytes { result.append(contentsOf: $0) }
        return result
    }

    /// Writes the array as an `.npy` file, byte-identical to `np.save`, atomically.
    ///
    /// - Parameter path: The destination; its folder must exist.
    /// - Throws: ``DataCompError`` with code `io` naming the path.
    public func write(to path: String) throws {
        try AtomicFile.write(to: path) { sink in
            try sink.write(NPYHeader.encoded(dataType: dataType, shape: shape))
            try withUnsafeBytes { try sink.write($0) }
        }
    }
}
