/// Writes a ZIP archive member by member into a ``FileSink``, laid out exactly as Python's
/// `zipfile` does when NumPy's `np.savez` / `np.savez_compressed` write to a seekable file:
/// every local header carries a ZIP64 extra field (`force_zip64=True`), timestamps are
/// 1980-01-01 00:00, and ZIP64 central-directory fields and end records appear only past
/// `zipfile.ZIP64_LIMIT` (2 GiB - 1) or 65535 members.
struct ZipWriter {
    private struct Written {
        var name: [UInt8]
        var flags: UInt16
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var offset: Int
    }

    private var written: [Written] = []
    /// `zipfile.ZIP64_LIMIT`.
    private static let zip64Limit = (1 << 31) - 1
    /// `zipfile.ZIP_FILECOUNT_LIMIT`.
    private static let fileCountLimit = (1 << 16) - 1
    /// DOS date 1980-01-01 00:00:00 (`zipfile.ZipInfo`'s default `date_time`).
    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
    /// ZIP64 format version 4.5; made by Unix (3).
    private static let version: UInt16 = 45
    private static let madeBy: UInt16 = (3 << 8) | 45
    /// `0o600 << 16`, the permissions `ZipFile.open(name, "w")` records.
    private static let externalAttributes: UInt32 = 0o600 << 16

    /// Appends one member whose content is the concatenation of `parts`, stored or deflated.
    mutating func add(name: String, parts: [UnsafeRawBufferPointer], deflate: Bool, to sink: inout FileSink) throws {
        var crc: UInt32 = 0
        var size = 0
        for part in parts {
            crc = Deflate.zlib_crc32(crc, part)
            size += part.count
        }
        let compressed: [UInt8]? = deflate ? try Deflate.zlib_deflateRaw(parts) : nil
        let compressedSize = compressed?.count ?? size
        let offset = sink.bytesWritten
        let nameBytes = Array(name.utf8)
        // zipfile stores ASCII names as they are and flags UTF-8 names with bit 11.
        let flags: UInt16 = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 0x0800
        var header: [UInt8] = []
        header.appendLE(ZipFormat.localSignature)
        header.appendLE(Self.version)
        header.appendLE(flags)
        header.appendLE(UInt16(deflate ? 8 : 0))
        header.appendLE(Self.dosTime)
        header.appendLE(Self.dosDate)
        header.appendLE(crc)
        header.appendLE(UInt32.max)
        header.appendLE(UInt32.max)
        header.appendLE(UInt16(nameBytes.count))
        header.appendLE(UInt16(20))
        header.append(contentsOf: nameBytes)
        header.appendLE(ZipFormat.zip64ExtraID)
        header.appendLE(UInt16(16))
        header.appendLE(UInt64(size))
        header.appendLE(UInt64(compressedSize))
        try sink.write(header)
        if let compressed {
            try sink.write(compressed)
        } else {
            for part in parts { try sink.write(part) }
        }
        written.append(
            Written(
                name: nameBytes, flags: flags, method: deflate ? 8 : 0, crc32: crc, compressedSize: compressedSize,
                uncompressedSize: size, offset: offset))
    }

    /// Writes the central directory and end records.
    func finish(to sink: inout FileSink) throws {
        let directoryOffset = sink.bytesWritten
        var directory: [UInt8] = []
        for entry in written {
            var values: [UInt64] = []
            let largeSizes = entry.uncompressedSize > Self.zip64Limit || entry.compressedSize > Self.zip64Limit
            if largeSizes {
                values.append(UInt64(entry.uncompressedSize))
                values.append(UInt64(entry.compressedSize))
            }
            let largeOffset = entry.offset > Self.zip64Limit
            if largeOffset { values.append(UInt64(entry.offset)) }
            var extra: [UInt8] = []
            if !values.isEmpty {
                extra.appendLE(ZipFormat.zip64ExtraID)
                extra.appendLE(UInt16(8 * values.count))
                for value in values { extra.appendLE(value) }
            }
            directory.appendLE(ZipFormat.centralSignature)
            directory.appendLE(Self.madeBy)
            directory.appendLE(Self.version)
            directory.appendLE(entry.flags)
            directory.appendLE(entry.method)
            directory.appendLE(Self.dosTime)
            directory.appendLE(Self.dosDate)
            directory.appendLE(entry.crc32)
            directory.appendLE(largeSizes ? UInt32.max : UInt32(entry.compressedSize))
            directory.appendLE(largeSizes ? UInt32.max : UInt32(entry.uncompressedSize))
            directory.appendLE(UInt16(entry.name.count))
            directory.appendLE(UInt16(extra.count))
            directory.appendLE(UInt16(0))
            directory.appendLE(UInt16(0))
            directory.appendLE(UInt16(0))
            directory.appendLE(Self.externalAttributes)
            directory.appendLE(largeOffset ? UInt32.max : UInt32(entry.offset))
            directory.append(contentsOf: entry.name)
            directory.append(contentsOf: extra)
        }
        try sink.write(directory)
        let directoryEnd = sink.bytesWritten
        let count = written.count
        var end: [UInt8] = []
        if count > Self.fileCountLimit || directoryOffset > Self.zip64Limit || directory.count > Self.zip64Limit {
            end.appendLE(ZipFormat.end64Signature)
            end.appendLE(UInt64(44))
            end.appendLE(Self.version)
            end.appendLE(Self.version)
            end.appendLE(UInt32(0))
            end.appendLE(UInt32(0))
            end.appendLE(UInt64(count))
            end.appendLE(UInt64(count))
            end.appendLE(UInt64(directory.count))
            end.appendLE(UInt64(directoryOffset))
            end.appendLE(ZipFormat.end64LocatorSignature)
            end.appendLE(UInt32(0))
            end.appendLE(UInt64(directoryEnd))
            end.appendLE(UInt32(1))
        }
        end.appendLE(ZipFormat.endSignature)
        end.appendLE(UInt16(0))
        end.appendLE(UInt16(0))
        end.appendLE(UInt16(min(count, 0xFFFF)))
        end.appendLE(UInt16(min(count, 0xFFFF)))
        end.appendLE(UInt32(min(directory.count, 0xFFFF_FFFF)))
        end.appendLE(UInt32(min(directoryOffset, 0xFFFF_FFFF)))
        end.appendLE(UInt16(0))
        try sink.write(end)
    }
}

fileprivate extension [UInt8] {
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
