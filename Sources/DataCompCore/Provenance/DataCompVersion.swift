/// The version of DataComp for Swift, as reports and provenance records name it.
public enum DataCompVersion {
    /// The release this build belongs to, in semantic-versioning form.
    public static let current = "0.1.0"

    /// How reports name the tool: `datacomp-swift <version>`.
    public static var toolName: String { "datacomp-swift \(current)" }
}
