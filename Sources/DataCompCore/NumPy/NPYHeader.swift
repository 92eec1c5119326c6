/// The parsed header of an `.npy` file: element type, shape and where the data starts.
public struct NPYHeader: Hashable, Sendable {
    /// The element type (`descr`).
    public var dataType: NPYDataType
    /// The array's shape; empty for a 0-d (scalar) array.
    public var shape: [Int]
    /// The `fortran_order` flag; always `false` for arrays this package reads.
    public var isFortranOrder: Bool
    /// The format version `(major, minor)`: 1.0, 2.0 or 3.0.
    public var version: (major: UInt8, minor: UInt8) {
        (versionMajor, versionMinor)
    }
    /// The byte offset of the first data byte (the header's total length).
    public var dataOffset: Int
    private var versionMajor: UInt8
    private var versionMinor: UInt8

    /// The number of elements: the product of ``shape`` (1 for a 0-d array).
    public var elementCount: Int {
        shape.reduce(1) { $0 &* $1 }
    }

    /// The number of data bytes: ``elementCount`` times the item size.
    public var dataByteCount: Int {
        elementCount &* dataType.itemSize
    }

    /// The six magic bytes that start every `.npy` file (`\x93NUMPY`).
    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    package init(dataType: NPYDataType, shape: [Int], dataOffset: Int, versionMajor: UInt8 = 1, versionMinor: UInt8 = 0)
    {
        self.dataType = dataType
        self.shape = shape
        self.isFortranOrder = false
        self.dataOffset = dataOffset
        self.versionMajor = versionMajor
        self.versionMinor = versionMinor
    }

