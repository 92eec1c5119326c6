/// Whether a schema node is required, optional (nullable) or repeated.
public enum ParquetRepetition: String, Sendable, Hashable {
    /// Exactly one value.
    case required = "REQUIRED"
    /// Zero or one value (nullable).
    case optional = "OPTIONAL"
    /// Zero or more values (a list).
    case repeated = "REPEATED"
}
