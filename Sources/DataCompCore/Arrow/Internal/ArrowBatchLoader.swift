/// Loads one `RecordBatch` message into checked ``ArrowArrayData`` trees, one per column.
///
/// Field nodes and buffers are consumed in the preorder of the schema's fields: null types have
/// no buffers; fixed-width types a validity and a values buffer; (large) binary and text a
/// validity, an offsets and a data buffer; (large) lists a validity and an offsets buffer, then
/// their child; fixed-size lists a validity buffer, then their child; structs a validity
/// buffer, then their children. Every buffer must lie inside the body, every offset inside the
/// data it indexes, text must be UTF-8 and the counts must match the schema.
///
/// A dictionary-encoded field has a validity and an indices buffer; its indices must point into
/// the dictionary batch of its id, sent before.
struct ArrowBatchLoader {
    let file: MappedFile
    let message: ArrowMessage
    /// The batch, for error messages ("record batch 3", "dictionary batch 0").
    let batchName: String
    private let dictionaries: [Int64: ArrowDictionary]
    private let nodes: FlatVector?
    private let buffers: FlatVector?
    private let isCompressed: Bool
    private var nodeIndex = 0
    private var bufferIndex = 0

    /// Loads the `RecordBatch` table `batch` of `message` (its header, or a dictionary batch's
    /// data); returns its row count and one array per layout.
    static func load(
        file: MappedFile, message: ArrowMessage, batch: FlatTable, name: String, layouts: [ArrowFieldLayout],
        dictionaries: [Int64: ArrowDictionary]
    ) throws -> (length: Int, columns: [ArrowArrayData]) {
        var loader = try ArrowBatchLoader(
            file: file, message: message, batch: batch, name: name, dictionaries: dictionaries)
        let length = try batch.scalar(0, Int64.self)
        guard length >= 0 else { throw loader.corrupt("declares \(length) rows") }
        var columns: [ArrowArrayData] = []
        for layout in layouts {
            let column = try loader.array(layout, path: layout.field.name)
            guard column.length == Int(length) else {
                throw loader.corrupt(
                    "column '\(layout.field.name)' has \(column.length) values but the batch has \(length) rows")
            }
            columns.append(column)
        }
        guard loader.nodeIndex == (loader.nodes?.count ?? 0) else {
            throw loader.corrupt(
                "has \(loader.nodes?.count ?? 0) field nodes but the schema's fields use \(loader.nodeIndex)")
        }
        guard loader.bufferIndex == (loader.buffers?.count ?? 0) else {
            throw loader.corrupt(
                "has \(loader.buffers?.count ?? 0) buffers but the schema's fields use \(loader.bufferIndex)")
        }
        return (Int(length), columns)
    }

    private init(
        file: MappedFile, message: ArrowMessage, batch header: FlatTable, name: String,
        dictionaries: [Int64: ArrowDictionary]
    ) throws {
        self.file = file
        self.message = message
        self.batchName = name
        self.dictionaries = dictionaries
        nodes = try header.vector(1, stride: 16, "the field nodes")
        buffers = try header.vector(2, stride: 16, "the buffers")
        if let compression = try header.table(3, "BodyCompression") {
            let codec = try compression.scalar(0, Int8.self)
            let method = try compression.scalar(1, Int8.self)
            guard method == 0 else {
                throw DataCompError(
                    .unsupportedFormat,
                    "\(batchName) uses the body compression method \(method), which is not supported; "
                        + "re-save the file uncompressed (pyarrow: `pa.ipc.IpcWriteOptions(compression=None)`)",
                    position: .offset(message.start))
            }
            switch codec {
            case 1: isCompressed = true
            case 0:
                throw DataCompError(
                    .unsupportedFormat,
                    "\(batchName) is compressed with LZ4_FRAME (Feather's default), which is not "
                        + "supported (ZSTD and uncompressed bodies are); re-save the file uncompressed or with ZSTD, "
                        + "for example with pyarrow `feather.write_feather(table, path, compression=\"uncompressed\")` "
                        + "or `ipc.new_file(path, schema, options=ipc.IpcWriteOptions(compression=\"zstd\"))`",
                    position: .offset(message.start))
            default:
                throw DataCompError(
                    .unsupportedFormat,
                    "\(batchName) is compressed with the unknown codec \(codec); re-save the file "
                        + "uncompressed (pyarrow: `pa.ipc.IpcWriteOptions(compression=None)`)",
                    position: .offset(message.start))
            }
        } else {
            isCompressed = false
        }
    }

    private func corrupt(_ message: String, at position: Int? = nil) -> DataCompError {
        DataCompError(
            .corruptData, "\(batchName) \(message); the file is corrupted",
            position: .offset(position ?? self.message.start))
    }

