/// A read-only row-major matrix in memory the caller owns: `rows × columns` values, with
/// `leadingDimension` values between the starts of consecutive rows (BLAS's `lda`).
///
/// A view is a pointer and a shape, valid only while the memory it points to is; create it
/// inside a `withUnsafe…` closure and do not let it escape.
package struct MatrixView {
    /// The first value of row 0.
    package let base: UnsafePointer<Float>
    /// The number of rows.
    package let rows: Int
    /// The number of values per row.
    package let columns: Int
    /// The distance between the starts of consecutive rows, in values (at least `columns`).
    package let leadingDimension: Int

    /// Creates a view.
    ///
    /// - Precondition: `rows, columns >= 0` and `leadingDimension >= max(columns, 1)`.
    package init(_ base: UnsafePointer<Float>, rows: Int, columns: Int, leadingDimension: Int? = nil) {
        let leading = leadingDimension ?? max(columns, 1)
        precondition(rows >= 0 && columns >= 0, "matrix shape [\(rows), \(columns)] is negative")
        precondition(leading >= max(columns, 1), "leading dimension \(leading) is smaller than \(columns) columns")
        self.base = base
        self.rows = rows
        self.columns = columns
        self.leadingDimension = leading
    }

    /// Creates a dense view of `buffer` as `rows × columns`.
    ///
    /// - Precondition: `buffer` holds at least `rows · columns` values and is not empty.
    package init(_ buffer: UnsafeBufferPointer<Float>, rows: Int, columns: Int) {
        precondition(
            buffer.count >= rows * columns,
            "a [\(rows), \(columns)] matrix needs \(rows * columns) values, the buffer has \(buffer.count)")
        guard let base = buffer.baseAddress else { preconditionFailure("the buffer has no storage") }
        self.init(base, rows: rows, columns: columns)
    }

    /// Creates a view of `rows × columns` values of `buffer` starting at `offset`, rows
    /// `leadingDimension` values apart (one head's slice of a packed projection, for example).
    ///
    /// - Precondition: The last value lies inside `buffer`.
    package init(_ buffer: UnsafeBufferPointer<Float>, offset: Int, rows: Int, columns: Int, leadingDimension: Int) {
        precondition(
            offset >= 0 && (rows == 0 || offset + (rows - 1) * leadingDimension + columns <= buffer.count),
            "a [\(rows), \(columns)] view at \(offset) with stride \(leadingDimension) leaves the buffer of \(buffer.count)"
        )
        guard let base = buffer.baseAddress else { preconditionFailure("the buffer has no storage") }
        self.init(base + offset, rows: rows, columns: columns, leadingDimension: leadingDimension)
    }
}

/// A writable row-major matrix in memory the caller owns; see ``MatrixView``.
package struct MutableMatrixView {
    /// The first value of row 0.
    package let base: UnsafeMutablePointer<Float>
    /// The number of rows.
    package let rows: Int
    /// The number of values per row.
    package let columns: Int
    /// The distance between the starts of consecutive rows, in values (at least `columns`).
    package let leadingDimension: Int

    /// Creates a view.
    ///
    /// - Precondition: `rows, columns >= 0` and `leadingDimension >= max(columns, 1)`.
    package init(_ base: UnsafeMutablePointer<Float>, rows: Int, columns: Int, leadingDimension: Int? = nil) {
        let leading = leadingDimension ?? max(columns, 1)
        precondition(rows >= 0 && columns >= 0, "matrix shape [\(rows), \(columns)] is negative")
        precondition(leading >= max(columns, 1), "leading dimension \(leading) is smaller than \(columns) columns")
        self.base = base
        self.rows = rows
        self.columns = columns
        self.leadingDimension = leading
    }

    /// Creates a dense view of `buffer` as `rows × columns`.
    ///
    /// - Precondition: `buffer` holds at least `rows · columns` values and is not empty.
    package init(_ buffer: UnsafeMutableBufferPointer<Float>, rows: Int, columns: Int) {
        precondition(
            buffer.count >= rows * columns,
            "a [\(rows), \(columns)] matrix needs \(rows * columns) values, the buffer has \(buffer.count)")
        guard let base = buffer.baseAddress else { preconditionFailure("the buffer has no storage") }
        self.init(base, rows: rows, columns: columns)
    }

    /// Creates a view of `rows × columns` values of `buffer` starting at `offset`, rows
    /// `leadingDimension` values apart.
    ///
    /// - Precondition: The last value lies inside `buffer`.
    package init(
        _ buffer: UnsafeMutableBufferPointer<Float>, offset: Int, rows: Int, columns: Int, leadingDimension: Int
    ) {
        precondition(
            offset >= 0 && (rows == 0 || offset + (rows - 1) * leadingDimension + columns <= buffer.count),
            "a [\(rows), \(columns)] view at \(offset) with stride \(leadingDimension) leaves the buffer of \(buffer.count)"
        )
        guard let base = buffer.baseAddress else { preconditionFailure("the buffer has no storage") }
        self.init(base + offset, rows: rows, columns: columns, leadingDimension: leadingDimension)
    }

    /// The same memory, read-only.
    package var readOnly: MatrixView {
        MatrixView(UnsafePointer(base), rows: rows, columns: columns, leadingDimension: leadingDimension)
    }
}
