/// Byte-level scans over UTF-8 strings and hex identifiers (string columns, pool uids), without
/// creating a `String` per row.
package enum TextScanning {
    /// Parses a column of 32-hex-digit uids with `SampleID(hexBytes:)` straight from the UTF-8
    /// buffer (no `String` per row); returns the index of the first invalid value on failure.
    package static func parseUIDs(bytes: [UInt8], offsets: ArraySlice<Int>) -> Result<[SampleID], InvalidRow> {
        let count = offsets.count - 1
        guard count > 0 else { return .success([]) }
        var failed: Int?
        let ids = bytes.withUnsafeBytes { buffer -> [SampleID] in
            [SampleID](unsafeUninitializedCapacity: count) { out, initialized in
                var index = 0
                var offset = offsets.startIndex
                while index < count {
                    let start = offsets[offset]
                    let end = offsets[offset + 1]
                    guard start >= 0, end - start == 32, end <= buffer.count,
                        let id = SampleID(hexBytes: UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
                    else {
                        failed = index
                        break
                    }
                    out[index] = id  // SampleID is trivial: assigning initializes
                    index += 1
                    offset += 1
                }
                initialized = index
            }
        }
        if let failed { return .failure(InvalidRow(row: failed)) }
        return .success(ids)
    }

    /// The row at which a scan failed.
    package struct InvalidRow: Error {
        /// The zero-based row.
        package var row: Int
    }

    /// The number of Unicode scalars (Python `len`) of valid UTF-8; for invalid UTF-8 every
    /// byte that is not a continuation byte counts as one.
    @inline(__always)
    package static func scalarCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The number of words Python's `str.split()` (no arguments) returns: runs of characters
    /// that are not Python whitespace (`str.isspace`).
    package static func pythonWordCount(_ bytes: UnsafeRawBufferPointer) -> Int {
        var words = 0
        forEachPythonWord(bytes) { _ in words += 1 }
        return words
    }

    /// Calls `body` with the byte range of each word Python's `str.split()` returns, in order.
    @inline(__always)
    package static func forEachPythonWord(_ bytes: UnsafeRawBufferPointer, _ body: (Range<Int>) -> Void) {
        var start = -1
        var index = 0
        let n = bytes.count
        while index < n {
            let byte = bytes[index]
            let characterStart = index
            let space: Bool
            if byte < 0x80 {
                space = (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x20)
                index += 1
            } else if byte & 0xE0 == 0xC0, index + 1 < n {
                let scalar = (UInt32(byte & 0x1F) << 6) | UInt32(bytes[index + 1] & 0x3F)
                space = scalar == 0x85 || scalar == 0xA0
                index += 2
            } else if byte & 0xF0 == 0xE0, index + 2 < n {
                let scalar =
                    (UInt32(byte & 0x0F) << 12) | (UInt32(bytes[index + 1] & 0x3F) << 6)
                    | UInt32(bytes[index + 2] & 0x3F)
                space = isWideSpace(scalar)
                index += 3
            } else {
                // A four-byte scalar (never whitespace) or an invalid byte: one non-space character.
                space = false
                index += 1
                while index < n && bytes[index] & 0xC0 == 0x80 { index += 1 }
            }
            if space {
                if start >= 0 { body(start..<characterStart) }
                start = -1
            } else if start < 0 {
                start = characterStart
            }
        }
        if start >= 0 { body(start..<n) }
    }

    /// Python whitespace among three-byte UTF-8 scalars (CPython's `_PyUnicode_IsWhitespace`).
    @inline(__always)
    private static func isWideSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or values above
    /// U+10FFFF), the condition under which `String(decoding:as:)` changes nothing.
    package static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        var index = 0
        while index < n {
            // ASCII runs eight bytes at a time.
            if index + 8 <= n, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            @inline(__always) func continuation(_ offset: Int) -> Bool {
                index + offset < n && bytes[index + offset] & 0xC0 == 0x80
            }
            switch lead {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0...0xEF:
                guard continuation(1), continuation(2) else { return false }
                let second = bytes[index + 1]
                if lead == 0xE0 && second < 0xA0 { return false }  // overlong
                if lead == 0xED && second > 0x9F { return false }  // surrogate
                index += 3
            case 0xF0...0xF4:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                let second = bytes[index + 1]
                if lead == 0xF0 && second < 0x90 { return false }  // overlong
                if lead == 0xF4 && second > 0x8F { return false }  // above U+10FFFF
                index += 4
            default:
                return false
            }
        }
        return true
    }
}
