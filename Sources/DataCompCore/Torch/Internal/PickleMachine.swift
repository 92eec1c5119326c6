/// A restricted unpickler: runs the opcodes of pickle protocols 0–5 over a byte buffer, but
/// resolves only the globals ``PickleGlobal`` allows and calls none of them — each allowed
/// global is interpreted here (build a tensor view, a NumPy array, an ordered dictionary).
///
/// Mutable containers are reference objects while the pickle runs (the memo may share them, and
/// `APPENDS`/`SETITEMS`/`BUILD` mutate them in place); the result is converted to a
/// ``PickleValue`` tree at `STOP`, with a bound on the number of nodes so that a pickle that
/// shares one list many times over cannot expand without limit.
struct PickleMachine {
    /// Loads the bytes of a tensor storage from its key and element type.
    typealias StorageLoader = (_ key: String, _ type: NPYDataType) throws -> RawStorage

    private var reader: ByteReader
    private let loadStorage: StorageLoader
    private var stack: [PickleObject] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleObject] = [:]
    private var loadedStorages: [String: PickleStorage] = [:]

    /// The most nodes the result may have, counting shared objects once per reference: twice
    /// the pickle's size (an unshared object takes at least one opcode byte) and at least 100 000.
    var nodeBudget: Int { max(100_000, 2 * reader.bytes.count) }

    init(bytes: UnsafeRawBufferPointer, loadStorage: @escaping StorageLoader) {
        reader = ByteReader(bytes, context: "pickle")
        self.loadStorage = loadStorage
    }

    /// Runs the pickle to its `STOP` and returns the object it built.
    mutating func run() throws -> PickleValue {
        while true {
            let start = reader.offset
            let opcode = try reader.readUInt8(for: "an opcode")
            if opcode == Op.stop {
                let result = try pop(at: start)
                var budget = nodeBudget
                return try result.value(budget: &budget, limit: budget, depth: 0)
            }
            try execute(opcode, at: start)
        }
    }

    // MARK: Opcodes

    private enum Op {
        static let mark: UInt8 = 0x28, stop: UInt8 = 0x2E, pop: UInt8 = 0x30, popMark: UInt8 = 0x31
        static let dup: UInt8 = 0x32, float: UInt8 = 0x46, int: UInt8 = 0x49, binInt: UInt8 = 0x4A
        static let binInt1: UInt8 = 0x4B, long: UInt8 = 0x4C, binInt2: UInt8 = 0x4D, none: UInt8 = 0x4E
        static let persID: UInt8 = 0x50, binPersID: UInt8 = 0x51, reduce: UInt8 = 0x52, string: UInt8 = 0x53
        static let binString: UInt8 = 0x54, shortBinString: UInt8 = 0x55, unicode: UInt8 = 0x56
        static let binUnicode: UInt8 = 0x58, append: UInt8 = 0x61, build: UInt8 = 0x62, global: UInt8 = 0x63
        static let dict: UInt8 = 0x64, emptyDict: UInt8 = 0x7D, appends: UInt8 = 0x65, get: UInt8 = 0x67
        static let binGet: UInt8 = 0x68, inst: UInt8 = 0x69, longBinGet: UInt8 = 0x6A, list: UInt8 = 0x6C
        static let emptyList: UInt8 = 0x5D, obj: UInt8 = 0x6F, put: UInt8 = 0x70, binPut: UInt8 = 0x71
        static let longBinPut: UInt8 = 0x72, setItem: UInt8 = 0x73, tuple: UInt8 = 0x74, emptyTuple: UInt8 = 0x29
        static let setItems: UInt8 = 0x75, binFloat: UInt8 = 0x47
        static let proto: UInt8 = 0x80, newObj: UInt8 = 0x81, ext1: UInt8 = 0x82, ext2: UInt8 = 0x83
        static let ext4: UInt8 = 0x84, tuple1: UInt8 = 0x85, tuple2: UInt8 = 0x86, tuple3: UInt8 = 0x87
        static let newTrue: UInt8 = 0x88, newFalse: UInt8 = 0x89, long1: UInt8 = 0x8A, long4: UInt8 = 0x8B
        static let binBytes: UInt8 = 0x42, shortBinBytes: UInt8 = 0x43
        static let shortBinUnicode: UInt8 = 0x8C, binUnicode8: UInt8 = 0x8D, binBytes8: UInt8 = 0x8E
        static let emptySet: UInt8 = 0x8F, addItems: UInt8 = 0x90, frozenSet: UInt8 = 0x91, newObjEx: UInt8 = 0x92
        static let stackGlobal: UInt8 = 0x93, memoize: UInt8 = 0x94, frame: UInt8 = 0x95
        static let byteArray8: UInt8 = 0x96, nextBuffer: UInt8 = 0x97, readonlyBuffer: UInt8 = 0x98
    }

    private mutating func execute(_ opcode: UInt8, at start: Int) throws {
        switch opcode {
        case Op.proto:
            let version = try reader.readUInt8(for: "the protocol version")
            guard version <= 5 else {
                throw failure(.unsupportedFormat, "pickle protocol \(version) is unknown", at: start)
            }
        case Op.frame: _ = try reader.readUInt64(for: "a frame length")
        case Op.mark: marks.append(stack.count)
        case Op.pop:
            if let mark = marks.last, mark == stack.count {
                marks.removeLast()
            } else {
                _ = try pop(at: start)
            }
        case Op.popMark: _ = try popToMark(at: start)
        case Op.dup: push(try top(at: start))
        case Op.none: push(PickleObject(.none))
        case Op.newTrue: push(PickleObject(.bool(true)))
        case Op.newFalse: push(PickleObject(.bool(false)))
        case Op.binInt: push(PickleObject(.int(Int(try reader.readInteger(Int32.self, for: "an int")))))
        case Op.binInt1: push(PickleObject(.int(Int(try reader.readUInt8(for: "an int")))))
        case Op.binInt2: push(PickleObject(.int(Int(try reader.readUInt16(for: "an int")))))
        case Op.long1: push(PickleObject(.int(try longValue(byteCount: Int(try reader.readUInt8()), at: start))))
        case Op.long4:
            let count = try reader.readInteger(Int32.self, for: "a long's length")
            guard count >= 0 else { throw failure(.invalidFormat, "negative length \(count)", at: start) }
            push(PickleObject(.int(try longValue(byteCount: Int(count), at: start))))
        case Op.int: push(try textInteger(at: start))
        case Op.long: push(try textLong(at: start))
        case Op.float:
            let text = try line(at: start)
            guard let value = Double(text) else { throw failure(.invalidFormat, "'\(text)' is not a float", at: start) }
            push(PickleObject(.float(value)))
        case Op.binFloat:
            let bits = try reader.readInteger(UInt64.self, for: "a float")
            push(PickleObject(.float(Double(bitPattern: UInt64(bigEndian: bits.littleEndian)))))
        case Op.binUnicode: push(PickleObject(.string(try utf8(count: Int(try reader.readUInt32()), at: start))))
        case Op.shortBinUnicode: push(PickleObject(.string(try utf8(count: Int(try reader.readUInt8()), at: start))))
        case Op.binUnicode8: push(PickleObject(.string(try utf8(count: try length64(at: start), at: start))))
        case Op.unicode: push(PickleObject(.string(try rawUnicodeEscape(try line(at: start), at: start))))
        case Op.shortBinBytes: push(PickleObject(.bytes(Array(try reader.readBytes(Int(try reader.readUInt8()))))))
        case Op.binBytes: push(PickleObject(.bytes(Array(try reader.readBytes(Int(try reader.readUInt32()))))))
        case Op.binBytes8, Op.byteArray8:
            push(PickleObject(.bytes(Array(try reader.readBytes(try length64(at: start))))))
        // Python 2 `str`: bytes, which NumPy's pickles of Python 2 arrays use for their data.
        case Op.shortBinString: push(PickleObject(.bytes(Array(try reader.readBytes(Int(try reader.readUInt8()))))))
        case Op.binString:
            let count = try reader.readInteger(Int32.self, for: "a string's length")
            guard count >= 0 else { throw failure(.invalidFormat, "negative length \(count)", at: start) }
            push(PickleObject(.bytes(Array(try reader.readBytes(Int(count))))))
        case Op.string: push(PickleObject(.bytes(try quotedString(try line(at: start), at: start))))
        case Op.emptyList: push(PickleObject(.list([])))
        case Op.emptyDict: push(PickleObject(.dict(PickleDictionary())))
        case Op.emptyTuple: push(PickleObject(.tuple([])))
        case Op.emptySet: push(PickleObject(.list([])))
        case Op.list: push(PickleObject(.list(try popToMark(at: start))))
        case Op.tuple: push(PickleObject(.tuple(try popToMark(at: start))))
        case Op.frozenSet: push(PickleObject(.list(try popToMark(at: start))))
        case Op.tuple1, Op.tuple2, Op.tuple3:
            let count = Int(opcode - Op.tuple1) + 1
            guard stack.count - (marks.last ?? 0) >= count else {
                throw failure(.invalidFormat, "a tuple of \(count) needs \(count) objects on the stack", at: start)
            }
            let items = Array(stack.suffix(count))
            stack.removeLast(count)
            push(PickleObject(.tuple(items)))
        case Op.dict:
            var dictionary = PickleDictionary()
            for (key, value) in try pairs(try popToMark(at: start), at: start) { dictionary.insert(value, for: key) }
            push(PickleObject(.dict(dictionary)))
        case Op.append:
            let item = try pop(at: start)
            try append([item], to: try top(at: start), at: start)
        case Op.appends, Op.addItems:
            let items = try popToMark(at: start)
            try append(items, to: try top(at: start), at: start)
        case Op.setItem:
            let value = try pop(at: start)
            let key = try pop(at: start)
            try setItems([(key, value)], in: try top(at: start), at: start)
        case Op.setItems:
            let items = try pairs(try popToMark(at: start), at: start)
            try setItems(items, in: try top(at: start), at: start)
        case Op.binPut: memo[Int(try reader.readUInt8())] = try top(at: start)
        case Op.longBinPut: memo[Int(try reader.readUInt32())] = try top(at: start)
        case Op.put: memo[try memoIndex(try line(at: start), at: start)] = try top(at: start)
        case Op.memoize: memo[memo.count] = try top(at: start)
        case Op.binGet: push(try memoized(Int(try reader.readUInt8()), at: start))
        case Op.longBinGet: push(try memoized(Int(try reader.readUInt32()), at: start))
        case Op.get: push(try memoized(try memoIndex(try line(at: start), at: start), at: start))
        case Op.global:
            let module = try line(at: start)
            let name = try line(at: start)
            push(PickleObject(.global(try PickleGlobal(module: module, name: name, at: start))))
        case Op.stackGlobal:
            let name = try pop(at: start)
            let module = try pop(at: start)
            guard case .string(let moduleName) = module.kind, case .string(let globalName) = name.kind else {
                throw failure(.invalidFormat, "STACK_GLOBAL needs two strings", at: start)
            }
            push(PickleObject(.global(try PickleGlobal(module: moduleName, name: globalName, at: start))))
        case Op.reduce, Op.newObj:
            let arguments = try pop(at: start)
            let callable = try pop(at: start)
            guard case .tuple(let items) = arguments.kind else {
                throw failure(.invalidFormat, "the arguments of a call must be a tuple", at: start)
            }
            push(try call(callable, items, at: start))
        case Op.build:
            let state = try pop(at: start)
            try build(try top(at: start), state: state, at: start)
        case Op.binPersID:
            push(try persistentLoad(try pop(at: start), at: start))
        case Op.persID:
            throw failure(.unsupportedFormat, "text persistent ids (PERSID) are not used by torch.save", at: start)
        case Op.inst, Op.obj, Op.newObjEx, Op.ext1, Op.ext2, Op.ext4:
            throw failure(
                .unsupportedFormat,
                "the pickle builds an arbitrary object (opcode 0x\(String(opcode, radix: 16))), which this reader never does; save plain tensors, arrays and dictionaries",
                at: start)
        case Op.nextBuffer, Op.readonlyBuffer:
            throw failure(.unsupportedFormat, "out-of-band pickle buffers (protocol 5) are not supported", at: start)
        default:
            throw failure(.invalidFormat, "unknown pickle opcode 0x\(String(opcode, radix: 16))", at: start)
        }
    }

    // MARK: Stack

    private mutating func push(_ object: PickleObject) { stack.append(object) }

    private mutating func pop(at start: Int) throws -> PickleObject {
        guard stack.count > (marks.last ?? 0), let object = stack.popLast() else {
            throw failure(.invalidFormat, "the pickle pops from an empty stack", at: start)
        }
        return object
    }

    private func top(at start: Int) throws -> PickleObject {
        guard stack.count > (marks.last ?? 0), let object = stack.last else {
            throw failure(.invalidFormat, "the pickle reads an empty stack", at: start)
        }
        return object
    }

    private mutating func popToMark(at start: Int) throws -> [PickleObject] {
        guard let mark = marks.popLast() else { throw failure(.invalidFormat, "no MARK to pop to", at: start) }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func memoized(_ index: Int, at start: Int) throws -> PickleObject {
        guard let object = memo[index] else {
            throw failure(.invalidFormat, "the pickle reads memo entry \(index), which was never stored", at: start)
        }
        return object
    }

    private func pairs(_ items: [PickleObject], at start: Int) throws -> [(PickleObject, PickleObject)] {
        guard items.count % 2 == 0 else {
            throw failure(.invalidFormat, "a dictionary needs key-value pairs, got \(items.count) objects", at: start)
        }
        return stride(from: 0, to: items.count, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    private func append(_ items: [PickleObject], to target: PickleObject, at start: Int) throws {
        guard case .list(var existing) = target.kind else {
            throw failure(.invalidFormat, "the pickle appends to a \(target.kind.name), not a list", at: start)
        }
        target.kind = .none  // leaves `existing` uniquely referenced, so appending does not copy
        existing += items
        target.kind = .list(existing)
    }

    private func setItems(_ items: [(PickleObject, PickleObject)], in target: PickleObject, at start: Int) throws {
        guard case .dict(var dictionary) = target.kind else {
            throw failure(.invalidFormat, "the pickle sets items of a \(target.kind.name), not a dict", at: start)
        }
        target.kind = .none  // leaves `dictionary` uniquely referenced, so inserting does not copy
        for (key, value) in items { dictionary.insert(value, for: key) }
        target.kind = .dict(dictionary)
    }

    // MARK: Calls, builds and persistent ids

    private mutating func call(_ callable: PickleObject, _ arguments: [PickleObject], at start: Int) throws
        -> PickleObject
    {
        guard case .global(let global) = callable.kind else {
            throw failure(.invalidFormat, "the pickle calls a \(callable.kind.name), not a global", at: start)
        }
        switch global {
        case .orderedDict:
            return PickleObject(.dict(PickleDictionary()))
        case .rebuildTensor, .rebuildTensorV2:
            return PickleObject(.array(try PickleTensor.rebuild(arguments, at: start)))
        case .rebuildParameter:
            guard let data = arguments.first, case .array = data.kind else {
                throw failure(.invalidFormat, "_rebuild_parameter needs a tensor", at: start)
            }
            return data
        case .encode:
            return PickleObject(.bytes(try PickleNumPy.latin1Bytes(arguments, at: start)))
        case .numpyDType:
            return PickleObject(.dtype(try PickleNumPy.dtype(arguments, at: start)))
        case .numpyReconstruct:
            return PickleObject(.pendingArray)
        case .numpyScalar:
            return PickleObject(.array(try PickleNumPy.scalar(arguments, at: start)))
        case .numpyFromBuffer:
            return PickleObject(.array(try PickleNumPy.fromBuffer(arguments, at: start)))
        case .set, .frozenSet:
            guard let iterable = arguments.first else { return PickleObject(.list([])) }
            guard case .list(let items) = iterable.kind else {
                throw failure(.invalidFormat, "set() needs a list", at: start)
            }
            return PickleObject(.list(items))
        case .storageType, .numpyArrayType:
            throw failure(.unsupportedFormat, "the pickle calls \(global.qualifiedName) directly", at: start)
        }
    }

    private func build(_ target: PickleObject, state: PickleObject, at start: Int) throws {
        switch target.kind {
        case .pendingArray:
            target.kind = .array(try PickleNumPy.array(fromState: state, at: start))
        case .dtype(var dtype):
            try dtype.apply(state: state, at: start)
            target.kind = .dtype(dtype)
        case .dict:
            // OrderedDict's state is None or a dict of instance attributes; neither changes the items.
            if case .none = state.kind { return }
            if case .dict = state.kind { return }
            throw failure(.invalidFormat, "unexpected state for a dictionary", at: start)
        case .array:
            // Tensors pickled with their Python attributes carry them as state; the data is complete.
            return
        default:
            throw failure(.invalidFormat, "the pickle sets the state of a \(target.kind.name)", at: start)
        }
    }

    /// `torch.save`'s persistent id: `('storage', storage_type, key, location, numel)`.
    private mutating func persistentLoad(_ id: PickleObject, at start: Int) throws -> PickleObject {
        guard case .tuple(let items) = id.kind, items.count >= 5, case .string("storage") = items[0].kind,
            case .global(let global) = items[1].kind, case .string(let key) = items[2].kind,
            case .int(let count) = items[4].kind, count >= 0
        else {
            throw failure(.invalidFormat, "a persistent id that is not a torch.save storage reference", at: start)
        }
        guard case .storageType(let type) = global else {
            throw failure(.invalidFormat, "the storage type \(global.qualifiedName) is not a storage class", at: start)
        }
        if let loaded = loadedStorages[key] { return PickleObject(.storage(loaded)) }
        guard let elementType = type.elementType else {
            throw DataCompError(
                .unsupportedDataType,
                "tensors of \(type.name) are not supported (no NumPy equivalent); convert them with tensor.float() before saving",
                position: .offset(start))
        }
        let bytes = try loadStorage(key, elementType)
        let (needed, overflow) = count.multipliedReportingOverflow(by: elementType.itemSize)
        guard !overflow, bytes.bytes.count >= needed else {
            throw DataCompError(
                .corruptData,
                "the storage '\(key)' declares \(count) elements of \(elementType) but its member holds \(bytes.bytes.count) bytes",
                position: .member("data/\(key)"))
        }
        let storage = PickleStorage(type: elementType, count: count, bytes: bytes)
        loadedStorages[key] = storage
        return PickleObject(.storage(storage))
    }

    // MARK: Scalars and text

    private mutating func length64(at start: Int) throws -> Int {
        let count = try reader.readUInt64(for: "a length")
        guard count <= UInt64(reader.remaining) else {
            throw failure(.truncatedFile, "a value of \(count) bytes, but only \(reader.remaining) remain", at: start)
        }
        return Int(count)
    }

    private mutating func utf8(count: Int, at start: Int) throws -> String {
        let bytes = try reader.readBytes(count, for: "a string")
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw failure(.invalidFormat, "a string that is not valid UTF-8", at: start)
        }
        return string
    }

    /// A little-endian two's-complement integer of `byteCount` bytes (LONG1, LONG4).
    private mutating func longValue(byteCount: Int, at start: Int) throws -> Int {
        let bytes = try reader.readBytes(byteCount, for: "a long")
        guard byteCount <= 8 else {
            // Larger encodings are allowed if they only sign-extend a 64-bit value.
            let fill: UInt8 = bytes[7] & 0x80 != 0 ? 0xFF : 0
            guard bytes[8...].allSatisfy({ $0 == fill }) else {
                throw failure(.unsupportedFormat, "an integer wider than 64 bits", at: start)
            }
            return Self.signExtended(UnsafeRawBufferPointer(rebasing: bytes[0..<8]))
        }
        return Self.signExtended(bytes)
    }

    private static func signExtended(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard !bytes.isEmpty else { return 0 }
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        let bits = 8 * bytes.count
        if bits < 64, bytes[bytes.count - 1] & 0x80 != 0 { value |= ~0 << UInt64(bits) }
        return Int(bitPattern: UInt(value))
    }

    /// A newline-terminated ASCII argument (protocol 0 opcodes and GLOBAL).
    private mutating func line(at start: Int) throws -> String {
        let bytes = reader.bytes
        var end = reader.offset
        while end < bytes.count, bytes[end] != 0x0A {
            end += 1
            guard end - reader.offset <= 1 << 16 else {
                throw failure(.invalidFormat, "an overlong text argument", at: start)
            }
        }
        guard end < bytes.count else {
            throw failure(.truncatedFile, "the file ends inside a text argument", at: start)
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[reader.offset..<end]), as: UTF8.self)
        reader.offset = end + 1
        return text
    }

    private mutating func textInteger(at start: Int) throws -> PickleObject {
        let text = try line(at: start)
        if text == "00" { return PickleObject(.bool(false)) }
        if text == "01" { return PickleObject(.bool(true)) }
        guard let value = Int(text) else {
            throw failure(.unsupportedFormat, "'\(text)' is not a 64-bit int", at: start)
        }
        return PickleObject(.int(value))
    }

    private mutating func textLong(at start: Int) throws -> PickleObject {
        var text = try line(at: start)
        if text.hasSuffix("L") { text.removeLast() }
        guard let value = Int(text) else {
            throw failure(.unsupportedFormat, "'\(text)' is not a 64-bit int", at: start)
        }
        return PickleObject(.int(value))
    }

    private func memoIndex(_ text: String, at start: Int) throws -> Int {
        guard let index = Int(text), index >= 0 else {
            throw failure(.invalidFormat, "bad memo index '\(text)'", at: start)
        }
        return index
    }

    /// Protocol 0's `UNICODE` argument: raw-unicode-escape, where only `\uXXXX` and `\UXXXXXXXX`
    /// are escapes.
    private func rawUnicodeEscape(_ text: String, at start: Int) throws -> String {
        var scalars = String.UnicodeScalarView()
        var input = Array(text.unicodeScalars)[...]
        while let scalar = input.popFirst() {
            if scalar == "\\", let kind = input.first, kind == "u" || kind == "U" {
                let digits = kind == "u" ? 4 : 8
                let hex = String(String.UnicodeScalarView(input.dropFirst().prefix(digits)))
                guard hex.count == digits, let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) else {
                    throw failure(.invalidFormat, "a bad \\\(kind) escape", at: start)
                }
                scalars.append(decoded)
                input = input.dropFirst(digits + 1)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Protocol 0's `STRING` argument: a quoted Python 2 string literal with escapes.
    private func quotedString(_ text: String, at start: Int) throws -> [UInt8] {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, let quote = bytes.first, quote == 0x27 || quote == 0x22, bytes.last == quote else {
            throw failure(.invalidFormat, "a STRING argument that is not quoted", at: start)
        }
        var output: [UInt8] = []
        var index = 1
        while index < bytes.count - 1 {
            let byte = bytes[index]
            index += 1
            guard byte == 0x5C, index < bytes.count - 1 else {
                output.append(byte)
                continue
            }
            let escape = bytes[index]
            index += 1
            switch escape {
            case 0x6E: output.append(0x0A)
            case 0x74: output.append(0x09)
            case 0x72: output.append(0x0D)
            case 0x30: output.append(0)
            case 0x78:
                guard index + 2 <= bytes.count - 1,
                    let value = UInt8(String(decoding: bytes[index..<(index + 2)], as: UTF8.self), radix: 16)
                else { throw failure(.invalidFormat, "a bad \\x escape", at: start) }
                output.append(value)
                index += 2
            default: output.append(escape)
            }
        }
        return output
    }

    private func failure(_ code: DataCompError.Code, _ message: String, at offset: Int) -> DataCompError {
        DataCompError(code, message, position: .offset(offset))
    }
}
