/// Reads and writes DataComp subset files: sorted uid lists that select the samples of a
/// filtered dataset.
///
/// The format is a 1-D NumPy `.npy` array with dtype `[('f0', '<u8'), ('f1', '<u8')]`
/// (`np.dtype("u8,u8")`), sorted ascending, where `f0` is the first and `f1` the last 16 hex
/// digits of each uid. Like `resharder.py`, the reader also accepts a raw file of 16-byte
/// records without a header.
///
/// ```swift
/// try SubsetFile.write(ids, to: "subset.npy")       // sorts; identical to np.save
/// let subset = try SubsetFile.read(from: "subset.npy")
/// ```
public enum SubsetFile {
    /// Reads a subset file (`.npy`, or raw 16-byte records), memory-mapped.
    ///
    /// - Parameter path: The file.
    /// - Returns: The subset, in file order.
    /// - Throws: ``DataCompError`` naming the file: `dtypeMismatch` if an `.npy` file is not a
    ///   1-D `[('f0', '<u8'), ('f1', '<u8')]` array, `invalidFormat` for a raw file whose length is
    ///   not a multiple of 16, `unsortedData` naming the first out-of-order row, any NPY parsing
    ///   error with its offset, `fileNotFound` or `io`.
    public static func read(from path: String) throws -> Subset {
        try MappedFile.parsing(path) { file in try parse(RawStorage(file: file, range: 0..<file.count)) }
    }

    /// Parses a subset file's complete content (see ``read(from:)``); errors name no path.
    package static func parse(_ whole: RawStorage) throws -> Subset {
        let records: RawStorage
        if NPYHeader.hasMagic(whole.bytes) {
            let array: NPYArray
            do {
                array = try NPYArray(parsing: whole)
            } catch let error as DataCompError where error.code == .unsupportedDataType {
                throw DataCompError(
                    .dtypeMismatch,
                    "a subset file must hold the dtype [('f0', '<u8'), ('f1', '<u8')] (np.dtype('u8,u8')): \(error.message)",
                    position: error.position)
            }
            guard array.dataType == .sampleID, array.shape.count == 1 else {
                throw DataCompError(
                    .dtypeMismatch,
                    "a subset file must be a 1-D array of dtype [('f0', '<u8'), ('f1', '<u8')] (np.dtype('u8,u8')), found dtype \(array.dataType.descr) with shape \(array.shape)",
                    position: .offset(0))
            }
            records = array.storage
        } else {
            let length = whole.bytes.count
            guard length % 16 == 0 else {
                throw DataCompError(
                    .invalidFormat,
                    "not an .npy file (no \\x93NUMPY magic) and not raw 16-byte uid records: the length \(length) is not a multiple of 16 (\(length % 16) extra bytes at the end)",
                    position: .offset(length - length % 16))
            }
            records = whole
        }
        try Subset.validateSorted(records.bytes)
        return Subset(sortedStorage: records)
    }

    /// Writes identifiers as a subset `.npy` file, sorted ascending, byte-identical to NumPy's
    /// `np.save` of the sorted `u8,u8` array, atomically.
    ///
    /// - Parameters:
    ///   - ids: The identifiers in any order; duplicates are kept.
    ///   - path: The destination; its folder must exist.
    /// - Throws: ``DataCompError`` with code `io` naming the path.
    public static func write(_ ids: some Sequence<SampleID>, to path: String) throws {
        var sorted = Array(ids)
        sorted.sort()
        try AtomicFile.write(to: path) { sink in
            try sink.write(NPYHeader.encoded(dataType: .sampleID, shape: [sorted.count]))
            // Stream the records in chunks instead of building a second full-size copy.
            let chunkSize = 1 << 16
            var chunk = [UInt8](repeating: 0, count: chunkSize * 16)
            var start = 0
            while start < sorted.count {
                let end = min(sorted.count, start + chunkSize)
                chunk.withUnsafeMutableBytes { buffer in
                    for index in start..<end { sorted[index].storeRecord(into: buffer, at: (index - start) * 16) }
                }
                try sink.write(chunk[0..<((end - start) * 16)])
                start = end
            }
        }
    }

    /// Writes a subset as an `.npy` file, byte-identical to `np.save`, atomically.
    ///
    /// - Parameters:
    ///   - subset: The subset (already sorted).
    ///   - path: The destination; its folder must exist.
    /// - Throws: ``DataCompError`` with code `io` naming the path.
    public static func write(_ subset: Subset, to path: String) throws {
        try AtomicFile.write(to: path) { sink in
            try sink.write(NPYHeader.encoded(dataType: .sampleID, shape: [subset.count]))
            try withExtendedLifetime(subset.storage) { try sink.write(subset.storage.bytes) }
        }
    }
}
