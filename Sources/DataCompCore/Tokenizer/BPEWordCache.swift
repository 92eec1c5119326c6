/// A cache from a pre-token's UTF-8 bytes to its BPE ids (`SimpleTokenizer.cache`), stored in
/// flat arrays so that a lookup allocates nothing.
///
/// Not shared between threads: each batch worker owns one. Cleared when it grows past its
/// limits; results never depend on the cache.
struct BPEWordCache {
    private var keyBytes: [UInt8] = []
    private var values: [Int32] = []
    /// Per entry: key start, key length, value start, value length.
    private var entries: [(keyStart: Int32, keyCount: Int32, valueStart: Int32, valueCount: Int32)] = []
    private var hashes: [UInt64] = []
    /// Open-addressing slots holding entry index + 1 (0 = empty).
    private var slots: [Int32] = [Int32](repeating: 0, count: 1 << 12)
    private let maximumEntries = 1 << 20
    private let maximumBytes = 1 << 26

    /// FNV-1a over the bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// Appends the cached ids of `bytes` to `output` and returns true, or returns false.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, to output: inout [Int32]) -> Bool {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { return false }
            let entry = entries[stored - 1]
            if hashes[stored - 1] == hash && Int(entry.keyCount) == bytes.count {
                let equal = keyBytes.withUnsafeBufferPointer { keys -> Bool in
                    let start = Int(entry.keyStart)
                    for index in 0..<bytes.count where keys[start + index] != bytes[index] { return false }
                    return true
                }
                if equal {
                    let start = Int(entry.valueStart)
                    output.append(contentsOf: values[start..<(start + Int(entry.valueCount))])
                    return true
                }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Stores `ids` for `bytes`.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, ids: [Int32]) {
        if entries.count >= maximumEntries || keyBytes.count + bytes.count > maximumBytes {
            self = BPEWordCache()
        }
        if (entries.count + 1) * 2 > slots.count { grow() }
        entries.append((Int32(keyBytes.count), Int32(bytes.count), Int32(values.count), Int32(ids.count)))
        hashes.append(hash)
        keyBytes.append(contentsOf: bytes)
        values.append(contentsOf: ids)
        place(entry: entries.count - 1)
    }

    private mutating func place(entry: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (hashes[entry] &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry + 1)
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for entry in entries.indices { place(entry: entry) }
    }
}
