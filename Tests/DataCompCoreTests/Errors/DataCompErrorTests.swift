import DataCompCore
import Testing

@Suite struct DataCompErrorTests {
    @Test("Description names the file, the position, the message and the code")
    func descriptionNamesFilePositionAndCode() {
        let error = DataCompError(
            .truncatedFile, "needed 16 bytes, 3 left", path: "/data/a.npy", position: .offset(128))
        #expect(error.description == "/data/a.npy (byte offset 128): needed 16 bytes, 3 left [truncatedFile]")
    }

    @Test("naming(_:) adds a path only where none is set")
    func namingAddsPathOnlyWhenMissing() {
        let bare = DataCompError(.corruptData, "bad", position: .row(3))
        #expect(bare.naming("x.npz").path == "x.npz")
        #expect(bare.naming("x.npz").naming("y.npz").path == "x.npz")
    }
}

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
