/// One encapsulated Arrow IPC message: its `Message` flatbuffer and where its body lies.
///
/// The framing is an optional continuation marker `0xFFFFFFFF` (absent before Arrow 0.15), a
/// little-endian int32 metadata length, the flatbuffer (padded to 8 bytes) and the body. A
/// length of 0 ends the stream.
struct ArrowMessage {
    /// The header types of Message.fbs's `MessageHeader` union.
    enum HeaderType: UInt8 {
        case schema = 1
        case dictionaryBatch = 2
        case recordBatch = 3
        case tensor = 4
        case sparseTensor = 5
    }

    /// Where the message starts in the file.
    let start: Int
    /// The bytes of the prefix and the flatbuffer (what a file footer's `Block` calls
    /// `metaDataLength`).
    let metadataLength: Int
    let headerType: UInt8
    /// The header table (a `Schema`, `RecordBatch`, …).
    let header: FlatTable
    /// Where the body starts in the file.
    let bodyStart: Int
    let bodyLength: Int

    /// The position after the body: where the next message starts.
    var end: Int { bodyStart + bodyLength }

    /// Reads the message that starts at `offset` of `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The file (or the part of it before a footer).
    ///   - offset: Where the message starts.
    ///   - isFirst: Whether this is the first message of a stream, where bytes that do not frame
    ///     a message mean the file is not Arrow at all.
    /// - Returns: The message, or `nil` at the end of the stream (an end-of-stream marker, or the
    ///   end of the bytes exactly at `offset`).
    /// - Throws: ``DataCompError`` naming the byte offset for truncated or corrupted framing.
    static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int, isFirst: Bool = false) throws -> ArrowMessage? {
        if offset == bytes.count { return nil }
        var reader = ByteReader(bytes, offset: offset, context: "Arrow IPC message")
        let first = try reader.readUInt32(for: "a message length")
        let hasMarker = first == 0xFFFF_FFFF
        let length =
            hasMarker
            ? Int(Int32(bitPattern: try reader.readUInt32(for: "a message length"))) : Int(Int32(bitPattern: first))
        if length == 0 { return nil }
        let metadataStart = reader.offset
        guard length > 0, length <= reader.remaining else {
            if isFirst && !hasMarker {
                throw DataCompError(
                    .invalidFormat,
                    "the file starts with neither the Arrow IPC continuation marker 0xFFFFFFFF nor the Arrow file "
                        + "magic 'ARROW1'; it is not an Arrow IPC stream or file",
                    position: .offset(offset))
            }
            if length < 0 {
                throw DataCompError(
                    .corruptData, "Arrow IPC message: the metadata length is \(length); the file is corrupted",
                    position: .offset(offset))
            }
            throw DataCompError(
                .truncatedFile,
                "Arrow IPC message: the file ends inside a message's metadata (\(length) bytes declared, "
                    + "\(reader.remaining) left); the file is truncated",
                position: .offset(metadataStart))
        }
        let buffer = FlatBuffer(
            bytes: UnsafeRawBufferPointer(rebasing: bytes[metadataStart..<(metadataStart + length)]),
            baseOffset: metadataStart, context: "Arrow IPC message metadata")
        let message = try buffer.root("Message")
        let version = try message.scalar(0, Int16.self)
        guard version == 3 || version == 4 else {
            throw DataCompError(
                .unsupportedFormat,
                "Arrow IPC message: metadata version V\(Int(version) + 1) is not supported (only V4 and V5, "
                    + "written by Arrow 0.8 and later); re-save the file with a current pyarrow",
                position: .offset(offset))
        }
        let headerType = try message.scalar(1, UInt8.self)
        guard let header = try message.table(2, "message header") else {
            throw buffer.error("the message has no header", at: 0)
        }
        let bodyLength = try message.scalar(3, Int64.self)
        let bodyStart = metadataStart + length
        guard bodyLength >= 0 else {
            throw DataCompError(
                .corruptData, "Arrow IPC message: the body length is \(bodyLength); the file is corrupted",
                position: .offset(offset))
        }
        guard bodyLength <= Int64(bytes.count - bodyStart) else {
            throw DataCompError(
                .truncatedFile,
                "Arrow IPC message: the file ends inside a message body (\(bodyLength) bytes declared, "
                    + "\(bytes.count - bodyStart) left); the file is truncated",
                position: .offset(bodyStart))
        }
        return ArrowMessage(
            start: offset, metadataLength: bodyStart - offset, headerType: headerType, header: header,
            bodyStart: bodyStart, bodyLength: Int(bodyLength))
    }

    /// A name for the header type, for error messages.
    var headerName: String {
        switch HeaderType(rawValue: headerType) {
        case .schema?: "a schema"
        case .dictionaryBatch?: "a dictionary batch"
        case .recordBatch?: "a record batch"
        case .tensor?: "a tensor"
        case .sparseTensor?: "a sparse tensor"
        case nil: "an unknown header (type \(headerType))"
        }
    }
}
