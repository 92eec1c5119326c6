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

@Suite struct JSONValueParsingTests {
    @Test(
        "Numbers parse as serde_json and Python read them",
        arguments: [
            // (text, value): integers that fit Int are .int, larger unsigned ones .uint, "-0" and
            // every literal with a fraction or exponent a double. "-0" was a fuzzing finding
            // (Scripts/fuzz.sh, fuzz-json): it once parsed as .uint(0) and did not round-trip.
            ("0", JSONValue.int(0)), ("-0", .double(-0.0)), ("-12", .int(-12)), ("1.5", .double(1.5)),
            ("1e3", .double(1000)),
            ("9223372036854775807", .int(Int.max)), ("9223372036854775808", .uint(9_223_372_036_854_775_808)),
            ("18446744073709551615", .uint(UInt64.max)), ("18446744073709551616", .double(18_446_744_073_709_551_616)),
        ])
    func numbers(text: String, value: JSONValue) throws {
        let parsed = try JSONValue(parsing: text)
        #expect(parsed == value)
        #expect(try JSONValue(parsing: parsed.serialized()) == parsed, "round trip")
    }

    @Test("Python's NaN and Infinity parse only in the Python dialect; objects keep their order")
    func dialects() throws {
        #expect(try JSONValue(parsing: "[NaN, Infinity, -Infinity]").arrayValue?.count == 3)
        #expect(throws: DataCompError.self) { try JSONValue(parsing: "NaN", dialect: .strict) }
        let object = try JSONValue(parsing: #"{"b": 1, "a": [true, null, "x\u00e9"]}"#)
        #expect(object.objectMembers?.map(\.0) == ["b", "a"])
        #expect(object["a"]?.arrayValue?[2].stringValue == "xé")
        for bad in ["[1,]", "01", "\"\\ud800\"", "{\"a\" 1}", "1 2", "\"\u{1}\""] {
            let error = try #require(throws: DataCompError.self) { try JSONValue(parsing: bad) }
            #expect(error.code == .invalidFormat && error.position?.offset != nil, "\(bad)")
        }
    }

    @Test("Escaping follows the policy: ASCII-only as json.dumps, control characters only as serde_json")
    func escaping() {
        let value = JSONValue.string("é\n\u{7F}")
        #expect(value.serialized() == #""\u00e9\n\u007f""#)
        #expect(value.serialized(escaping: .controlCharactersOnly) == "\"é\\n\u{7F}\"")
        #expect(JSONValue.object([("a", .int(1)), ("b", .array([]))]).serialized(compact: true) == #"{"a":1,"b":[]}"#)
    }
}
