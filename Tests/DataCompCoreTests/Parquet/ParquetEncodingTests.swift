import DataCompCore
import Testing
import _DataCompTestSupport

@Suite struct ParquetEncodingTests {
    @Test("Thrift page headers round-trip through the compact encoder and decoder")
    func pageHeaderRoundTrips() throws {
        var header = ThriftPageHeader()
        header.type = 3
        header.uncompressedPageSize = 123_456
        header.compressedPageSize = 7
        var v2 = ThriftDataPageHeaderV2()
        v2.numValues = 1000
        v2.numNulls = 3
        v2.numRows = 999
        v2.encoding = 8
        v2.definitionLevelsByteLength = 17
        v2.isCompressed = false
        header.dataPageHeaderV2 = v2
        let bytes = header.encode()
        let decoded = try bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw, baseOffset: 0, context: "test")
            let value = try ThriftPageHeader.decode(&reader)
            #expect(reader.offset == raw.count)
            return value
        }
        #expect(decoded.type == 3)
        #expect(decoded.uncompressedPageSize == 123_456)
        #expect(decoded.dataPageHeaderV2?.numNulls == 3)
        #expect(decoded.dataPageHeaderV2?.isCompressed == false)
        #expect(decoded.dataPageHeaderV2?.definitionLevelsByteLength == 17)
    }

    @Test("Unknown Thrift fields of every wire type are skipped")
    func unknownFieldsAreSkipped() throws {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.writeI32(1, 0)
        writer.writeI32(2, 10)
        writer.writeI32(3, 10)
        // Unknown fields 20...: a string, a list of strings, a nested struct, a bool, a long id jump.
        writer.writeString(20, "ignored")
        writer.writeStringList(21, ["a", "b"])
        writer.writeStructField(22) { w in
            w.writeI64(1, -5)
            w.writeStructField(2) { _ in }
        }
        writer.writeBool(23, true)
        writer.writeI64(300, 1 << 40)
        writer.endStruct()
        let header = try writer.bytes.withUnsafeBytes { raw in
            var reader = ThriftCompactReader(raw, baseOffset: 0, context: "test")
            return try ThriftPageHeader.decode(&reader)
        }
        #expect(header.compressedPageSize == 10)
    }

    @Test("Deeply nested Thrift is rejected instead of exhausting the stack")
    func deepNestingIsRejected() {
        // 10,000 nested struct fields (header 0x1C: field delta 1, type struct).
        let bytes = [UInt8](repeating: 0x1C, count: 10_000)
        #expect(throws: DataCompError.self) {
            try bytes.withUnsafeBytes { raw in
                var reader = ThriftCompactReader(raw, baseOffset: 0, context: "test")
                try reader.skip(ThriftType.struct)
            }
        }
    }

    @Test("The hybrid level encoder and decoder round-trip", arguments: [1, 2, 3, 5, 8, 13, 16])
    func hybridRoundTrips(bitWidth: Int) throws {
        var rng = SplitMix64(seed: UInt64(bitWidth))
        var levels: [UInt16] = []
        let maxValue = UInt64(1) << UInt64(bitWidth)
        while levels.count < 5000 {
            let value = UInt16(rng.next() % maxValue)
            // Mix long runs (RLE) with noise (bit-packed groups).
            let run = rng.next() % 3 == 0 ? Int(rng.next() % 40) : 1
            levels += Array(repeating: value, count: run)
        }
        var encoded: [UInt8] = []
        ParquetLevelEncoder.hybrid(levels, bitWidth: bitWidth, into: &encoded)
        let decoded = try encoded.withUnsafeBytes { raw in
            var decoder = try ParquetHybridDecoder(raw, bitWidth: bitWidth)
            return try [UInt32](unsafeUninitializedCapacity: levels.count) { buffer, count in
                try decoder.decode(into: buffer.baseAddress!, count: levels.count)
                count = levels.count
            }
        }
        #expect(decoded == levels.map(UInt32.init))
        #expect(encoded.count < levels.count * bitWidth / 8 + 64)
    }

    @Test("A cut-off hybrid run is an error, not a read past the buffer")
    func truncatedHybridRunThrows() {
        // A bit-packed run header for 2 groups of width 8 (16 bytes), with only 3 bytes of data.
        let bytes: [UInt8] = [0x05, 1, 2, 3]
        #expect(throws: DataCompError.self) {
            try bytes.withUnsafeBytes { raw in
                var decoder = try ParquetHybridDecoder(raw, bitWidth: 8)
                var out = [UInt32](repeating: 0, count: 16)
                try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0.baseAddress!, count: 16) }
            }
        }
    }
}
