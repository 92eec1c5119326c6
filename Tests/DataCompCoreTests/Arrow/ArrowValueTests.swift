import DataCompCore
import Testing

@Suite struct ArrowValueTests {
    @Test("Accessors return the payload of their own case and nil for the others")
    func accessors() {
        #expect(ArrowValue.bool(true).boolValue == true)
        #expect(ArrowValue.int(-3).intValue == -3)
        #expect(ArrowValue.uint(7).intValue == 7)
        #expect(ArrowValue.uint(UInt64.max).intValue == nil)
        #expect(ArrowValue.double(0.5).doubleValue == 0.5)
        #expect(ArrowValue.int(-3).doubleValue == -3)
        #expect(ArrowValue.uint(UInt64.max).doubleValue == 18_446_744_073_709_551_615.0)
        #expect(ArrowValue.string("a").stringValue == "a")
        #expect(ArrowValue.binary([1, 2]).bytesValue == [1, 2])
        #expect(ArrowValue.list([.null]).arrayValue == [.null])
        #expect(ArrowValue.null.isNull)
        #expect(!ArrowValue.string("").isNull)
        let others: [ArrowValue] = [.null, .bool(false), .list([]), .struct([])]
        for value in others {
            #expect(value.intValue == nil && value.doubleValue == nil && value.stringValue == nil)
            #expect(value.bytesValue == nil)
        }
        #expect(ArrowValue.string("x").boolValue == nil)
        #expect(ArrowValue.string("x").arrayValue == nil)
        #expect(ArrowValue.string("x").structFields == nil)
        #expect(ArrowValue.binary([]).stringValue == nil)
    }

    @Test("A struct's fields are found by name, the first of a repeated name")
    func structFields() {
        let image = ArrowValue.struct([
            (name: "bytes", value: .binary([0x89])), (name: "path", value: .null), (name: "path", value: .string("b")),
        ])
        #expect(image[field: "bytes"]?.bytesValue == [0x89])
        #expect(image[field: "path"] == .null)
        #expect(image[field: "missing"] == nil)
        #expect(image.structFields?.map(\.name) == ["bytes", "path", "path"])
        #expect(ArrowValue.list([])[field: "bytes"] == nil)
    }

    @Test("Equality compares cases, payloads, and struct field names in order")
    func equality() {
        #expect(ArrowValue.int(1) != .uint(1))
        #expect(ArrowValue.double(.nan) != .double(.nan))
        #expect(ArrowValue.double(0) == .double(-0.0))
        #expect(ArrowValue.list([.int(1), .null]) == .list([.int(1), .null]))
        #expect(ArrowValue.list([.int(1)]) != .list([.int(1), .int(1)]))
        let a = ArrowValue.struct([(name: "x", value: .int(1))])
        #expect(a == .struct([(name: "x", value: .int(1))]))
        #expect(a != .struct([(name: "y", value: .int(1))]))
        #expect(a != .struct([(name: "x", value: .int(2))]))
        #expect(a != .struct([]))
        #expect(ArrowValue.binary(MemberBytes(utf8: "ab")) == .binary([0x61, 0x62]))
        #expect(ArrowValue.string("ab") != .binary([0x61, 0x62]))
    }
}
