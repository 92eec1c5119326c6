import DataCompCore

/// The outcome of a filter run: the subset of kept uids, sorted as DataComp's subset files are,
/// and the run's report.
public struct FilterResult: Sendable {
    /// The kept uids, ascending.
    public var subset: Subset
    /// What the run did.
    public var report: FilterReport

    /// The path of the report written beside the subset at `subsetPath`: the subset's path with
    /// `.npy` replaced by `.report.json` (`subset.npy` → `subset.report.json`).
    public static func reportPath(forSubsetAt subsetPath: String) -> String {
        (subsetPath.hasSuffix(".npy") ? String(subsetPath.dropLast(4)) : subsetPath) + ".report.json"
    }

    /// Writes the subset as a DataComp subset file at `path` (the structured `u8,u8` `.npy`
    /// that `np.save` writes) and the report beside it (``reportPath(forSubsetAt:)``), each
    /// under a temporary name first, so that neither is ever half-written.
    ///
    /// - Throws: `DataCompError` if either file cannot be written.
    public func write(to path: String) throws {
        try SubsetFile.write(subset, to: path)
        let json = report.jsonValue.serialized(indent: 2) + "\n"
        try AtomicFile.write(Array(json.utf8), to: Self.reportPath(forSubsetAt: path))
    }
}
