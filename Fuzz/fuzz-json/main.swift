// libFuzzer target: the strict JSON parser in both dialects, and writing what it parsed.
import DataCompCore
import _FuzzSupport

FuzzDriver.run { bytes in
    let value = try JSONValue(parsing: Array(bytes), dialect: .python)
    let text = value.serialized()
    let again = try JSONValue(parsing: text, dialect: .python)
    precondition(again == value, "a parsed value does not round-trip")
    _ = try? JSONValue(parsing: Array(bytes), dialect: .strict)
}
