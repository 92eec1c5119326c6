/// Writes a ZIP archive member by member into a ``FileSink`` (ZIP64 records only when needed).
struct ZipWriter {
    private struct Written {
        var name: [UInt8]
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var offset: Int
    }

    private var written: [Written] = []
    private static let limit = 0xFFFF_FFFF
    /// DOS date 1980-01-01 00:00:00, so that archives are reproducible.
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    /// Appends one member whose content is the concatenation of `parts`, stored or deflated.
    mutating func add(name: String, parts: [UnsafeRawBufferPointer], deflate: Bool, to sink: inout FileSink) throws {
        var crc: UInt32 = 0
        var size = 0
        for part in parts {
            crc = Zlib.zlib_crc32(crc, part)
            size += part.count
        }
        let compressed: [UInt8]? = deflate ? try Zlib.zlib_deflateRaw(parts) : nil
        let compressedSize = compressed?.count ?? size
        let offset = sink.bytesWritten
        let nameBytes = Array(name.utf8)
        let needsZip64 = compressedSize >= Self.limit || size >= Self.limit
        var header: [UInt8] = []
        header.appendLE(UInt32(0x0403_4b50))
        header.appendLE(UInt16(needsZip64 ? 45 : 20))
        header.appendLE(UInt16(0))
        header.appendLE(UInt16(deflate ? 8 : 0))
        header.appendLE(Self.dosTime)
        header.appendLE(Self.dosDate)
        header.appendLE(crc)
        header.appendLE(needsZip64 ? UInt32.max : UInt32(compressedSize))
        header.appendLE(needsZip64 ? UInt32.max : UInt32(size))
        header.appendLE(UInt16(nameBytes.count))
        header.appendLE(UInt16(needsZip64 ? 20 : 0))
        header.append(contentsOf: nameBytes)
        if needsZip64 {
            header.appendLE(UInt16(1))
            header.appendLE(UInt16(16))
            header.appendLE(UInt64(size))
            header.appendLE(UInt64(compressedSize))
        }
        try sink.write(header)
        if let compressed {
            try sink.write(compressed)
        } else {
            for part in parts { try sink.write(part) }
        }
        written.append(
            Written(
                name: nameBytes, method: deflate ? 8 : 0, crc32: crc, compressedSize: compressedSize,
                uncompressedSize: size, offset: offset))
    }

    /// Writes the central directory and end records.
    func finish(to sink: inout FileSink) throws {
        let directoryOffset = sink.bytesWritten
        var directory: [UInt8] = []
        for entry in written {
            var extra: [UInt8] = []
            if entry.uncompressedSize >= Self.limit { extra.appendLE(UInt64(entry.uncompressedSize)) }
            if entry.compressedSize >= Self.limit { extra.appendLE(UInt64(entry.compressedSize)) }
            if entry.offset >= Self.limit { extra.appendLE(UInt64(entry.offset)) }
            if !extra.isEmpty { extra = [0x01, 0x00, UInt8(extra.count), 0x00] + extra }
            let zip64 = !extra.isEmpty
            directory.appendLE(UInt32(0x0201_4b50))
            directory.appendLE(UInt16(zip64 ? 45 : 20) | (3 << 8))  // made by: Unix
            directory.appendLE(UInt16(zip64 ? 45 : 20))
            directory.appendLE(UInt16(0))
            directory.appendLE(entry.method)
            directory.appendLE(Self.dosTime)
            directory.appendLE(Self.dosDate)
            directory.appendLE(entry.crc32)
            directory.appendLE(entry.compressedSize >= Self.limit ? UInt32.max : UInt32(entry.compressedSize))
            directory.appendLE(entry.uncompressedSize >= Self.limit ? UInt32.max : UInt32(entry.uncompressedSize))
            directory.appendLE(UInt16(entry.name.count))
            directory.appendLE(UInt16(extra.count))
            directory.appendLE(UInt16(0))
            directory.appendLE(UInt16(0))
            directory.appendLE(UInt16(0))
            directory.appendLE(UInt32(0o100644) << 16)
            directory.appendLE(entry.offset >= Self.limit ? UInt32.max : UInt32(entry.offset))
            directory.append(contentsOf: entry.name)
            directory.append(contentsOf: extra)
        }
        try sink.write(directory)
        let directoryEnd = sink.bytesWritten
        let count = written.count
        let zip64End = count >= 0xFFFF || directory.count >= Self.limit || directoryOffset >= Self.limit
        var end: [UInt8] = []
        if zip64End {
            end.appendLE(UInt32(0x0606_4b50))
            end.appendLE(UInt64(44))
            end.appendLE(UInt16(45))
            end.appendLE(UInt16(45))
            end.appendLE(UInt32(0))
            end.appendLE(UInt32(0))
            end.appendLE(UInt64(count))
            end.appendLE(UInt64(count))
            end.appendLE(UInt64(directory.count))
            end.appendLE(UInt64(directoryOffset))
            end.appendLE(UInt32(0x0706_4b50))
            end.appendLE(UInt32(0))
            end.appendLE(UInt64(directoryEnd))
            end.appendLE(UInt32(1))
        }
        end.appendLE(UInt32(0x0605_4b50))
        end.appendLE(UInt16(0))
        end.appendLE(UInt16(0))
        end.appendLE(UInt16(min(count, 0xFFFF)))
        end.appendLE(UInt16(min(count, 0xFFFF)))
        end.appendLE(directory.count >= Self.limit ? UInt32.max : UInt32(directory.count))
        end.appendLE(directoryOffset >= Self.limit ? UInt32.max : UInt32(directoryOffset))
        end.appendLE(UInt16(0))
        try sink.write(end)
    }
}

extension [UInt8] {
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