    /// Returns whether `bytes` starts with the `.npy` magic.
    package static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 6 && bytes.prefix(6).elementsEqual(magic)
    }

    /// Parses the header at the start of `bytes` and checks that the data that follows has
    /// exactly the size the header declares.
    ///
    /// - Throws: ``DataCompError`` (without a path) naming the byte offset.
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws -> NPYHeader {
        var reader = ByteReader(bytes, context: "NPY")
        let magicBytes = try reader.readBytes(6, for: "the magic string")
        guard magicBytes.elementsEqual(magic) else {
            throw DataCompError(
                .invalidFormat,
                "not an .npy file: the first bytes are \(hex(magicBytes)), expected 93 4e 55 4d 50 59 (\\x93NUMPY)",
                position: .offset(0))
        }
        let major = try reader.readUInt8(for: "the format version")
        let minor = try reader.readUInt8(for: "the format version")
        let headerLength: Int
        switch (major, minor) {
        case (1, 0): headerLength = Int(try reader.readUInt16(for: "the header length"))
        case (2, 0), (3, 0): headerLength = Int(try reader.readUInt32(for: "the header length"))
        default:
            throw DataCompError(
                .unsupportedFormat, "NPY format version \(major).\(minor) is not supported; expected 1.0, 2.0 or 3.0",
                position: .offset(6))
        }
        let headerStart = reader.offset
        let text = try reader.readBytes(headerLength, for: "the header dictionary (\(headerLength) bytes)")
        let literal = try PythonLiteral.parse(Array(text), baseOffset: headerStart)
        guard case .dict(let pairs) = literal else {
            throw DataCompError(
                .invalidFormat, "NPY header: expected a dict, found \(literal)", position: .offset(headerStart))
        }
        func field(_ name: String) throws -> PythonLiteral {
            let matches = pairs.filter { $0.0.isString(name) }
            guard matches.count == 1 else {
                throw DataCompError(
                    .invalidFormat,
                    matches.isEmpty
                        ? "NPY header: the key '\(name)' is missing" : "NPY header: the key '\(name)' appears twice",
                    position: .offset(headerStart))
            }
            return matches[0].1
        }
        guard pairs.count == 3 else {
            throw DataCompError(
                .invalidFormat,
                "NPY header: expected exactly the keys 'descr', 'fortran_order' and 'shape', found \(literal)",
                position: .offset(headerStart))
        }
        let dataType: NPYDataType
        do {
            dataType = try NPYDataType.from(descr: try field("descr"))
        } catch var error as DataCompError {
            if error.position == nil { error.position = .offset(headerStart) }
            throw error
        }
        guard case .bool(let fortran) = try field("fortran_order") else {
            throw DataCompError(
                .invalidFormat, "NPY header: 'fortran_order' must be True or False", position: .offset(headerStart))
        }
        var shape: [Int] = []
        switch try field("shape") {
        case .tuple(let items):
            for item in items {
                guard case .integer(let dimension) = item, dimension >= 0 else {
                    throw DataCompError(
                        .invalidFormat, "NPY header: the shape must contain non-negative integers, found \(item)",
                        position: .offset(headerStart))
                }
                shape.append(dimension)
            }
        case .integer(let dimension) where dimension >= 0:
            shape = [dimension]
        case let other:
            throw DataCompError(
                .invalidFormat, "NPY header: 'shape' must be a tuple, found \(other)", position: .offset(headerStart))
        }
        if fortran && shape.filter({ $0 > 1 }).count > 1 {
            throw DataCompError(
                .unsupportedFormat,
                "the array is stored in Fortran (column-major) order, which is not supported; re-save it with np.save(path, np.ascontiguousarray(arr))",
                position: .offset(headerStart))
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw DataCompError(
                    .corruptData, "NPY header: the shape \(shape) is impossibly large", position: .offset(headerStart))
            }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dataType.itemSize)
        guard !overflow else {
            throw DataCompError(
                .corruptData, "NPY header: the shape \(shape) is impossibly large", position: .offset(headerStart))
        }
        let dataOffset = reader.offset
        let available = bytes.count - dataOffset
        if available < byteCount {
            throw DataCompError(
                .truncatedFile,
                "NPY data is truncated: shape \(shape) of \(dataType.descr) needs \(byteCount) data bytes, but only \(available) follow the header",
                position: .offset(bytes.count))
        }
        if available > byteCount {
            throw DataCompError(
                .corruptData,
                "NPY data size does not match the header: shape \(shape) of \(dataType.descr) needs \(byteCount) data bytes, but \(available) follow the header",
                position: .offset(dataOffset + byteCount))
        }
        var header = NPYHeader(
            dataType: dataType, shape: shape, dataOffset: dataOffset, versionMajor: major, versionMinor: minor)
        header.isFortranOrder = fortran
        return header
    }

    /// The header bytes exactly as `np.save` writes them for a C-order array (format 1.0, or
    /// 2.0 when the header does not fit in 65535 bytes), padded so the data starts at a multiple
    /// of 64.
    package static func encoded(dataType: NPYDataType, shape: [Int]) -> [UInt8] {
        var text = "{'descr': \(dataType.descr), 'fortran_order': False, 'shape': "
        switch shape.count {
        case 0: text += "()"
        case 1: text += "(\(shape[0]),)"
        default: text += "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        text += ", }"
        // numpy leaves room for the first axis to grow to 21 digits (GROWTH_AXIS_MAX_DIGITS).
        if let first = shape.first {
            text += String(repeating: " ", count: max(0, 21 - String(first).count))
        }
        let body = Array(text.utf8)
        var lengthFieldSize = 2
        var version: UInt8 = 1
        var total = 6 + 2 + lengthFieldSize + body.count + 1
        var padding = 64 - total % 64
        if body.count + 1 + padding > Int(UInt16.max) {
            lengthFieldSize = 4
            version = 2
            total = 6 + 2 + lengthFieldSize + body.count + 1
            padding = 64 - total % 64
        }
        let headerLength = body.count + 1 + padding
        var result = magic
        result.append(version)
        result.append(0)
        for index in 0..<lengthFieldSize { result.append(UInt8(truncatingIfNeeded: headerLength >> (8 * index))) }
        result.append(contentsOf: body)
        result.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        result.append(UInt8(ascii: "\n"))
        return result
    }

    private static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        bytes.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }.joined(separator: " ")
    }
}

extension NPYHeader {
    /// Compares headers field by field (tuples are not `Hashable`).
    public static func == (lhs: NPYHeader, rhs: NPYHeader) -> Bool {
        lhs.dataType == rhs.dataType && lhs.shape == rhs.shape && lhs.isFortranOrder == rhs.isFortranOrder
            && lhs.dataOffset == rhs.dataOffset && lhs.versionMajor == rhs.versionMajor
            && lhs.versionMinor == rhs.versionMinor
    }
}

extension NPYHeader {
    /// Reads and validates the header of an `.npy` file without reading its data.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``DataCompError`` naming the file and offset; see ``NPYArray/init(contentsOfFile:)``.
    public init(contentsOfFile path: String) throws {
        self = try MappedFile.parsing(path) { try NPYHeader.parse($0.bytes) }
    }
}
