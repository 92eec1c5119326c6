/// Variable-length byte strings stored in one contiguous buffer with offsets.
///
/// Value `i` is `bytes[offsets[i]..<offsets[i + 1]]`; `offsets` has `count + 1` entries and
/// starts at zero. Null slots hold empty values.
public struct ParquetByteArrays: Sendable, Equatable {
    /// All values back to back.
    public var bytes: [UInt8]
    /// The start of each value plus the end of the last, `count + 1` entries.
    public var offsets: [Int]

    /// Creates the storage from a buffer and offsets.
    ///
    /// - Parameters:
    ///   - bytes: All values back to back.
    ///   - offsets: `count + 1` non-decreasing offsets into `bytes`, starting at zero.
    public init(bytes: [UInt8], offsets: [Int]) {
        self.bytes = bytes
        self.offsets = offsets
    }

    /// Creates the storage from strings (UTF-8 encoded).
    ///
    /// - Parameter strings: The values.
    public init(_ strings: some Sequence<String>) {
        bytes = []
        offsets = [0]
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            offsets.append(bytes.count)
        }
    }

    /// The number of values.
    public var count: Int { offsets.count - 1 }

    /// The bytes of value `index`.
    ///
    /// - Parameter index: A value in `0..<count`.
    public subscript(index: Int) -> ArraySlice<UInt8> {
        bytes[offsets[index]..<offsets[index + 1]]
    }

    /// Value `index` decoded as UTF-8 (invalid sequences become U+FFFD).
    ///
    /// - Parameter index: A value in `0..<count`.
    /// - Returns: The text.
    public func string(at index: Int) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[offsets[index]..<offsets[index + 1]]), as: UTF8.self)
        }
    }
}
