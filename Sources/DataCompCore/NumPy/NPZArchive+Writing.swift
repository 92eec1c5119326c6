extension NPZArchive {
    /// Writes arrays as an `.npz` archive, byte-identical to `np.savez` (stored) or
    /// `np.savez_compressed` (deflated) of the same arrays in the same order, atomically.
    ///
    /// Each array becomes a member `<key>.npy` whose content is byte-identical to `np.save`,
    /// laid out as Python's `zipfile` writes it (ZIP64 local extra fields, 1980-01-01 timestamps).
    /// Deflated output matches NumPy's when both use the same zlib version.
    ///
    /// - Parameters:
    ///   - arrays: The keys and arrays, in archive order. Keys must be unique and non-empty.
    ///   - path: The destination; its folder must exist.
    ///   - compression: ``Compression/stored`` (as `np.savez`) or ``Compression/deflated``
    ///     (as `np.savez_compressed`).
    /// - Throws: ``DataCompError`` with code `invalidArgument` for duplicate or empty keys, or `io`.
    public static func write(
        _ arrays: [(key: String, array: NPYArray)], to path: String, compression: Compression = .stored
    ) throws {
        var seen = Set<String>()
        for (key, _) in arrays {
            guard !key.isEmpty, seen.insert(key).inserted else {
                throw DataCompError(
                    .invalidArgument,
                    key.isEmpty ? "an NPZ array key must not be empty" : "the NPZ array key '\(key)' appears twice",
                    path: path)
            }
        }
        try AtomicFile.write(to: path) { sink in
            var writer = ZipWriter()
            for (key, array) in arrays {
                let header = NPYHeader.encoded(dataType: array.dataType, shape: array.shape)
                try header.withUnsafeBytes { headerBytes in
                    try array.withUnsafeBytes { data in
                        try writer.add(
                            name: key + ".npy", parts: [headerBytes, data], deflate: compression == .deflated, to: &sink
                        )
                    }
                }
            }
            try writer.finish(to: &sink)
        }
    }
}
