/// A walk over a JPEG's marker structure, to say *where* libjpeg's complaints are: libjpeg
/// reports what went wrong ("extraneous bytes before marker 0xd9", "bogus marker length") but not
/// the byte offset.
enum JPEGMarkers {
    /// The offset of the first byte that breaks the marker structure — stray bytes where a marker
    /// should start, a segment length running past the end — or `nil` when the structure holds.
    ///
    /// Entropy-coded data after each start-of-scan is skipped as decoders skip it (stuffed
    /// `FF 00` bytes and restart markers belong to it).
    static func firstAnomaly(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let n = bytes.count
        guard n >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return 0 }
        var offset = 2
        while offset < n {
            guard bytes[offset] == 0xFF else { return offset }
            var markerOffset = offset
            while markerOffset + 1 < n && bytes[markerOffset + 1] == 0xFF { markerOffset += 1 }  // fill bytes
            guard markerOffset + 1 < n else { return markerOffset }
            let marker = bytes[markerOffset + 1]
            offset = markerOffset + 2
            switch marker {
            case 0xD9: return nil  // end of image
            case 0x01, 0xD0...0xD7: continue  // markers without a length
            default:
                guard offset + 2 <= n else { return markerOffset }
                let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
                guard length >= 2, offset + length <= n else { return markerOffset }
                offset += length
                if marker == 0xDA {
                    // Entropy-coded data runs to the next marker that is not a stuffed zero or a restart.
                    while offset + 1 < n {
                        if bytes[offset] == 0xFF {
                            let next = bytes[offset + 1]
                            if next != 0x00 && !(0xD0...0xD7).contains(next) && next != 0xFF { break }
                        }
                        offset += 1
                    }
                    if offset + 1 >= n { return n }
                }
            }
        }
        return n
    }
}
