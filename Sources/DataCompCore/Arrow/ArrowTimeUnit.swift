/// The unit of an Arrow time, timestamp or duration type.
public enum ArrowTimeUnit: String, Sendable, Hashable {
    /// Whole seconds.
    case seconds
    /// Thousandths of a second.
    case milliseconds
    /// Millionths of a second.
    case microseconds
    /// Billionths of a second.
    case nanoseconds
}
