/// The schema of an Arrow IPC file: its top-level fields and custom metadata.
///
/// Hugging Face `datasets` cache files keep their features as JSON under the metadata key
/// `huggingface` (`{"info": {"features": …}}`).
public struct ArrowSchema: Sendable, Hashable {
    /// The top-level fields, one per column, in file order.
    public var fields: [ArrowField]
    /// The schema's custom metadata, key to value (invalid UTF-8 replaced by U+FFFD; for a
    /// repeated key, the last value).
    public var metadata: [String: String]

    /// Creates a schema.
    ///
    /// - Parameters:
    ///   - fields: The top-level fields.
    ///   - metadata: Custom metadata.
    public init(fields: [ArrowField], metadata: [String: String] = [:]) {
        self.fields = fields
        self.metadata = metadata
    }
}