    /// The largest decompressed buffer accepted: allocations stay bounded whatever a file declares.
    static let maximumDecompressedBuffer: Int64 = 1 << 31

    // MARK: Nodes and buffers

    private mutating func nextNode(_ path: String) throws -> (length: Int, nullCount: Int) {
        guard let nodes, nodeIndex < nodes.count else {
            throw corrupt("has \(nodes?.count ?? 0) field nodes, too few for the schema (at field '\(path)')")
        }
        let length = try nodes.load(nodeIndex, offset: 0, as: Int64.self)
        let nullCount = try nodes.load(nodeIndex, offset: 8, as: Int64.self)
        nodeIndex += 1
        guard length >= 0, nullCount >= 0, nullCount <= length else {
            throw corrupt("field '\(path)' declares \(length) values of which \(nullCount) are null")
        }
        return (Int(length), Int(nullCount))
    }

    private mutating func nextBuffer(_ path: String, _ what: String) throws -> ArrowBuffer {
        guard let buffers, bufferIndex < buffers.count else {
            throw corrupt(
                "has \(buffers?.count ?? 0) buffers, too few for the schema (at the \(what) of field '\(path)')")
        }
        let index = bufferIndex
        let offset = try buffers.load(index, offset: 0, as: Int64.self)
        let length = try buffers.load(index, offset: 8, as: Int64.self)
        bufferIndex += 1
        guard offset >= 0, length >= 0, offset <= Int64(message.bodyLength),
            length <= Int64(message.bodyLength) - offset
        else {
            throw corrupt(
                "buffer \(index) (the \(what) of field '\(path)': offset \(offset), \(length) bytes) lies outside the "
                    + "\(message.bodyLength)-byte message body",
                at: message.bodyStart)
        }
        let start = message.bodyStart + Int(offset)
        let raw = ArrowBuffer(file: file, range: start..<(start + Int(length)))
        guard isCompressed, length > 0 else { return raw }
        return try decompress(raw, index: index, path: path, what: what)
    }

    /// Decompresses a ZSTD buffer: an int64 uncompressed length (-1: stored as is), then the frame.
    private func decompress(_ raw: ArrowBuffer, index: Int, path: String, what: String) throws -> ArrowBuffer {
        let position = raw.range.lowerBound
        guard raw.count >= 8 else {
            throw corrupt(
                "buffer \(index) (the \(what) of field '\(path)') is compressed but has \(raw.count) bytes, "
                    + "fewer than its 8-byte length prefix", at: position)
        }
        let declared = raw.load(0, as: Int64.self)
        let frame = ArrowBuffer(file: file, range: (raw.range.lowerBound + 8)..<raw.range.upperBound)
        if declared == -1 { return frame }
        guard declared <= ArrowBatchLoader.maximumDecompressedBuffer else {
            throw DataCompError(
                .unsupportedFormat,
                "\(batchName): buffer \(index) (the \(what) of field '\(path)') declares \(declared) uncompressed "
                    + "bytes, more than the 2 GiB a compressed buffer may hold here; write the file uncompressed or with "
                    + "smaller record batches",
                position: .offset(position))
        }
        // The frame must declare the same size (Arrow's writers always do), and no ZSTD frame
        // expands more than 65536-fold (a block of at most 128 KiB costs at least 3 bytes), so a
        // hostile length cannot make the reader allocate more than the frame can fill.
        let contentSize = try? ParquetCodecs.zstd_getFrameContentSize(frame.bytes)
        guard declared >= 0, declared / 65536 <= Int64(frame.count), let contentSize, contentSize == UInt64(declared)
        else {
            throw corrupt(
                "buffer \(index) (the \(what) of field '\(path)') declares \(declared) uncompressed bytes but its ZSTD "
                    + "frame declares \(contentSize.map(String.init) ?? "no size")", at: position)
        }
        var output = [UInt8](repeating: 0, count: Int(declared))
        do {
            try output.withUnsafeMutableBytes { try ParquetCodecs.zstd_decompress(frame.bytes, into: $0) }
        } catch let error as DataCompError {
            throw corrupt(
                "buffer \(index) (the \(what) of field '\(path)') does not decompress: \(error.message)", at: position)
        }
        let storage = MappedFile(contents: output, path: file.path)
        return ArrowBuffer(decompressed: storage, fileOffset: position)
    }

    // MARK: Arrays

