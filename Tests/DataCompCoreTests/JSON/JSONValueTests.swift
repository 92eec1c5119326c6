import DataCompCore
import Testing

@Suite struct JSONValueTests {
    @Test(
        "Serializes like Python's json.dumps",
        arguments: [
            (JSONValue.double(0.1), "0.1"),
            (JSONValue.double(1), "1.0"),
            (JSONValue.double(1e-7), "1e-07"),
            (JSONValue.double(1.5e300), "1.5e+300"),
            (JSONValue.string("é\n\""), "\"\\u00e9\\n\\\"\""),
            (JSONValue.string("😀"), "\"\\ud83d\\ude00\""),
            (
                JSONValue.object([("b", .int(1)), ("a", .array([.null, .bool(true)]))]),
                "{\"b\": 1, \"a\": [null, true]}"
            ),
        ])
    func serializesLikePython(value: JSONValue, expected: String) {
        #expect(value.serialized() == expected)
    }

    @Test("Indented output matches json.dumps(indent=4)")
    func indentedOutputMatchesPython() {
        let value = JSONValue.object([("count", .int(2)), ("list", .array([.int(1)])), ("empty", .object([]))])
        #expect(
            value.serialized(indent: 4)
                == "{\n    \"count\": 2,\n    \"list\": [\n        1\n    ],\n    \"empty\": {}\n}")
    }
}
