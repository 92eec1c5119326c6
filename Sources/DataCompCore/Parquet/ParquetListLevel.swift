/// One level of list nesting of a column: where each list starts and whether it is null.
public struct ParquetListLevel: Sendable, Equatable {
    /// `count + 1` offsets into the next level's slots (the inner lists, or the leaf values).
    public var offsets: [Int]
    /// Which lists are present; `nil` when none is null.
    public var validity: ParquetValidity?

    /// Creates a list level.
    ///
    /// - Parameters:
    ///   - offsets: `count + 1` non-decreasing offsets, starting at zero.
    ///   - validity: Which lists are present, or `nil` when none is null.
    public init(offsets: [Int], validity: ParquetValidity? = nil) {
        self.offsets = offsets
        self.validity = validity
    }

    /// The number of lists.
    public var count: Int { offsets.count - 1 }
}