    private mutating func array(_ layout: ArrowFieldLayout, path: String) throws -> ArrowArrayData {
        let field = layout.field
        let (length, nullCount) = try nextNode(path)
        if case .null = field.type, layout.dictionary == nil {
            return ArrowArrayData(
                type: .null, length: length, nullCount: length, validity: nil, offsets: nil, values: nil, children: [])
        }
        let bitmap = try nextBuffer(path, "validity bitmap")
        let validity = nullCount > 0 ? bitmap : nil
        if let validity {
            try checkValidity(validity, length: length, nullCount: nullCount, path: path)
        }
        if let encoding = layout.dictionary {
            return try dictionaryIndices(
                field, encoding, length: length, nullCount: nullCount, validity: validity, path: path)
        }
        var offsets: ArrowBuffer?
        var values: ArrowBuffer?
        var children: [ArrowArrayData] = []
        switch field.type {
        case .null:
            break
        case .bool:
            values = try fixedWidth(path, length: length, bits: 1)
        case .int8, .uint8:
            values = try fixedWidth(path, length: length, bits: 8)
        case .int16, .uint16, .float16:
            values = try fixedWidth(path, length: length, bits: 16)
        case .int32, .uint32, .float32, .date32, .time32:
            values = try fixedWidth(path, length: length, bits: 32)
        case .int64, .uint64, .float64, .date64, .time64, .timestamp, .duration:
            values = try fixedWidth(path, length: length, bits: 64)
        case .fixedSizeBinary(let width):
            let (bits, overflow) = width.multipliedReportingOverflow(by: 8)
            guard !overflow else { throw corrupt("field '\(path)' has values of \(width) bytes") }
            values = try fixedWidth(path, length: length, bits: bits)
        case .utf8, .binary, .largeUTF8, .largeBinary:
            let offsetBuffer = try nextBuffer(path, "offsets")
            let data = try nextBuffer(path, "data")
            let isLarge = field.type == .largeUTF8 || field.type == .largeBinary
            try checkOffsets(
                offsetBuffer, isLarge: isLarge, length: length, limit: data.count, isData: true, path: path)
            offsets = offsetBuffer
            values = data
            if field.type == .utf8 || field.type == .largeUTF8 {
                try checkText(
                    offsets: offsetBuffer, data: data, isLarge: isLarge, length: length, validity: validity, path: path)
            }
        case .list(let child), .largeList(let child):
            let offsetBuffer = try nextBuffer(path, "offsets")
            let childData = try array(layout.children[0], path: path + "." + child.name)
            let isLarge: Bool
            if case .largeList = field.type { isLarge = true } else { isLarge = false }
            try checkOffsets(offsetBuffer, isLarge: isLarge, length: length, limit: childData.length, path: path)
            offsets = offsetBuffer
            children = [childData]
        case .fixedSizeList(let child, let size):
            let childData = try array(layout.children[0], path: path + "." + child.name)
            let (needed, overflow) = length.multipliedReportingOverflow(by: size)
            guard !overflow, childData.length >= needed else {
                throw corrupt(
                    "field '\(path)' holds \(length) lists of \(size) values but its child has \(childData.length) values"
                )
            }
            children = [childData]
        case .struct:
            for childLayout in layout.children {
                let child = childLayout.field
                let childData = try array(childLayout, path: path + "." + child.name)
                guard childData.length >= length else {
                    throw corrupt(
                        "field '\(path)' has \(length) values but its child '\(child.name)' has \(childData.length)")
                }
                children.append(childData)
            }
        }
        return ArrowArrayData(
            type: field.type, length: length, nullCount: nullCount, validity: validity, offsets: offsets,
            values: values, children: children)
    }

    /// The indices of a dictionary-encoded field, each checked to point into its dictionary.
    private mutating func dictionaryIndices(
        _ field: ArrowField, _ encoding: (id: Int64, indexType: ArrowDataType), length: Int, nullCount: Int,
        validity: ArrowBuffer?, path: String
    ) throws -> ArrowArrayData {
        let bits: Int
        switch encoding.indexType {
        case .int8, .uint8: bits = 8
        case .int16, .uint16: bits = 16
        case .int32, .uint32: bits = 32
        default: bits = 64
        }
        let indices = try fixedWidth(path, length: length, bits: bits)
        guard let dictionary = dictionaries[encoding.id] else {
            throw corrupt(
                "field '\(path)' is dictionary-encoded but dictionary \(encoding.id) was not sent before the batch")
        }
        let size = dictionary.data.length
        let isSigned = [.int8, .int16, .int32, .int64].contains(encoding.indexType)
        for row in 0..<length where validity?.bit(row) ?? true {
            let index: Int
            if !isSigned && bits == 64 {
                let raw = indices.load(row, as: UInt64.self)
                index = raw > UInt64(Int.max) ? -1 : Int(raw)
            } else {
                index = ArrowArrayData.index(indices, row, as: encoding.indexType)
            }
            guard index >= 0, index < size else {
                throw corrupt(
                    "value \(row) of the dictionary-encoded field '\(path)' is index \(index) of a "
                        + "\(size)-value dictionary",
                    at: indices.filePosition(ofByte: row * bits / 8))
            }
        }
        return ArrowArrayData(
            type: field.type, length: length, nullCount: nullCount, validity: validity, offsets: nil, values: indices,
            children: [], dictionary: (dictionary, encoding.indexType))
    }

