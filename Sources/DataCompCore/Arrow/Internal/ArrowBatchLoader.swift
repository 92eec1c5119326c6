/// Loads one `RecordBatch` message into checked ``ArrowArrayData`` trees, one per column.
///
/// Field nodes and buffers are consumed in the preorder of the schema's fields: null types have
/// no buffers; fixed-width types a validity and a values buffer; (large) binary and text a
/// validity, an offsets and a data buffer; (large) lists a validity and an offsets buffer, then
/// their child; fixed-size lists a validity buffer, then their child; structs a validity
/// buffer, then their children. Every buffer must lie inside the body, every offset inside the
/// data it indexes, text must be UTF-8 and the counts must match the schema.
struct ArrowBatchLoader {
    let file: MappedFile
    let message: ArrowMessage
    /// The batch's index, for error messages.
    let batchIndex: Int
    private let nodes: FlatVector?
    private let buffers: FlatVector?
    private let isCompressed: Bool
    private var nodeIndex = 0
    private var bufferIndex = 0

    /// Loads the batch; returns its row count and one array per field of `schema`.
    static func load(file: MappedFile, message: ArrowMessage, batchIndex: Int, schema: ArrowSchema) throws -> (
        length: Int, columns: [ArrowArrayData]
    ) {
        var loader = try ArrowBatchLoader(file: file, message: message, batchIndex: batchIndex)
        let length = try message.header.scalar(0, Int64.self)
        guard length >= 0 else { throw loader.corrupt("declares \(length) rows") }
        var columns: [ArrowArrayData] = []
        for field in schema.fields {
            let column = try loader.array(field, path: field.name)
            guard column.length == Int(length) else {
                throw loader.corrupt(
                    "column '\(field.name)' has \(column.length) values but the batch has \(length) rows")
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

    private init(file: MappedFile, message: ArrowMessage, batchIndex: Int) throws {
        self.file = file
        self.message = message
        self.batchIndex = batchIndex
        let header = message.header
        nodes = try header.vector(1, stride: 16, "the field nodes")
        buffers = try header.vector(2, stride: 16, "the buffers")
        if let compression = try header.table(3, "BodyCompression") {
            let codec = try compression.scalar(0, Int8.self)
            let method = try compression.scalar(1, Int8.self)
            guard method == 0 else {
                throw DataCompError(
                    .unsupportedFormat,
                    "record batch \(batchIndex) uses the body compression method \(method), which is not supported; "
                        + "re-save the file uncompressed (pyarrow: `pa.ipc.IpcWriteOptions(compression=None)`)",
                    position: .offset(message.start))
            }
            switch codec {
            case 1: isCompressed = true
            case 0:
                throw DataCompError(
                    .unsupportedFormat,
                    "record batch \(batchIndex) is compressed with LZ4_FRAME (Feather's default), which is not "
                        + "supported (ZSTD and uncompressed bodies are); re-save the file uncompressed or with ZSTD, "
                        + "for example with pyarrow `feather.write_feather(table, path, compression=\"uncompressed\")` "
                        + "or `ipc.new_file(path, schema, options=ipc.IpcWriteOptions(compression=\"zstd\"))`",
                    position: .offset(message.start))
            default:
                throw DataCompError(
                    .unsupportedFormat,
                    "record batch \(batchIndex) is compressed with the unknown codec \(codec); re-save the file "
                        + "uncompressed (pyarrow: `pa.ipc.IpcWriteOptions(compression=None)`)",
                    position: .offset(message.start))
            }
        } else {
            isCompressed = false
        }
    }

    private func corrupt(_ message: String, at position: Int? = nil) -> DataCompError {
        DataCompError(
            .corruptData, "record batch \(batchIndex) \(message); the file is corrupted",
            position: .offset(position ?? self.message.start))
    }

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
        let raw = ArrowBuffer(storage: file, range: start..<(start + Int(length)))
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
        let frame = ArrowBuffer(storage: file, range: (raw.range.lowerBound + 8)..<raw.range.upperBound)
        if declared == -1 { return frame }
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
        return ArrowBuffer(storage: storage, range: 0..<output.count)
    }

    // MARK: Arrays

    private mutating func array(_ field: ArrowField, path: String) throws -> ArrowArrayData {
        let (length, nullCount) = try nextNode(path)
        if case .null = field.type {
            return ArrowArrayData(
                type: .null, length: length, nullCount: length, validity: nil, offsets: nil, values: nil, children: [])
        }
        let bitmap = try nextBuffer(path, "validity bitmap")
        let validity = nullCount > 0 ? bitmap : nil
        if let validity {
            try checkValidity(validity, length: length, nullCount: nullCount, path: path)
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
            let childData = try array(child, path: path + "." + child.name)
            let isLarge: Bool
            if case .largeList = field.type { isLarge = true } else { isLarge = false }
            try checkOffsets(offsetBuffer, isLarge: isLarge, length: length, limit: childData.length, path: path)
            offsets = offsetBuffer
            children = [childData]
        case .fixedSizeList(let child, let size):
            let childData = try array(child, path: path + "." + child.name)
            let (needed, overflow) = length.multipliedReportingOverflow(by: size)
            guard !overflow, childData.length >= needed else {
                throw corrupt(
                    "field '\(path)' holds \(length) lists of \(size) values but its child has \(childData.length) values"
                )
            }
            children = [childData]
        case .struct(let fields):
            for child in fields {
                let childData = try array(child, path: path + "." + child.name)
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

    private mutating func fixedWidth(_ path: String, length: Int, bits: Int) throws -> ArrowBuffer {
        let buffer = try nextBuffer(path, "values")
        let (total, overflow) = length.multipliedReportingOverflow(by: bits)
        guard !overflow, buffer.count >= total / 8 + (total % 8 == 0 ? 0 : 1) else {
            throw corrupt(
                "the values of field '\(path)' have \(buffer.count) bytes, too few for \(length) values of \(bits) bits",
                at: buffer.range.lowerBound)
        }
        return buffer
    }

    private func checkValidity(_ bitmap: ArrowBuffer, length: Int, nullCount: Int, path: String) throws {
        guard bitmap.count >= (length + 7) / 8 else {
            throw corrupt(
                "the validity bitmap of field '\(path)' has \(bitmap.count) bytes, too few for \(length) values",
                at: bitmap.range.lowerBound)
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
                at: bitmap.range.lowerBound)
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
                at: offsets.range.lowerBound)
        }
        func offset(_ index: Int) -> Int64 {
            isLarge ? offsets.load(index, as: Int64.self) : Int64(offsets.load(index, as: Int32.self))
        }
        var previous = offset(0)
        guard previous >= 0 else {
            throw corrupt("the first offset of field '\(path)' is \(previous)", at: offsets.range.lowerBound)
        }
        for index in 1...length {
            let current = offset(index)
            guard current >= previous else {
                throw corrupt(
                    "the offsets of field '\(path)' decrease at value \(index - 1) (\(previous) to \(current))",
                    at: offsets.range.lowerBound + index * width)
            }
            previous = current
        }
        guard previous <= Int64(limit) else {
            throw corrupt(
                "the last offset of field '\(path)' is \(previous) but its data has \(limit) "
                    + (isData ? "bytes" : "values"),
                at: offsets.range.lowerBound + length * width)
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
                    at: data.range.lowerBound + offset(index))
            }
        }
    }
}
