import DataCompCore

/// A uid read as DataComp's resharder reads it: Python's `int(text, 16)`, in two 64-bit halves.
///
/// Surrounding whitespace, a `+`, a `0x` prefix, `_` between digits, upper-case digits
/// and fewer than 32 digits are accepted, as Python accepts them; a negative or 128-bit-overflowing
/// value is not a uid.
enum PythonHexIdentifier {
    static func parse(_ text: String) -> SampleID? {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        if scalars.first == "+" { scalars.removeFirst() }
        if scalars.count >= 2, scalars.first == "0", let x = scalars.dropFirst().first, x == "x" || x == "X" {
            scalars.removeFirst(2)
            // Python allows an underscore right after the prefix.
            if scalars.first == "_" { scalars.removeFirst() }
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        var previousWasUnderscore = true  // no leading underscore
        for scalar in scalars {
            if scalar == "_" {
                if previousWasUnderscore { return nil }
                previousWasUnderscore = true
                continue
            }
            guard let value = hexValue(scalar) else { return nil }
            previousWasUnderscore = false
            guard high >> 60 == 0 else { return nil }  // would pass 128 bits
            high = high << 4 | low >> 60
            low = low << 4 | UInt64(value)
            digits += 1
        }
        guard digits > 0, !previousWasUnderscore else { return nil }
        return SampleID(high: high, low: low)
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39: UInt8(scalar.value - 0x30)
        case 0x41...0x46: UInt8(scalar.value - 0x41 + 10)
        case 0x61...0x66: UInt8(scalar.value - 0x61 + 10)
        default: nil
        }
    }
}
