/// A bounds-checked reader of one flatbuffer: the metadata of an Arrow IPC message or footer.
///
/// Every offset is checked against the buffer before it is followed, so hostile bytes give a
/// ``DataCompError`` (`invalidFormat`, naming the file offset) and never a trap. Offsets that
/// flatbuffers store as unsigned only point forward, and the readers of nested structures
/// (``ArrowSchemaDecoding``) bound their depth, so a buffer cannot make a reader loop.
struct FlatBuffer {
    /// The flatbuffer's bytes; positions below are relative to their start.
    let bytes: UnsafeRawBufferPointer
    /// The position of `bytes` in the file, added to positions in error messages.
    let baseOffset: Int
    /// What the buffer holds, for error messages ("Arrow message metadata").
    let context: String

    /// An `invalidFormat` error at `position` (relative to the buffer).
    func error(_ message: String, at position: Int) -> DataCompError {
        DataCompError(
            .invalidFormat, "\(context): \(message); the file is corrupted or not Arrow IPC",
            position: .offset(baseOffset + max(0, position)))
    }

    /// Throws unless `count` bytes start at `position`.
    func require(_ position: Int, _ count: Int, for what: String) throws {
        guard position >= 0, count >= 0, position <= bytes.count, count <= bytes.count - position else {
            throw error(
                "\(what) at \(position) (\(count) bytes) lies outside the \(bytes.count)-byte buffer", at: position)
        }
    }

    func load<T: FixedWidthInteger>(_: T.Type, at position: Int, for what: String) throws -> T {
        try require(position, MemoryLayout<T>.size, for: what)
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    /// The root table, found through the offset at the start of the buffer.
    func root(_ what: String) throws -> FlatTable {
        let offset = try load(UInt32.self, at: 0, for: "the root offset of the \(what)")
        return try table(at: Int(offset), what)
    }

    /// The table that starts at `position`, with its vtable checked.
    func table(at position: Int, _ what: String) throws -> FlatTable {
        let relative = try load(Int32.self, at: position, for: "the \(what) table")
        let vtable = position - Int(relative)
        let vtableSize = Int(try load(UInt16.self, at: vtable, for: "the vtable of the \(what) table"))
        let tableSize = Int(try load(UInt16.self, at: vtable + 2, for: "the vtable of the \(what) table"))
        guard vtableSize >= 4, vtableSize % 2 == 0 else {
            throw error("the vtable of the \(what) table declares \(vtableSize) bytes", at: vtable)
        }
        try require(vtable, vtableSize, for: "the vtable of the \(what) table")
        guard tableSize >= 4 else {
            throw error("the \(what) table declares \(tableSize) bytes", at: position)
        }
        try require(position, tableSize, for: "the \(what) table")
        return FlatTable(
            buffer: self, position: position, vtable: vtable, vtableSize: vtableSize, tableSize: tableSize,
            what: what)
    }

    /// Follows the unsigned forward offset stored at `position`.
    func follow(_ position: Int, for what: String) throws -> Int {
        let offset = try load(UInt32.self, at: position, for: "the offset of \(what)")
        return position + Int(offset)
    }

    /// The vector (length prefix and elements of `stride` bytes) that starts at `position`.
    func vector(at position: Int, stride: Int, _ what: String) throws -> FlatVector {
        let count = Int(try load(UInt32.self, at: position, for: "the length of \(what)"))
        try require(position + 4, count * stride, for: "\(what) (\(count) elements)")
        return FlatVector(buffer: self, start: position + 4, count: count, stride: stride, what: what)
    }
}

/// A flatbuffer table: fields are looked up through its vtable by id.
struct FlatTable {
    let buffer: FlatBuffer
    /// The table's position in the buffer.
    let position: Int
    let vtable: Int
    let vtableSize: Int
    let tableSize: Int
    /// What the table is, for error messages ("Field").
    let what: String

    /// The position of field `id` if the table stores it, checked to hold `size` bytes inside
    /// the table.
    func fieldPosition(_ id: Int, size: Int) throws -> Int? {
        let entry = 4 + 2 * id
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try buffer.load(UInt16.self, at: vtable + entry, for: "the vtable of the \(what) table"))
        guard offset != 0 else { return nil }
        guard offset >= 4, offset + size <= tableSize else {
            throw buffer.error(
                "field \(id) of the \(what) table (\(size) bytes at \(offset)) lies outside the table's \(tableSize) bytes",
                at: position)
        }
        return position + offset
    }

    /// A scalar field, or `defaultValue` when the table does not store it.
    func scalar<T: FixedWidthInteger>(_ id: Int, _: T.Type, default defaultValue: T = 0) throws -> T {
        guard let field = try fieldPosition(id, size: MemoryLayout<T>.size) else { return defaultValue }
        return try buffer.load(T.self, at: field, for: "field \(id) of the \(what) table")
    }

    /// A boolean field (one byte, non-zero is `true`).
    func bool(_ id: Int, default defaultValue: Bool = false) throws -> Bool {
        try scalar(id, UInt8.self, default: defaultValue ? 1 : 0) != 0
    }

    /// A table field, or `nil` when absent.
    func table(_ id: Int, _ what: String) throws -> FlatTable? {
        guard let field = try fieldPosition(id, size: 4) else { return nil }
        return try buffer.table(at: try buffer.follow(field, for: what), what)
    }

    /// A vector field, or `nil` when absent.
    func vector(_ id: Int, stride: Int, _ what: String) throws -> FlatVector? {
        guard let field = try fieldPosition(id, size: 4) else { return nil }
        return try buffer.vector(at: try buffer.follow(field, for: what), stride: stride, what)
    }

    /// A string field, or `nil` when absent; invalid UTF-8 is an error.
    func string(_ id: Int, _ what: String) throws -> String? {
        guard let bytes = try stringBytes(id, what) else { return nil }
        guard TextScanning.isValidUTF8(bytes) else {
            throw buffer.error("\(what) is not valid UTF-8", at: position)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A string field decoded leniently: invalid UTF-8 becomes U+FFFD.
    func lenientString(_ id: Int, _ what: String) throws -> String? {
        guard let bytes = try stringBytes(id, what) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func stringBytes(_ id: Int, _ what: String) throws -> UnsafeRawBufferPointer? {
        guard let vector = try vector(id, stride: 1, what) else { return nil }
        return UnsafeRawBufferPointer(rebasing: buffer.bytes[vector.start..<(vector.start + vector.count)])
    }

    /// The elements of a vector of tables (empty when the field is absent).
    func tables(_ id: Int, _ what: String) throws -> [FlatTable] {
        guard let vector = try vector(id, stride: 4, what) else { return [] }
        return try (0..<vector.count).map { index in
            try buffer.table(at: try buffer.follow(vector.start + 4 * index, for: what), what)
        }
    }
}

/// A vector inside a flatbuffer whose elements have been checked to lie inside it.
struct FlatVector {
    let buffer: FlatBuffer
    /// The position of the first element.
    let start: Int
    let count: Int
    let stride: Int
    let what: String

    /// Loads a scalar at `offset` bytes into element `index` (a field of a struct element).
    func load<T: FixedWidthInteger>(_ index: Int, offset: Int, as type: T.Type) throws -> T {
        precondition(index >= 0 && index < count && offset + MemoryLayout<T>.size <= stride)
        return try buffer.load(T.self, at: start + index * stride + offset, for: what)
    }
}
