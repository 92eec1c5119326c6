/// A NumPy dtype as pickled: `numpy.dtype(code, align, copy)`, then a `BUILD` with its state
/// `(version, byteorder, subarray, names, fields, elsize, alignment, flags)`.
struct PickleDType {
    var code: String
    var byteOrder: String = "="
    var hasFields = false

    /// Applies the `BUILD` state.
    mutating func apply(state: PickleObject, at offset: Int) throws {
        guard case .tuple(let items) = state.kind, items.count >= 2, case .string(let order) = items[1].kind else {
            throw DataCompError(.invalidFormat, "a numpy.dtype state that is not a tuple", position: .offset(offset))
        }
        byteOrder = order
        if items.count > 3, case .none = items[3].kind {} else if items.count > 3 { hasFields = true }
    }

    /// The element type.
    func dataType(at offset: Int) throws -> NPYDataType {
        guard !hasFields else {
            throw DataCompError(
                .unsupportedDataType,
                "structured NumPy dtypes are not read from pickles; save the fields as separate arrays",
                position: .offset(offset))
        }
        let types: [String: NPYDataType] = [
            "f2": .float16, "f4": .float32, "f8": .float64, "i1": .int8, "i4": .int32, "i8": .int64, "u1": .uint8,
            "u8": .uint64, "b1": .bool,
        ]
        guard let type = types[code] else {
            throw DataCompError(
                .unsupportedDataType,
                "NumPy arrays of dtype '\(code)' are not supported (object, string, int16 and complex arrays are not read)",
                position: .offset(offset))
        }
        guard byteOrder != ">" || type.itemSize == 1 else {
            throw DataCompError(
                .unsupportedFormat, "a big-endian NumPy array; convert it with array.astype('<\(code)')",
                position: .offset(offset))
        }
        return type
    }
}

/// NumPy's pickle reconstructors, interpreted without NumPy.
enum PickleNumPy {
    /// `numpy.dtype(code, align, copy)`.
    static func dtype(_ arguments: [PickleObject], at offset: Int) throws -> PickleDType {
        guard case .string(var code) = arguments.first?.kind else {
            throw DataCompError(.invalidFormat, "numpy.dtype needs a type code", position: .offset(offset))
        }
        var order = "="
        if let first = code.first, "<>|=".contains(first) {
            order = String(first)
            code.removeFirst()
        }
        return PickleDType(code: code, byteOrder: order)
    }

    /// The state of `ndarray.__reduce__`: `(version, shape, dtype, is_fortran, data)`.
    static func array(fromState state: PickleObject, at offset: Int) throws -> NPYArray {
        guard case .tuple(var items) = state.kind, items.count == 4 || items.count == 5 else {
            throw DataCompError(
                .invalidFormat, "a numpy.ndarray state that is not a 4- or 5-tuple", position: .offset(offset))
        }
        if items.count == 5 { items.removeFirst() }
        let shape = try PickleTensor.integers(items[0], what: "shape", at: offset)
        guard case .dtype(let dtype) = items[1].kind, case .bool(let fortran) = items[2].kind else {
            throw DataCompError(.invalidFormat, "a numpy.ndarray state without a dtype", position: .offset(offset))
        }
        guard case .bytes(let data) = items[3].kind else {
            throw DataCompError(
                .unsupportedDataType, "a NumPy array of Python objects (its data is a list, not bytes)",
                position: .offset(offset))
        }
        return try array(data: data, type: try dtype.dataType(at: offset), shape: shape, fortran: fortran, at: offset)
    }

    /// `numpy.core.multiarray.scalar(dtype, data)`: a 0-d array.
    static func scalar(_ arguments: [PickleObject], at offset: Int) throws -> NPYArray {
        guard arguments.count == 2, case .dtype(let dtype) = arguments[0].kind,
            case .bytes(let data) = arguments[1].kind
        else { throw DataCompError(.invalidFormat, "a NumPy scalar needs (dtype, bytes)", position: .offset(offset)) }
        return try array(data: data, type: try dtype.dataType(at: offset), shape: [], fortran: false, at: offset)
    }

    /// `numpy.core.numeric._frombuffer(buffer, dtype, shape, order)` (protocol 5 pickles).
    static func fromBuffer(_ arguments: [PickleObject], at offset: Int) throws -> NPYArray {
        guard arguments.count == 4, case .bytes(let data) = arguments[0].kind,
            case .dtype(let dtype) = arguments[1].kind,
            case .string(let order) = arguments[3].kind
        else {
            throw DataCompError(
                .invalidFormat, "_frombuffer needs (bytes, dtype, shape, order)", position: .offset(offset))
        }
        let shape = try PickleTensor.integers(arguments[2], what: "shape", at: offset)
        return try array(
            data: data, type: try dtype.dataType(at: offset), shape: shape, fortran: order == "F", at: offset)
    }

    /// `_codecs.encode(text, 'latin1')`: how protocol 2 pickles `bytes`.
    static func latin1Bytes(_ arguments: [PickleObject], at offset: Int) throws -> [UInt8] {
        guard case .string(let text) = arguments.first?.kind else {
            throw DataCompError(.invalidFormat, "_codecs.encode needs a string", position: .offset(offset))
        }
        var encoding = "utf-8"
        if arguments.count > 1, case .string(let name) = arguments[1].kind { encoding = name.lowercased() }
        switch encoding {
        case "latin1", "latin-1", "iso-8859-1":
            return try text.unicodeScalars.map {
                guard $0.value <= 0xFF else {
                    throw DataCompError(
                        .invalidFormat, "a latin-1 string with a character above U+00FF", position: .offset(offset))
                }
                return UInt8($0.value)
            }
        case "utf-8", "utf8": return Array(text.utf8)
        default:
            throw DataCompError(
                .unsupportedFormat, "_codecs.encode with the encoding '\(encoding)'", position: .offset(offset))
        }
    }

    private static func array(data: [UInt8], type: NPYDataType, shape: [Int], fortran: Bool, at offset: Int) throws
        -> NPYArray
    {
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw DataCompError(.unsupportedFormat, "an array of shape \(shape) is too large") }
            count = product
        }
        guard data.count == count * type.itemSize else {
            throw DataCompError(
                .corruptData,
                "a NumPy array of shape \(shape) and dtype \(type) needs \(count * type.itemSize) bytes, the pickle holds \(data.count)",
                position: .offset(offset))
        }
        let storage = RawStorage(copyingCollection: data)
        guard fortran, shape.count > 1 else { return NPYArray(dataType: type, shape: shape, storage: storage) }
        var strides: [Int] = []
        var stride = 1
        for size in shape {
            strides.append(stride)
            stride *= size
        }
        return try StridedCopy.array(
            type: type, shape: shape, strides: strides, offset: 0, elementCount: count, bytes: storage,
            what: "the Fortran-order array")
    }
}
