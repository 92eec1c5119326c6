/// The per-sample rule of DataComp's resharder (`resharder.py`, worker loop): which copies of a
/// downloaded sample go into the resharded subset.
///
/// A sample's uid is the `uid` field of its `json` member, read as Python's `int(uid, 16)` (upper
/// case, a `0x` prefix, underscores and fewer than 32 digits are accepted). It is emitted once for every
/// occurrence of that uid in the subset (a subset may repeat uids), with key `<uid>-<j>` for
/// `j = 0 …` — the uid spelled as in the json — and all its members byte for byte. Planning,
/// workers, output shard numbering and `meta.json` are the resharder's; this is its inner loop.
package enum SubsetResharding {
    /// The copies of `sample` that belong in the resharded `subset`, in order.
    ///
    /// - Parameters:
    ///   - sample: A downloaded sample with a `json` member holding its `uid`.
    ///   - subset: The subset, sorted.
    /// - Returns: No sample when the uid is not in the subset, else one per occurrence.
    /// - Throws: `DataCompError` naming the sample's key: `invalidFormat` when the sample has no
    ///   `json` member or its json has no `uid` string, `invalidIdentifier` when the uid is not a
    ///   number.
    package static func copies(of sample: WebDatasetSample, in subset: Subset) throws -> [WebDatasetSample] {
        let (text, uid) = try uid(of: sample)
        return (0..<subset.count(of: uid)).map { copy in
            var copied = sample
            copied.key = "\(text)-\(copy)"
            return copied
        }
    }

    /// The uid of a downloaded sample, as spelled in its `json` member and parsed.
    ///
    /// - Parameter sample: A sample with a `json` member.
    /// - Returns: The uid text and its value.
    /// - Throws: `DataCompError` with code `invalidFormat` or `invalidIdentifier` naming the
    ///   sample's key.
    package static func uid(of sample: WebDatasetSample) throws -> (text: String, id: SampleID) {
        guard let json = sample["json"] else {
            throw DataCompError(
                .invalidFormat, "the sample has no json member, so its uid is unknown", position: .member(sample.key))
        }
        let record = try JSONValue(parsing: json)
        guard let text = record["uid"]?.stringValue else {
            throw DataCompError(
                .invalidFormat, "the sample's json member has no \"uid\" string",
                position: .member(sample.key + ".json"))
        }
        guard let id = PythonHexIdentifier.parse(text) else {
            throw DataCompError(
                .invalidIdentifier,
                "the uid \"\(text)\" is not a hexadecimal number below 2^128 (DataComp reads it as int(uid, 16))",
                position: .member(sample.key + ".json"))
        }
        return (text, id)
    }
}
