/// The 128-bit identifier (uid) of a DataComp sample.
///
/// DataComp writes a uid as 32 lowercase hexadecimal characters. In subset files it is split into
/// two unsigned 64-bit halves: ``high`` holds the first 16 hex digits (NumPy field `f0`) and
/// ``low`` the last 16 (field `f1`). Identifiers compare in numeric order, which equals the
/// lexicographic order of their lowercase hex form and the order NumPy sorts subset files in.
///
/// ```swift
/// let id = try SampleID(hex: "139e4a9b22a614771f06c700a8ebe150")
/// // id.high == 0x139e4a9b22a61477, id.low == 0x1f06c700a8ebe150
/// ```
public struct SampleID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first 16 hex digits (the most significant 64 bits; NumPy field `f0`).
    public var high: UInt64
    /// The last 16 hex digits (the least significant 64 bits; NumPy field `f1`).
    public var low: UInt64

    /// Creates an identifier from its two 64-bit halves.
    ///
    /// - Parameters:
    ///   - high: The most significant 64 bits (field `f0`).
    ///   - low: The least significant 64 bits (field `f1`).
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses an identifier from exactly 32 hexadecimal digits.
    ///
    /// Upper-case digits are accepted; ``hexString`` always prints lowercase.
    ///
    /// - Parameter hex: The identifier text, for example `139e4a9b22a614771f06c700a8ebe150`.
    /// - Throws: ``DataCompError`` with code `invalidIdentifier` naming the text when it is not
    ///   exactly 32 hexadecimal digits.
    public init(hex: String) throws {
        var text = hex
        let parsed = text.withUTF8 { SampleID(hexBytes: UnsafeRawBufferPointer($0)) }
        guard let parsed else {
            throw DataCompError(
                .invalidIdentifier,
                "'\(hex.count > 80 ? String(hex.prefix(80)) + "…" : hex)' is not a sample uid; expected exactly 32 hexadecimal digits such as 139e4a9b22a614771f06c700a8ebe150"
            )
        }
        self = parsed
    }

    /// Parses 32 ASCII hexadecimal digits, or returns `nil`.
    package init?(hexBytes bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else { return nil }
        guard let high = Self.parseHalf(bytes, from: 0), let low = Self.parseHalf(bytes, from: 16) else {
            return nil
        }
        self.high = high
        self.low = low
    }

    @inline(__always)
    private static func parseHalf(_ bytes: UnsafeRawBufferPointer, from start: Int) -> UInt64? {
        hexDigitValues.withUnsafeBufferPointer { table in
            var value: UInt64 = 0
            var invalid: UInt8 = 0
            for index in start..<(start + 16) {
                let digit = table[Int(bytes[index])]
                invalid |= digit
                value = (value << 4) | UInt64(digit & 0x0F)
            }
            return invalid & 0xF0 == 0 ? value : nil
        }
    }

    /// The value of each ASCII hex digit (`0-9`, `a-f`, `A-F`) by byte, 0xFF for other bytes.
    ///
    /// A table lookup has no branch: random uids make a digit-or-letter branch unpredictable,
    /// which made parsing a pool's uid column about three times slower.
    private static let hexDigitValues: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt8(byte) - UInt8(ascii: "A") + 10
        default: 0xFF
        }
    }

    /// The identifier as 32 lowercase hexadecimal digits.
    public var hexString: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            writeHex(into: UnsafeMutableRawBufferPointer(buffer))
            return 32
        }
    }

    /// Writes the 32 lowercase hex digits into the first 32 bytes of `buffer`.
    package func writeHex(into buffer: UnsafeMutableRawBufferPointer) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { table in
            for index in 0..<16 {
                let shift = UInt64(60 - 4 * index)
                buffer[index] = table[Int((high >> shift) & 0xF)]
                buffer[16 + index] = table[Int((low >> shift) & 0xF)]
            }
        }
    }

    /// The identifier as 32 lowercase hexadecimal digits.
    public var description: String { hexString }

    /// Returns whether `lhs` is numerically smaller than `rhs`.
    public static func < (lhs: SampleID, rhs: SampleID) -> Bool {
        lhs.high != rhs.high ? lhs.high < rhs.high : lhs.low < rhs.low
    }
}

extension SampleID: Codable {
    /// Decodes an identifier from its 32-digit hex string.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: A `DecodingError` when the value is not a string, or ``DataCompError`` with code
    ///   `invalidIdentifier` when it is not 32 hex digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(hex: try container.decode(String.self))
    }

    /// Encodes the identifier as its 32-digit lowercase hex string.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hexString)
    }
}

extension SampleID {
    /// Loads an identifier from a 16-byte subset record (`f0` then `f1`, little-endian).
    @inline(__always)
    package init(record bytes: UnsafeRawBufferPointer, at offset: Int) {
        high = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        low = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
    }

    /// Stores the identifier as a 16-byte subset record (`f0` then `f1`, little-endian).
    @inline(__always)
    /// Whether a subset record (`high` then `low`, little-endian) is this type's memory layout.
    package static let hasRecordLayout: Bool =
        UInt64(1).littleEndian == 1 && MemoryLayout<SampleID>.size == 16 && MemoryLayout<SampleID>.stride == 16
        && MemoryLayout<SampleID>.offset(of: \.high) == 0 && MemoryLayout<SampleID>.offset(of: \.low) == 8

    package func storeRecord(into bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        bytes.storeBytes(of: high.littleEndian, toByteOffset: offset, as: UInt64.self)
        bytes.storeBytes(of: low.littleEndian, toByteOffset: offset + 8, as: UInt64.self)
    }
}
