/// An encoder for the Thrift compact protocol, used by the Parquet writer.
package struct ThriftCompactWriter {
    package var bytes: [UInt8] = []
    private var lastIDs: [Int16] = [0]

    package init() {}

    package mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    package mutating func writeZigZag(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    private mutating func fieldHeader(_ id: Int16, _ type: UInt8) {
        let last = lastIDs[lastIDs.count - 1]
        let delta = Int(id) - Int(last)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type)
        } else {
            bytes.append(type)
            writeZigZag(Int64(id))
        }
        lastIDs[lastIDs.count - 1] = id
    }

    package mutating func beginStruct() { lastIDs.append(0) }

    package mutating func endStruct() {
        bytes.append(ThriftType.stop)
        lastIDs.removeLast()
    }

    package mutating func writeI32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, ThriftType.i32)
        writeZigZag(Int64(value))
    }

    package mutating func writeI64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, ThriftType.i64)
        writeZigZag(value)
    }

    package mutating func writeBool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? ThriftType.boolTrue : ThriftType.boolFalse)
    }

    package mutating func writeString(_ id: Int16, _ value: String) {
        fieldHeader(id, ThriftType.binary)
        let utf8 = Array(value.utf8)
        writeVarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    package mutating func writeStructField(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, ThriftType.struct)
        beginStruct()
        body(&self)
        endStruct()
    }

    package mutating func writeListHeader(_ id: Int16, count: Int, elementType: UInt8) {
        fieldHeader(id, ThriftType.list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType)
        } else {
            bytes.append(0xF0 | elementType)
            writeVarint(UInt64(count))
        }
    }

    package mutating func writeI32List(_ id: Int16, _ values: [Int32]) {
        writeListHeader(id, count: values.count, elementType: ThriftType.i32)
        for value in values { writeZigZag(Int64(value)) }
    }

    package mutating func writeStringList(_ id: Int16, _ values: [String]) {
        writeListHeader(id, count: values.count, elementType: ThriftType.binary)
        for value in values {
            let utf8 = Array(value.utf8)
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    package mutating func writeStructList<T>(_ id: Int16, _ values: [T], _ body: (inout ThriftCompactWriter, T) -> Void)
    {
        writeListHeader(id, count: values.count, elementType: ThriftType.struct)
        for value in values {
            beginStruct()
            body(&self, value)
            endStruct()
        }
    }
}