    private mutating func fixedWidth(_ path: String, length: Int, bits: Int) throws -> ArrowBuffer {
        let buffer = try nextBuffer(path, "values")
        let (total, overflow) = length.multipliedReportingOverflow(by: bits)
        guard !overflow, buffer.count >= total / 8 + (total % 8 == 0 ? 0 : 1) else {
            throw corrupt(
                "the values of field '\(path)' have \(buffer.count) bytes, too few for \(length) values of \(bits) bits",
                at: buffer.filePosition(ofByte: 0))
        }
        return buffer
    }

    private func checkValidity(_ bitmap: ArrowBuffer, length: Int, nullCount: Int, path: String) throws {
        guard bitmap.count >= length / 8 + (length % 8 == 0 ? 0 : 1) else {
            throw corrupt(
                "the validity bitmap of field '\(path)' has \(bitmap.count) bytes, too few for \(length) values",
                at: bitmap.filePosition(ofByte: 0))
        }
        let bytes = bitmap.bytes
        var valid = 0
        var index = 0
        while index + 64 <= length {
            valid += bytes.loadUnaligned(fromByteOffset: index / 8, as: UInt64.self).nonzeroBitCount
            index += 64
        }
        while index < length {
            if bitmap.bit(index) { valid += 1 }
            index += 1
        }
        guard length - valid == nullCount else {
            throw corrupt(
                "field '\(path)' declares \(nullCount) nulls but its validity bitmap has \(length - valid)",
                at: bitmap.filePosition(ofByte: 0))
        }
    }

    /// Checks that `length + 1` offsets are non-negative, non-decreasing and at most `limit`.
    private func checkOffsets(
        _ offsets: ArrowBuffer, isLarge: Bool, length: Int, limit: Int, isData: Bool = false, path: String
    ) throws {
        guard length > 0 else { return }
        let width = isLarge ? 8 : 4
        guard offsets.count / width > length else {
            throw corrupt(
                "the offsets of field '\(path)' have \(offsets.count) bytes, too few for \(length) values",
                at: offsets.filePosition(ofByte: 0))
        }
        func offset(_ index: Int) -> Int64 {
            isLarge ? offsets.load(index, as: Int64.self) : Int64(offsets.load(index, as: Int32.self))
        }
        var previous = offset(0)
        guard previous >= 0 else {
            throw corrupt("the first offset of field '\(path)' is \(previous)", at: offsets.filePosition(ofByte: 0))
        }
        for index in 1...length {
            let current = offset(index)
            guard current >= previous else {
                throw corrupt(
                    "the offsets of field '\(path)' decrease at value \(index - 1) (\(previous) to \(current))",
                    at: offsets.filePosition(ofByte: index * width))
            }
            previous = current
        }
        guard previous <= Int64(limit) else {
            throw corrupt(
                "the last offset of field '\(path)' is \(previous) but its data has \(limit) "
                    + (isData ? "bytes" : "values"),
                at: offsets.filePosition(ofByte: length * width))
        }
    }

    /// Checks that every non-null value of a text field is UTF-8.
    private func checkText(
        offsets: ArrowBuffer, data: ArrowBuffer, isLarge: Bool, length: Int, validity: ArrowBuffer?, path: String
    ) throws {
        guard length > 0 else { return }
        let bytes = data.bytes
        func offset(_ index: Int) -> Int {
            isLarge ? Int(offsets.load(index, as: Int64.self)) : Int(offsets.load(index, as: Int32.self))
        }
        // Text is usually valid as a whole; then each value is valid unless a value boundary
        // falls inside a character (on a continuation byte).
        let end = offset(length)
        if TextScanning.isValidUTF8(UnsafeRawBufferPointer(rebasing: bytes[offset(0)..<end])) {
            var splits = false
            for index in 1..<length {
                let boundary = offset(index)
                if boundary < end && bytes[boundary] & 0xC0 == 0x80 {
                    splits = true
                    break
                }
            }
            if !splits { return }
        }
        for index in 0..<length where validity?.bit(index) ?? true {
            let value = UnsafeRawBufferPointer(rebasing: bytes[offset(index)..<offset(index + 1)])
            guard TextScanning.isValidUTF8(value) else {
                throw corrupt(
                    "value \(index) of the text field '\(path)' is not valid UTF-8",
                    at: data.filePosition(ofByte: offset(index)))
            }
        }
    }
}
