// Decodes the pages of one column chunk into a column accumulator: page headers, codecs,
// levels, values, and the reassembly of nested lists from repetition/definition levels.

/// Decodes column chunks.
package enum ParquetChunkDecoder {
    /// The most level entries one page may declare (guards allocations against corrupted counts).
    static let maximumPageEntries = 1 << 25

    private static func corrupt(_ message: String, at offset: Int) -> DataCompError {
        DataCompError(.corruptData, message, position: .offset(offset))
    }

    /// Decodes one column chunk of a row group and appends its data to `column`.
    package static func decode(
        file: UnsafeRawBufferPointer, chunk: ThriftColumnChunk, rowGroupRows: Int,
        into column: ParquetColumnAccumulator, scratch: ParquetPageScratch, writerOmitsDictionaryHeader: Bool = false
    ) throws {
        let descriptor = column.descriptor
        guard let meta = chunk.metaData else {
            throw corrupt(
                "the chunk of column '\(descriptor.dottedPath)' has no metadata", at: Int(clamping: chunk.fileOffset))
        }
        guard chunk.filePath == nil else {
            throw DataCompError(
                .unsupportedFormat,
                "column '\(descriptor.dottedPath)' is stored in another file ('\(chunk.filePath ?? "")'); external column chunks are not supported"
            )
        }
        guard ParquetPhysicalType(thrift: meta.type) == descriptor.physicalType else {
            throw corrupt(
                "the chunk of column '\(descriptor.dottedPath)' has physical type \(meta.type) but the schema says \(descriptor.physicalType)",
                at: Int(clamping: chunk.fileOffset))
        }
        let codec = ParquetCompression(rawValue: meta.codec)
        guard [0, 1, 2, 4, 5, 6, 7].contains(meta.codec) else {
            throw DataCompError(
                .unsupportedFormat,
                "column '\(descriptor.dottedPath)' is compressed with \(codec), which this reader does not support (pyarrow does not either); rewrite the file with SNAPPY, ZSTD, GZIP, BROTLI, LZ4_RAW or no compression",
                position: .offset(Int(clamping: meta.dataPageOffset)))
        }
        // A chunk without values (a 0-row row group, as pq.write_table writes for an empty
        // table) has nothing to read; pyarrow does not look at its offsets, which may be 0.
        if meta.numValues == 0 && rowGroupRows == 0 { return }
        var start = meta.dataPageOffset
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        var (end64, overflow) = start.addingReportingOverflow(meta.totalCompressedSize)
        // PARQUET-816: parquet-mr up to 1.2.8 left the dictionary page header out of the chunk's
        // sizes; Arrow reads up to 100 more bytes for such files, and so do we.
        if !overflow, writerOmitsDictionaryHeader, meta.dictionaryPageOffset != nil {
            end64 += min(100, max(0, Int64(file.count - 8) - end64))
        }
        guard start >= 4, meta.totalCompressedSize >= 0, !overflow, end64 <= Int64(file.count) else {
            throw corrupt(
                "the chunk of column '\(descriptor.dottedPath)' claims bytes \(start)..<\(end64), outside the file of \(file.count) bytes",
                at: Int(clamping: start))
        }
        guard meta.numValues >= 0 else {
            throw corrupt(
                "the chunk of column '\(descriptor.dottedPath)' declares \(meta.numValues) values", at: Int(start))
        }
        let end = Int(end64)
        var offset = Int(start)
        // Reserve the decoded size up front so that large columns never regrow (bounded so
        // that corrupted sizes cannot force huge allocations).
        // Declared counts are only trusted as far as the chunk's bytes could hold them: a page of
        // n bytes holds at most 8n bit-packed entries.
        let plausibleEntries = min(Int(clamping: meta.numValues), (end - Int(start)) &* 8 &+ 64, 1 << 27)
        if let width = column.values.width {
            // Fixed-width values: at most one slot per level entry.
            column.values.reserve(bytes: plausibleEntries * width, values: 0)
        } else {
            let expected = min(Int(clamping: meta.totalUncompressedSize), (end - Int(start)) &* 64 &+ 4096, 1 << 31)
            column.values.reserve(bytes: expected, values: min(Int(clamping: meta.numValues), expected))
        }
        var entriesSeen = 0
        let totalEntries = meta.numValues
        var dictionary: ParquetValuesBuilder?
        let rowsBefore = column.rows
        let slotsBefore = column.values.valueCount
        while Int64(entriesSeen) < totalEntries {
            guard offset < end else {
                throw DataCompError(
                    .truncatedFile,
                    "the chunk of column '\(descriptor.dottedPath)' ends after \(entriesSeen) of its \(totalEntries) values",
                    position: .offset(offset))
            }
            let pageStart = offset
            var reader = ThriftCompactReader(
                UnsafeRawBufferPointer(rebasing: file[offset..<end]), baseOffset: offset,
                context: "page header of column '\(descriptor.dottedPath)'")
            let header = try ThriftPageHeader.decode(&reader)
            offset += reader.offset
            guard header.compressedPageSize >= 0, Int(header.compressedPageSize) <= end - offset,
                header.uncompressedPageSize >= 0
            else {
                throw corrupt(
                    "impossible page size: compressed \(header.compressedPageSize), uncompressed \(header.uncompressedPageSize) bytes, with \(end - offset) bytes left in the chunk of column '\(descriptor.dottedPath)'",
                    at: pageStart)
            }
            let payload = UnsafeRawBufferPointer(rebasing: file[offset..<(offset + Int(header.compressedPageSize))])
            offset += Int(header.compressedPageSize)
            do {
                switch header.type {
                case 2:
                    guard let dictionaryHeader = header.dictionaryPageHeader else {
                        throw corrupt("a dictionary page lacks its header", at: pageStart)
                    }
                    guard dictionary == nil else {
                        throw corrupt("a chunk holds a second dictionary page", at: pageStart)
                    }
                    guard dictionaryHeader.encoding == 0 || dictionaryHeader.encoding == 2 else {
                        throw DataCompError(
                            .unsupportedFormat,
                            "a dictionary page uses \(ParquetEncoding(rawValue: dictionaryHeader.encoding)); only PLAIN dictionaries exist"
                        )
                    }
                    let body = try decompress(
                        payload, codec: codec, size: Int(header.uncompressedPageSize), scratch: scratch)
                    let count = Int(dictionaryHeader.numValues)
                    guard count >= 0, count <= body.count * 8 + 64 else {
                        throw corrupt(
                            "a dictionary page declares \(count) values in \(body.count) bytes", at: pageStart)
                    }
                    let built = ParquetValuesBuilder(
                        width: column.values.width, fixedByteArrayLength: column.values.fixedByteArrayLength)
                    _ = try ParquetValueDecoding.plain(
                        body, count: count, isBoolean: descriptor.physicalType == .boolean, into: built)
                    dictionary = built
                    // Dictionary-encoded byte arrays expand; size the output from the dictionary's
                    // average value length so that it does not have to regrow.
                    if built.width == nil, count > 0 {
                        let average = built.data.count / count + 1
                        let remaining = min(Int(clamping: totalEntries) - entriesSeen, (end - offset) &* 8 &+ 64)
                        let estimate = min(remaining, 1 << 26) &* average
                        column.values.reserve(bytes: min(estimate + estimate / 8, 1 << 31), values: 0)
                    }
                case 0, 3:
                    let entries = try decodeDataPage(
                        header: header, payload: payload, codec: codec, column: column, dictionary: dictionary,
                        scratch: scratch, pageStart: pageStart, remaining: totalEntries - Int64(entriesSeen))
                    entriesSeen += entries
                default:
                    continue  // index pages and unknown page types carry no values
                }
            } catch var error as DataCompError {
                if error.position == nil { error.position = .offset(pageStart) }
                if !error.message.contains(descriptor.dottedPath) {
                    error.message = "column '\(descriptor.dottedPath)': " + error.message
                }
                throw error
            }
        }
        let rows = column.rows - rowsBefore
        if descriptor.maxRepetitionLevel == 0 {
            column.rows += column.values.valueCount - slotsBefore
        }
        let decodedRows = descriptor.maxRepetitionLevel == 0 ? column.values.valueCount - slotsBefore : rows
        guard decodedRows == rowGroupRows else {
            throw corrupt(
                "column '\(descriptor.dottedPath)' holds \(decodedRows) rows in a row group that declares \(rowGroupRows)",
                at: Int(start))
        }
    }

    private static func decompress(
        _ payload: UnsafeRawBufferPointer, codec: ParquetCompression, size: Int, scratch: ParquetPageScratch
    ) throws -> UnsafeRawBufferPointer {
        if codec == .uncompressed {
            guard size == payload.count else {
                throw DataCompError(
                    .corruptData,
                    "impossible page size: an uncompressed page declares \(size) bytes but stores \(payload.count)")
            }
            return payload
        }
        guard size <= 1 << 30 else {
            throw DataCompError(.corruptData, "impossible page size: a page declares \(size) uncompressed bytes")
        }
        // Every codec has a bounded compression ratio; reject sizes no real page can have.
        let ratio =
            codec == .gzip ? 1100 : (codec == .lz4Raw || codec == .lz4 || codec == .snappy) ? 256 : Int.max / (1 << 31)
        guard size <= payload.count &* ratio + 1024 || codec == .zstd || codec == .brotli else {
            throw DataCompError(
                .corruptData, "impossible page size: \(payload.count) \(codec) bytes cannot hold \(size) bytes")
        }
        scratch.decompressed.removeAll()
        let target = UnsafeMutableRawBufferPointer(start: scratch.decompressed.reserve(size), count: size)
        switch codec {
        case .snappy: try ParquetCodecs.snappy_uncompress(payload, into: target)
        case .gzip: try ParquetCodecs.parquet_gzip_inflate(payload, into: target)
        case .zstd: try ParquetCodecs.zstd_decompress(payload, into: target)
        case .lz4Raw: try ParquetCodecs.lz4_decompress_safe(payload, into: target)
        case .lz4: try ParquetCodecs.lz4_hadoop_or_raw(payload, into: target)
        case .brotli: try ParquetCodecs.brotli_decompress(payload, into: target)
        default: throw DataCompError(.unsupportedFormat, "the \(codec) codec is not supported")
        }
        scratch.decompressed.commit(size)
        return UnsafeRawBufferPointer(target)
    }

    /// Decodes `count` levels, or returns `true` without decoding when `uniformMaximum` is set
    /// and the levels are one RLE run of `maxLevel` (the common case of a column without nulls).
    @discardableResult
    private static func decodeLevels(
        _ data: UnsafeRawBufferPointer, offset: inout Int, prefixed: Bool, maxLevel: Int, count: Int,
        into output: UnsafeMutablePointer<UInt32>, what: String, uniformMaximum: Bool = false
    ) throws -> Bool {
        let bitWidth = maxLevel == 0 ? 0 : (Int.bitWidth - maxLevel.leadingZeroBitCount)
        var body: UnsafeRawBufferPointer
        if prefixed {
            guard data.count - offset >= 4 else {
                throw DataCompError(.corruptData, "the \(what) level length is cut off")
            }
            let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset += 4
            guard length <= data.count - offset else {
                throw DataCompError(.corruptData, "\(what) levels of \(length) bytes run past the page")
            }
            body = UnsafeRawBufferPointer(rebasing: data[offset..<(offset + length)])
            offset += length
        } else {
            body = UnsafeRawBufferPointer(rebasing: data[offset...])
            offset = data.count
        }
        if uniformMaximum, ParquetHybridDecoder.leadingRun(body, bitWidth: bitWidth, count: count) == UInt32(maxLevel) {
            return true
        }
        var decoder = try ParquetHybridDecoder(body, bitWidth: bitWidth)
        try decoder.decode(into: output, count: count)
        var largest: UInt32 = 0
        for i in 0..<count { largest = max(largest, output[i]) }
        guard Int(largest) <= maxLevel else {
            throw DataCompError(
                .corruptData, "a \(what) level of \(largest) exceeds the column's maximum of \(maxLevel)")
        }
        return false
    }

    private static func decodeDataPage(
        header: ThriftPageHeader, payload: UnsafeRawBufferPointer, codec: ParquetCompression,
        column: ParquetColumnAccumulator, dictionary: ParquetValuesBuilder?, scratch: ParquetPageScratch,
        pageStart: Int, remaining: Int64
    ) throws -> Int {
        let descriptor = column.descriptor
        let maxDef = descriptor.maxDefinitionLevel
        let maxRep = descriptor.maxRepetitionLevel
        let entries: Int
        let encoding: Int32
        let valuesData: UnsafeRawBufferPointer
        var allDefined = false
        if header.type == 0 {
            guard let page = header.dataPageHeader else {
                throw DataCompError(.corruptData, "a data page lacks its header")
            }
            entries = Int(page.numValues)
            encoding = page.encoding
            try checkEntries(entries, remaining: remaining)
            let body = try decompress(payload, codec: codec, size: Int(header.uncompressedPageSize), scratch: scratch)
            scratch.reserveLevels(entries)
            var cursor = 0
            if maxRep > 0 {
                guard page.repetitionLevelEncoding == 3 else {
                    throw DataCompError(
                        .unsupportedFormat,
                        "repetition levels use \(ParquetEncoding(rawValue: page.repetitionLevelEncoding)); only RLE is supported"
                    )
                }
                try decodeLevels(
                    body, offset: &cursor, prefixed: true, maxLevel: maxRep, count: entries, into: scratch.repetition,
                    what: "repetition")
            }
            if maxDef > 0 {
                guard page.definitionLevelEncoding == 3 else {
                    throw DataCompError(
                        .unsupportedFormat,
                        "definition levels use \(ParquetEncoding(rawValue: page.definitionLevelEncoding)); only RLE is supported"
                    )
                }
                allDefined = try decodeLevels(
                    body, offset: &cursor, prefixed: true, maxLevel: maxDef, count: entries, into: scratch.definition,
                    what: "definition", uniformMaximum: maxRep == 0)
            }
            valuesData = UnsafeRawBufferPointer(rebasing: body[cursor...])
        } else {
            guard let page = header.dataPageHeaderV2 else {
                throw DataCompError(.corruptData, "a data page (v2) lacks its header")
            }
            entries = Int(page.numValues)
            encoding = page.encoding
            try checkEntries(entries, remaining: remaining)
            let repLength = Int(page.repetitionLevelsByteLength)
            let defLength = Int(page.definitionLevelsByteLength)
            guard repLength >= 0, defLength >= 0, repLength + defLength <= payload.count,
                repLength + defLength <= Int(header.uncompressedPageSize)
            else {
                throw DataCompError(
                    .corruptData,
                    "impossible level sizes: \(repLength) + \(defLength) bytes in a page of \(payload.count) bytes")
            }
            scratch.reserveLevels(entries)
            if maxRep > 0 {
                var cursor = 0
                try decodeLevels(
                    UnsafeRawBufferPointer(rebasing: payload[0..<repLength]), offset: &cursor, prefixed: false,
                    maxLevel: maxRep, count: entries, into: scratch.repetition, what: "repetition")
            }
            if maxDef > 0 {
                var cursor = 0
                allDefined = try decodeLevels(
                    UnsafeRawBufferPointer(rebasing: payload[repLength..<(repLength + defLength)]), offset: &cursor,
                    prefixed: false, maxLevel: maxDef, count: entries, into: scratch.definition, what: "definition",
                    uniformMaximum: maxRep == 0)
            }
            let compressedValues = UnsafeRawBufferPointer(rebasing: payload[(repLength + defLength)...])
            let valuesSize = Int(header.uncompressedPageSize) - repLength - defLength
            if compressedValues.isEmpty && valuesSize == 0 {
                // No value bytes at all (an all-null page): some writers store nothing rather
                // than a compressed empty stream, and Arrow reads that.
                valuesData = compressedValues
            } else if page.isCompressed && codec != .uncompressed {
                valuesData = try decompress(compressedValues, codec: codec, size: valuesSize, scratch: scratch)
            } else {
                guard valuesSize == compressedValues.count else {
                    throw DataCompError(
                        .corruptData,
                        "impossible page size: the uncompressed values declare \(valuesSize) bytes but the page stores \(compressedValues.count)"
                    )
                }
                valuesData = compressedValues
            }
        }
        // Levels → leaf slots, list offsets and validity.
        let slotsBefore = column.values.valueCount
        var nonNull = 0
        var slotCount = 0
        var anyNull = false
        scratch.slotValid.removeAll(keepingCapacity: true)
        let def = scratch.definition
        if maxRep == 0 {
            slotCount = entries
            if maxDef == 0 || allDefined {
                nonNull = entries
            } else {
                for i in 0..<entries where def[i] == UInt32(maxDef) { nonNull += 1 }
                if nonNull != entries {
                    anyNull = true
                    scratch.slotValid.reserveCapacity(entries)
                    for i in 0..<entries { scratch.slotValid.append(def[i] == UInt32(maxDef)) }
                }
            }
            if anyNull {
                for flag in scratch.slotValid { column.validity.append(flag) }
            } else {
                column.validity.append(repeating: true, count: entries)
            }
        } else {
            let rep = scratch.repetition
            let elementLevels = descriptor.elementDefinitionLevels
            let depth = elementLevels.count
            // Work on local copies so that the hot loop has no class-property accesses.
            var starts = column.listStarts
            var listValidity = column.listValidity
            var counts = column.elementCounts
            var validity = column.validity
            var slotValid = scratch.slotValid
            var rows = column.rows
            column.listStarts = []
            column.listValidity = []
            column.validity = ParquetValidity()
            scratch.slotValid = []
            defer {
                column.listStarts = starts
                column.listValidity = listValidity
                column.elementCounts = counts
                column.validity = validity
                column.rows = rows
                scratch.slotValid = slotValid
            }
            for i in 0..<entries {
                let r = Int(rep[i])
                let d = Int(def[i])
                if r == 0 {
                    rows += 1
                } else {
                    guard rows > 0 else {
                        throw DataCompError(
                            .corruptData,
                            "the first level entry of a column chunk continues a list (repetition level \(r))")
                    }
                    guard d >= elementLevels[r - 1] else {
                        throw DataCompError(
                            .corruptData,
                            "a repeated entry (repetition level \(r)) has definition level \(d), below \(elementLevels[r - 1])"
                        )
                    }
                    counts[r - 1] += 1
                }
                var hasSlot = true
                var level = r
                while level < depth {
                    if level > 0 && d < elementLevels[level - 1] { hasSlot = false; break }
                    starts[level].append(counts[level])
                    listValidity[level].append(d >= elementLevels[level] - 1)
                    if d < elementLevels[level] { hasSlot = false; break }
                    counts[level] += 1
                    level += 1
                }
                if hasSlot {
                    let valid = d == maxDef
                    slotValid.append(valid)
                    validity.append(valid)
                    if valid { nonNull += 1 } else { anyNull = true }
                }
            }
            slotCount = slotValid.count
        }
        try decodeValues(
            valuesData, encoding: encoding, count: nonNull, column: column, dictionary: dictionary,
            scratch: scratch.indices)
        guard column.values.valueCount - slotsBefore == nonNull else {
            throw DataCompError(
                .corruptData, "the page decoded \(column.values.valueCount - slotsBefore) values, expected \(nonNull)")
        }
        if anyNull {
            scratch.slotValid.withUnsafeBufferPointer { column.values.spread(denseCount: nonNull, valid: $0) }
        }
        _ = slotCount
        return entries
    }

    private static func checkEntries(_ entries: Int, remaining: Int64) throws {
        guard entries >= 0, Int64(entries) <= remaining, entries <= maximumPageEntries else {
            throw DataCompError(.corruptData, "a page declares \(entries) values but the chunk has \(remaining) left")
        }
    }

    private static func decodeValues(
        _ data: UnsafeRawBufferPointer, encoding: Int32, count: Int, column: ParquetColumnAccumulator,
        dictionary: ParquetValuesBuilder?, scratch: UnsafeMutablePointer<UInt32>
    ) throws {
        let type = column.descriptor.physicalType
        let builder = column.values
        let name = ParquetEncoding(rawValue: encoding)
        func unsupported() -> DataCompError {
            DataCompError(.unsupportedFormat, "\(name) encoding is not valid for \(type) values")
        }
        switch encoding {
        case 0:
            _ = try ParquetValueDecoding.plain(data, count: count, isBoolean: type == .boolean, into: builder)
        case 2, 8:
            guard let dictionary else {
                if count == 0 { return }
                throw DataCompError(.corruptData, "a dictionary-encoded page has no dictionary page before it")
            }
            try ParquetValueDecoding.dictionary(
                data, count: count, dictionary: dictionary, into: builder, indices: scratch)
        case 3:
            guard type == .boolean else { throw unsupported() }
            try ParquetValueDecoding.rleBoolean(data, count: count, into: builder, scratch: scratch)
        case 5:
            guard type == .int32 || type == .int64, let width = builder.width else { throw unsupported() }
            _ = try ParquetValueDecoding.deltaBinaryPacked(data, count: count, width: width, into: builder)
        case 6:
            guard type == .byteArray else { throw unsupported() }
            _ = try ParquetValueDecoding.deltaLengthByteArray(data, count: count, into: builder)
        case 7:
            guard type == .byteArray || type == .fixedLengthByteArray else { throw unsupported() }
            try ParquetValueDecoding.deltaByteArray(data, count: count, into: builder)
        case 9:
            switch type {
            case .float, .double, .int32, .int64:
                try ParquetValueDecoding.byteStreamSplit(
                    data, count: count, width: builder.width ?? 0, fixedByteArray: false, into: builder)
            case .fixedLengthByteArray:
                try ParquetValueDecoding.byteStreamSplit(
                    data, count: count, width: builder.fixedByteArrayLength ?? 0, fixedByteArray: true, into: builder)
            default: throw unsupported()
            }
        default:
            throw DataCompError(.unsupportedFormat, "\(name) encoding is not supported")
        }
    }
}
