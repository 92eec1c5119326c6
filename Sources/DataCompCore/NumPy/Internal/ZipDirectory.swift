/// One member of a ZIP archive, as described by its central-directory entry.
struct ZipEntry: Sendable {
    var name: String
    var method: UInt16
    var flags: UInt16
    var crc32: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int
    /// The offset of the member's first data byte (after its local header).
    var dataOffset: Int
}

/// Reads the central directory of a ZIP archive (including ZIP64 records) held in memory.
enum ZipDirectory {
    /// Parses every entry and resolves its data offset through the local header.
    ///
    /// - Throws: ``DataCompError`` (without a path) naming offsets and members.
    static func entries(in bytes: UnsafeRawBufferPointer) throws -> [ZipEntry] {
        let endOffset = try findEnd(bytes)
        var end = ByteReader(bytes, offset: endOffset + 4, context: "ZIP end of central directory")
        let disk = try end.readUInt16()
        let directoryDisk = try end.readUInt16()
        _ = try end.readUInt16()
        var entryCount = Int(try end.readUInt16())
        var directorySize = Int(try end.readUInt32())
        var directoryOffset = Int(try end.readUInt32())
        guard disk == 0 || disk == 0xFFFF, directoryDisk == 0 || directoryDisk == 0xFFFF else {
            throw DataCompError(
                .unsupportedFormat, "multi-part (spanned) ZIP archives are not supported", position: .offset(endOffset))
        }
        // ZIP64: a locator sits right before the classic end record.
        if endOffset >= 20,
            bytes.loadUnaligned(fromByteOffset: endOffset - 20, as: UInt32.self)
                == ZipFormat.end64LocatorSignature.littleEndian
        {
            var locator = ByteReader(bytes, offset: endOffset - 12, context: "ZIP64 end locator")
            let end64Offset = try checkedOffset(
                try locator.readUInt64(), limit: bytes.count, what: "ZIP64 end record offset", at: endOffset - 12)
            var end64 = ByteReader(bytes, offset: end64Offset, context: "ZIP64 end of central directory")
            guard try end64.readUInt32(for: "signature") == ZipFormat.end64Signature else {
                throw end64.error(.invalidFormat, "no ZIP64 end record where the locator points", at: end64Offset)
            }
            try end64.skip(8 + 2 + 2 + 4 + 4, for: "ZIP64 end record")
            _ = try end64.readUInt64()
            entryCount = try checkedOffset(
                try end64.readUInt64(), limit: bytes.count, what: "entry count", at: end64.offset - 8)
            directorySize = try checkedOffset(
                try end64.readUInt64(), limit: bytes.count, what: "central directory size", at: end64.offset - 8)
            directoryOffset = try checkedOffset(
                try end64.readUInt64(), limit: bytes.count, what: "central directory offset", at: end64.offset - 8)
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw DataCompError(
                .corruptData,
                "the central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside the \(bytes.count)-byte file",
                position: .offset(endOffset))
        }
        guard entryCount <= directorySize / 46 else {
            throw DataCompError(
                .corruptData, "the archive declares \(entryCount) members, more than its central directory can hold",
                position: .offset(endOffset))
        }
        var entries: [ZipEntry] = []
        entries.reserveCapacity(entryCount)
        var reader = ByteReader(bytes, offset: directoryOffset, context: "ZIP central directory")
        for _ in 0..<entryCount {
            let entryOffset = reader.offset
            guard try reader.readUInt32(for: "entry signature") == ZipFormat.centralSignature else {
                throw reader.error(.invalidFormat, "expected a central directory entry (PK\\x01\\x02)", at: entryOffset)
            }
            try reader.skip(4)
            let flags = try reader.readUInt16()
            let method = try reader.readUInt16()
            try reader.skip(4)
            let crc = try reader.readUInt32()
            var compressed = UInt64(try reader.readUInt32())
            var uncompressed = UInt64(try reader.readUInt32())
            let nameLength = Int(try reader.readUInt16())
            let extraLength = Int(try reader.readUInt16())
            let commentLength = Int(try reader.readUInt16())
            try reader.skip(2 + 2 + 4)
            var localOffset = UInt64(try reader.readUInt32())
            let nameBytes = try reader.readBytes(nameLength, for: "member name")
            let name = String(decoding: nameBytes, as: UTF8.self)
            var extra = ByteReader(
                try reader.readBytes(extraLength, for: "extra field"), baseOffset: reader.offset - extraLength,
                context: "ZIP extra field of '\(name)'")
            try reader.skip(commentLength, for: "member comment")
            while extra.remaining >= 4 {
                let id = try extra.readUInt16()
                let size = Int(try extra.readUInt16())
                var field = ByteReader(
                    try extra.readBytes(size, for: "extra block"), baseOffset: extra.baseOffset + extra.offset - size,
                    context: extra.context)
                guard id == ZipFormat.zip64ExtraID else { continue }
                if uncompressed == 0xFFFF_FFFF { uncompressed = try field.readUInt64(for: "ZIP64 size") }
                if compressed == 0xFFFF_FFFF { compressed = try field.readUInt64(for: "ZIP64 compressed size") }
                if localOffset == 0xFFFF_FFFF { localOffset = try field.readUInt64(for: "ZIP64 header offset") }
            }
            let compressedSize = try checkedOffset(
                compressed, limit: bytes.count, what: "compressed size of '\(name)'", at: entryOffset)
            let uncompressedSize = try checkedOffset(
                uncompressed, limit: Int.max / 2, what: "size of '\(name)'", at: entryOffset)
            let localHeaderOffset = try checkedOffset(
                localOffset, limit: bytes.count, what: "header offset of '\(name)'", at: entryOffset)
            var local = ByteReader(bytes, offset: localHeaderOffset, context: "ZIP local header of '\(name)'")
            guard try local.readUInt32(for: "signature") == ZipFormat.localSignature else {
                throw DataCompError(
                    .invalidFormat, "expected a local file header (PK\\x03\\x04) for '\(name)'",
                    position: .offset(localHeaderOffset))
            }
            try local.skip(22)
            let localNameLength = Int(try local.readUInt16())
            let localExtraLength = Int(try local.readUInt16())
            let localName = try local.readBytes(localNameLength, for: "member name")
            guard localName.elementsEqual(nameBytes) else {
                throw DataCompError(
                    .corruptData, "the local header names a different member than the central directory ('\(name)')",
                    position: .offset(localHeaderOffset))
            }
            try local.skip(localExtraLength, for: "extra field")
            let dataOffset = local.offset
            guard compressedSize <= bytes.count - dataOffset else {
                throw DataCompError(
                    .truncatedFile,
                    "member '\(name)' needs \(compressedSize) bytes from offset \(dataOffset), but the file has \(bytes.count) bytes",
                    position: .memberOffset(name, 0))
            }
            entries.append(
                ZipEntry(
                    name: name, method: method, flags: flags, crc32: crc, compressedSize: compressedSize,
                    uncompressedSize: uncompressedSize, localHeaderOffset: localHeaderOffset, dataOffset: dataOffset))
        }
        return entries
    }

    private static func checkedOffset(_ value: UInt64, limit: Int, what: String, at position: Int) throws -> Int {
        guard value <= UInt64(limit) else {
            throw DataCompError(
                .corruptData, "the \(what) (\(value)) is larger than possible", position: .offset(position))
        }
        return Int(value)
    }

    private static func findEnd(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        guard bytes.count >= 22 else {
            throw DataCompError(
                .invalidFormat, "not a ZIP/NPZ archive: \(bytes.count) bytes is shorter than the 22-byte end record",
                position: .offset(0))
        }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var candidate = bytes.count - 22
        while candidate >= lowest {
            if bytes.loadUnaligned(fromByteOffset: candidate, as: UInt32.self) == ZipFormat.endSignature.littleEndian {
                let commentLength = Int(
                    UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: candidate + 20, as: UInt16.self)))
                if candidate + 22 + commentLength <= bytes.count { return candidate }
            }
            candidate -= 1
        }
        throw DataCompError(
            .invalidFormat, "not a ZIP/NPZ archive: no end-of-central-directory record (PK\\x05\\x06) found",
            position: .offset(bytes.count))
    }
}
