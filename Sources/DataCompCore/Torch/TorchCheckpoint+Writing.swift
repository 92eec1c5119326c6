extension TorchCheckpoint {
    /// Writes a NumPy array as `torch.save(array, path, pickle_protocol=4)` does — the way
    /// DataComp saves its centroids — so that `torch.load(path, weights_only=False)` returns the
    /// array and this reader reads it back.
    ///
    /// The archive holds `<stem>/data.pkl` (the array pickled with NumPy's `_reconstruct`, its
    /// data inline), `<stem>/byteorder` and `<stem>/version`; it is written under a temporary
    /// name and renamed.
    ///
    /// - Parameters:
    ///   - array: The array (any supported element type except the uid record).
    ///   - path: The file to write.
    /// - Throws: ``DataCompError`` with code `io` if the file cannot be written.
    /// - Precondition: The array is not of ``NPYDataType/sampleID``.
    public static func write(_ array: NPYArray, to path: String) throws {
        precondition(array.dataType != .sampleID, "structured uid arrays cannot be written as a torch.save file")
        var pickle: [UInt8] = [0x80, 4]
        func global(_ module: String, _ name: String) { pickle += [0x63] + Array("\(module)\n\(name)\n".utf8) }
        func unicode(_ text: String) { pickle += [0x8C, UInt8(text.utf8.count)] + Array(text.utf8) }
        func int(_ value: Int) {
            if value >= 0 && value < 256 {
                pickle += [0x4B, UInt8(value)]
            } else if value >= Int(Int32.min) && value <= Int(Int32.max) {
                pickle.append(0x4A)
                withUnsafeBytes(of: Int32(value).littleEndian) { pickle += $0 }
            } else {
                pickle += [0x8A, 8]
                withUnsafeBytes(of: Int64(value).littleEndian) { pickle += $0 }
            }
        }
        global("numpy.core.multiarray", "_reconstruct")
        global("numpy", "ndarray")
        int(0)
        pickle += [0x85, 0x43, 1, UInt8(ascii: "b"), 0x87, 0x52]  // TUPLE1, SHORT_BINBYTES b'b', TUPLE3, REDUCE
        pickle.append(0x28)  // MARK: the state (1, shape, dtype, fortran, data)
        int(1)
        pickle.append(0x28)
        for size in array.shape { int(size) }
        pickle.append(0x74)  // TUPLE
        global("numpy", "dtype")
        let code = String(array.dataType.description.dropFirst())  // '<f4' -> 'f4', '|u1' -> 'u1'
        unicode(code)
        pickle += [0x89, 0x88, 0x87, 0x52]  // False, True, TUPLE3, REDUCE
        pickle.append(0x28)
        int(3)
        unicode(array.dataType.itemSize == 1 ? "|" : "<")
        pickle += [0x4E, 0x4E, 0x4E]
        int(-1)
        int(-1)
        int(0)
        pickle += [0x74, 0x62, 0x89]  // TUPLE, BUILD (the dtype's state), False (C order)
        pickle.append(0x8E)  // BINBYTES8
        array.withUnsafeBytes { data in
            withUnsafeBytes(of: UInt64(data.count).littleEndian) { pickle += $0 }
            pickle += data
        }
        pickle += [0x74, 0x62, 0x2E]  // TUPLE, BUILD (the array's state), STOP
        let file = path.split(separator: "/").last.map(String.init) ?? "archive"
        let stem = file.split(separator: ".").first.map(String.init) ?? "archive"
        try AtomicFile.write(to: path) { sink in
            var writer = ZipWriter()
            for (name, content) in [
                ("data.pkl", pickle), ("byteorder", Array("little".utf8)), ("version", Array("3\n".utf8)),
            ] {
                try content.withUnsafeBytes { bytes in
                    try writer.add(name: "\(stem)/\(name)", parts: [bytes], deflate: false, to: &sink)
                }
            }
            try writer.finish(to: &sink)
        }
    }
}
