/// A run of bytes of one Arrow buffer: a range of the file's mapping, or of a decompressed copy.
struct ArrowBuffer: Sendable {
    let storage: MappedFile
    let range: Range<Int>
    /// Where the buffer starts in the file: `range.lowerBound`, or for a decompressed buffer, the
    /// compressed buffer's start.
    let fileOffset: Int
    let isDecompressed: Bool

    /// A range of the file's own mapping.
    init(file: MappedFile, range: Range<Int>) {
        storage = file
        self.range = range
        fileOffset = range.lowerBound
        isDecompressed = false
    }

    /// The decompressed copy of the buffer that starts at `fileOffset` in the file.
    init(decompressed storage: MappedFile, fileOffset: Int) {
        self.storage = storage
        range = 0..<storage.count
        self.fileOffset = fileOffset
        isDecompressed = true
    }

    /// The file offset of byte `byte` of the buffer, for error messages: for a decompressed
    /// buffer, the start of the compressed one.
    func filePosition(ofByte byte: Int) -> Int { isDecompressed ? fileOffset : fileOffset + byte }

    var count: Int { range.count }

    /// The buffer's bytes; valid while `storage` is alive.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage.bytes[range]) }

    /// The `index`th little-endian integer of type `T`; the caller has checked the bounds.
    @inline(__always)
    func load<T: FixedWidthInteger>(_ index: Int, as _: T.Type) -> T {
        T(
            littleEndian: storage.bytes.loadUnaligned(
                fromByteOffset: range.lowerBound + index * MemoryLayout<T>.size, as: T.self))
    }

    /// Bit `index` (least significant bit first); the caller has checked the bounds.
    @inline(__always)
    func bit(_ index: Int) -> Bool {
        storage.bytes[range.lowerBound + index >> 3] & (1 << UInt8(index & 7)) != 0
    }
}

/// One array of one record batch, checked when loaded: a node of the field tree with its
/// buffers and children.
///
/// The buffers that a type does not use are `nil`; `validity` is `nil` when no value is null.
/// ``ArrowBatchLoader`` checks every size and offset, so reading values cannot go out of
/// bounds.
struct ArrowArrayData: Sendable {
    let type: ArrowDataType
    let length: Int
    let nullCount: Int
    let validity: ArrowBuffer?
    /// The offsets of variable-size binary, text and list types.
    let offsets: ArrowBuffer?
    /// Fixed-size values, or the bytes of variable-size values.
    let values: ArrowBuffer?
    let children: [ArrowArrayData]
    /// For a dictionary-encoded field: the dictionary, and the type of the indices that `values`
    /// holds (checked to lie inside the dictionary).
    var dictionary: (values: ArrowDictionary, indexType: ArrowDataType)? = nil

    @inline(__always)
    func isNull(_ index: Int) -> Bool {
        if case .null = type { return true }
        guard let validity else { return false }
        return !validity.bit(index)
    }

    /// The range of variable-size element `index` (32-bit or 64-bit offsets).
    @inline(__always)
    func range(_ index: Int) -> Range<Int> {
        guard let offsets else { return 0..<0 }
        switch type {
        case .largeUTF8, .largeBinary, .largeList:
            return Int(offsets.load(index, as: Int64.self))..<Int(offsets.load(index + 1, as: Int64.self))
        default:
            return Int(offsets.load(index, as: Int32.self))..<Int(offsets.load(index + 1, as: Int32.self))
        }
    }

    /// The value at `index`, in `0..<length`.
    func value(at index: Int) -> ArrowValue {
        if isNull(index) { return .null }
        if let dictionary, let values {
            return dictionary.values.data.value(at: Self.index(values, index, as: dictionary.indexType))
        }
        switch type {
        case .null: return .null
        case .bool: return .bool(values?.bit(index) ?? false)
        case .int8: return .int(Int64(values?.load(index, as: Int8.self) ?? 0))
        case .int16: return .int(Int64(values?.load(index, as: Int16.self) ?? 0))
        case .int32, .date32, .time32: return .int(Int64(values?.load(index, as: Int32.self) ?? 0))
        case .int64, .date64, .time64, .timestamp, .duration: return .int(values?.load(index, as: Int64.self) ?? 0)
        case .uint8: return .uint(UInt64(values?.load(index, as: UInt8.self) ?? 0))
        case .uint16: return .uint(UInt64(values?.load(index, as: UInt16.self) ?? 0))
        case .uint32: return .uint(UInt64(values?.load(index, as: UInt32.self) ?? 0))
        case .uint64: return .uint(values?.load(index, as: UInt64.self) ?? 0)
        case .float16: return .double(Double(Self.widen(values?.load(index, as: UInt16.self) ?? 0)))
        case .float32: return .double(Double(Float(bitPattern: values?.load(index, as: UInt32.self) ?? 0)))
        case .float64: return .double(Double(bitPattern: values?.load(index, as: UInt64.self) ?? 0))
        case .utf8, .largeUTF8:
            guard let values else { return .string("") }
            let span = range(index)
            return .string(String(decoding: UnsafeRawBufferPointer(rebasing: values.bytes[span]), as: UTF8.self))
        case .binary, .largeBinary:
            guard let values else { return .binary([]) }
            let span = range(index)
            return .binary(
                MemberBytes(
                    mapping: values.storage,
                    range: (values.range.lowerBound + span.lowerBound)..<(values.range.lowerBound + span.upperBound)))
        case .fixedSizeBinary(let width):
            guard let values else { return .binary([]) }
            let start = values.range.lowerBound + index * width
            return .binary(MemberBytes(mapping: values.storage, range: start..<(start + width)))
        case .list, .largeList:
            return .list(range(index).map { children[0].value(at: $0) })
        case .fixedSizeList(_, let size):
            return .list((index * size..<(index + 1) * size).map { children[0].value(at: $0) })
        case .struct(let fields):
            return .struct(zip(fields, children).map { (name: $0.name, value: $1.value(at: index)) })
        }
    }

    /// Dictionary index `index` of `indices`, an array of `type` (a signed or unsigned integer).
    @inline(__always)
    static func index(_ indices: ArrowBuffer, _ index: Int, as type: ArrowDataType) -> Int {
        switch type {
        case .int8: Int(indices.load(index, as: Int8.self))
        case .int16: Int(indices.load(index, as: Int16.self))
        case .int32: Int(indices.load(index, as: Int32.self))
        case .uint8: Int(indices.load(index, as: UInt8.self))
        case .uint16: Int(indices.load(index, as: UInt16.self))
        case .uint32: Int(indices.load(index, as: UInt32.self))
        case .uint64: Int(truncatingIfNeeded: indices.load(index, as: UInt64.self))
        default: Int(indices.load(index, as: Int64.self))
        }
    }

    /// An IEEE half-precision bit pattern as a Float (exact).
    static func widen(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * mantissa * 0x1p-24
        case 31: return mantissa == 0 ? sign * .infinity : .nan
        default: return sign * (1 + mantissa / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}

/// The values of one dictionary batch, shared by the arrays whose indices point into them.
final class ArrowDictionary: Sendable {
    let data: ArrowArrayData

    init(_ data: ArrowArrayData) { self.data = data }
}
