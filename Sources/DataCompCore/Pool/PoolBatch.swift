/// Consecutive rows of one pool shard, column by column: the unit that filters and statistics
/// consume.
///
/// A batch holds only the columns its reader was asked for (``columns``), keyed by
/// ``PoolColumn``. Row `i` of every column — Parquet metadata, `.npz` features, sidecar scores
/// and derived values alike — is shard row ``shardRows``[i], so the columns line up. Strings,
/// face boxes and embeddings share their buffers with the row group they were decoded from (or
/// with the memory-mapped `.npz`), so slicing a row group into batches copies only offsets.
///
/// Typed accessors read a column: ``floats(_:)``, ``integers(_:)``, ``strings(_:)``,
/// ``embeddings(_:)`` and the others, plus shorthands for DataComp's columns (``uids``,
/// ``texts``, ``clipL14Scores``, …). Reading a column that was not declared, or as another type,
/// is a programmer error and traps with a message naming the column; check with
/// ``contains(_:)`` when the column set is not known statically.
///
/// ```swift
/// try pool.forEachBatch(columns: [.uid, .clipL14Score]) { batch in
///     let mask = RowMask(count: batch.count) { batch.clipL14Scores[$0] >= 0.3 }
///     keep(batch.selecting(mask).uids)
/// }
/// ```
public struct PoolBatch: Sendable {
    /// The index of the shard the rows come from, in the pool's file order.
    public let shardIndex: Int
    /// The shard rows this batch holds, one per batch row.
    public let shardRows: ShardRowNumbers
    private var storage: [PoolColumn: PoolColumnValues]
    /// Which rows of each nullable column hold values, for columns that have nulls.
    private var validity: [PoolColumn: RowMask]

    /// Creates a batch from columns.
    ///
    /// Readers create batches; this initializer is for tests and in-memory pools.
    ///
    /// - Parameters:
    ///   - shardIndex: The shard the rows come from.
    ///   - shardRows: The shard rows, one per batch row.
    ///   - columns: The values of each column.
    ///   - validity: For columns with nulls, which rows hold values.
    /// - Precondition: Every column has `shardRows.count` rows and values of its declared type.
    public init(
        shardIndex: Int = 0, shardRows: ShardRowNumbers, columns: [PoolColumn: PoolColumnValues],
        validity: [PoolColumn: RowMask] = [:]
    ) {
        for (column, values) in columns {
            precondition(
                values.count == shardRows.count,
                "column '\(column)' has \(values.count) rows, the batch \(shardRows.count)")
            precondition(
                values.valueType == column.valueType,
                "column '\(column)' is declared as \(column.valueType) but holds \(values.valueType) values")
        }
        for (column, mask) in validity {
            precondition(columns[column] != nil, "validity given for column '\(column)', which the batch does not hold")
            precondition(
                mask.count == shardRows.count,
                "validity of '\(column)' has \(mask.count) rows, the batch \(shardRows.count)")
        }
        self.shardIndex = shardIndex
        self.shardRows = shardRows
        storage = columns
        self.validity = validity.filter { !$0.value.isAllSelected }
    }

    /// Creates a batch of consecutive shard rows.
    ///
    /// - Parameters:
    ///   - shardIndex: The shard the rows come from.
    ///   - rows: The shard rows.
    ///   - columns: The values of each column.
    /// - Precondition: See ``init(shardIndex:shardRows:columns:validity:)``.
    public init(shardIndex: Int = 0, rows: Range<Int>, columns: [PoolColumn: PoolColumnValues]) {
        self.init(shardIndex: shardIndex, shardRows: ShardRowNumbers(rows), columns: columns)
    }

    /// The number of rows.
    public var count: Int { shardRows.count }

    /// The columns this batch holds.
    public var columns: Set<PoolColumn> { Set(storage.keys) }

    /// Whether the batch holds `column`.
    ///
    /// - Parameter column: A pool column.
    /// - Returns: Whether the column was declared (or added).
    public func contains(_ column: PoolColumn) -> Bool { storage[column] != nil }

    /// The values of `column`.
    ///
    /// - Parameter column: A column the batch holds.
    /// - Precondition: The batch holds `column`.
    public subscript(column: PoolColumn) -> PoolColumnValues {
        guard let values = storage[column] else {
            let held = storage.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
            preconditionFailure(
                "the batch does not hold column '\(column)' (it holds \(held)); declare it in the columns passed to the reader"
            )
        }
        return values
    }

    /// Which rows of `column` hold a value, or `nil` when none is null.
    ///
    /// Null values read as the type's default (0, NaN, an empty string, false, no boxes); this
    /// mask tells them apart from real zeros and empty strings.
    ///
    /// - Parameter column: A column the batch holds.
    /// - Returns: The mask of non-null rows, or `nil` when every row has a value.
    public func validity(of column: PoolColumn) -> RowMask? {
        _ = self[column]
        return validity[column]
    }

    private func mismatch(_ column: PoolColumn, _ expected: PoolColumn.ValueType) -> Never {
        preconditionFailure("column '\(column)' holds \(column.valueType) values, not \(expected)")
    }

    /// The values of an ``PoolColumn/ValueType/identifier`` column.
    ///
    /// - Parameter column: A column the batch holds.
    /// - Returns: One value per row.
    public func identifiers(_ column: PoolColumn) -> [SampleID] {
        guard case .identifiers(let values) = self[column] else { mismatch(column, .identifier) }
        return values
    }

    /// The values of a ``PoolColumn/ValueType/string`` column.
    ///
    /// - Parameter column: A column the batch holds.
    /// - Returns: One value per row.
    public func strings(_ column: PoolColumn) -> StringColumn {
        guard case .strings(let values) = self[column] else { mismatch(column, .string) }
        return values
    }

    /// The values of an ``PoolColumn/ValueType/integer`` column.
    ///
    /// - Parameter column: A column the batch holds.
    /// - Returns: One value per row.
    public func integers(_ column: PoolColumn) -> [Int] {
        guard case .integers(let values) = self[column] else { mismatch(column, .integer) }
        return values
    }

    /// The values of a ``PoolColumn/ValueType/float`` column.
    ///
    /// - Parameter column: A column the batch holds.
    /// - Returns: One value per row.
    public func floats(_ column: PoolColumn) -> [Float] {
        guard case .floats(let values) = self[column] else { mismatch(column, .float) }
        return values
    }

    /// The values of a ``PoolColumn/ValueType/double`` column.
    ///
    /// - Parameter column: A column the batch holds.
    /// - Returns: One value per row.
    public func doubles(_ column: PoolColumn) -> [Double] {
        guard case .doubles(let values) = self[column] else { mismatch(column, .double) }
        return values
    }

    /// The values of a ``PoolColumn/ValueType/boolean`` column.
    ///
    /// - Parameter column: A column the batch holds.
    /// - Returns: One value per row.
    public func booleans(_ column: PoolColumn) -> [Bool] {
        guard case .booleans(let values) = self[column] else { mismatch(column, .boolean) }
        return values
    }

    /// The values of a ``PoolColumn/ValueType/faceBoxes`` column.
    ///
    /// - Parameter column: A column the batch holds.
    /// - Returns: One value per row.
    public func faceBoxes(_ column: PoolColumn) -> PoolFaceBoxes {
        guard case .faceBoxes(let values) = self[column] else { mismatch(column, .faceBoxes) }
        return values
    }

    /// The feature matrix of an ``PoolColumn/ValueType/embedding`` column, `[count, dimensions]`.
    ///
    /// - Parameter column: A column the batch holds, for example ``PoolColumn/l14Image``.
    /// - Returns: The rows of this batch, memory-mapped when the `.npz` stores them uncompressed.
    public func embeddings(_ column: PoolColumn) -> PoolEmbeddings {
        guard case .embeddings(let values) = self[column] else { mismatch(column, .embedding) }
        return values
    }

    /// This batch with one more column (for example a derived language tag or score).
    ///
    /// - Parameters:
    ///   - column: The column, usually ``PoolColumn/derived(_:_:)``.
    ///   - values: One value per row, of the column's type.
    ///   - validity: Which rows hold a value, when some are null.
    /// - Returns: The extended batch; an existing column of the same name and source is replaced.
    /// - Precondition: `values` has ``count`` rows of the column's type.
    public func adding(_ column: PoolColumn, _ values: PoolColumnValues, validity: RowMask? = nil) -> PoolBatch {
        var columns = storage
        columns[column] = values
        var masks = self.validity
        masks[column] = validity
        return PoolBatch(shardIndex: shardIndex, shardRows: shardRows, columns: columns, validity: masks)
    }

    /// The rows `mask` selects, every column narrowed alike.
    ///
    /// - Parameter mask: One bit per row of this batch.
    /// - Returns: A batch of `mask.populationCount` rows whose ``shardRows`` name the kept rows.
    /// - Precondition: `mask.count == count`.
    public func selecting(_ mask: RowMask) -> PoolBatch {
        precondition(mask.count == count, "the mask has \(mask.count) rows, the batch \(count)")
        if mask.isAllSelected { return self }
        let kept = mask.selectedIndices
        return PoolBatch(
            shardIndex: shardIndex, shardRows: ShardRowNumbers(kept.map { shardRows[$0] }),
            columns: storage.mapValues { $0.gathering(kept) },
            validity: validity.mapValues { mask in RowMask(count: kept.count) { mask[kept[$0]] } })
    }

    /// Rows `rows` of this batch, sharing storage where the column types allow it.
    ///
    /// - Parameter rows: A range of batch rows.
    /// - Returns: A batch of `rows.count` rows.
    public func sliced(_ rows: Range<Int>) -> PoolBatch {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= count, "rows \(rows) outside 0..<\(count)")
        if rows == 0..<count { return self }
        let shard =
            shardRows.range.map {
                ShardRowNumbers(($0.lowerBound + rows.lowerBound)..<($0.lowerBound + rows.upperBound))
            }
            ?? ShardRowNumbers(rows.map { shardRows[$0] })
        return PoolBatch(
            shardIndex: shardIndex, shardRows: shard, columns: storage.mapValues { $0.sliced(rows) },
            validity: validity.mapValues { mask in RowMask(count: rows.count) { mask[rows.lowerBound + $0] } })
    }
}

extension PoolBatch {
    /// The sample identifiers (column `uid`).
    public var uids: [SampleID] { identifiers(.uid) }
    /// The captions (column `text`); null captions read as empty strings.
    public var texts: StringColumn { strings(.text) }
    /// The image URLs (column `url`); null URLs read as empty strings.
    public var urls: StringColumn { strings(.url) }
    /// The original image widths in pixels (column `original_width`); nulls read as 0.
    public var originalWidths: [Int] { integers(.originalWidth) }
    /// The original image heights in pixels (column `original_height`); nulls read as 0.
    public var originalHeights: [Int] { integers(.originalHeight) }
    /// The ViT-B/32 CLIP scores (column `clip_b32_similarity_score`); nulls read as NaN.
    public var clipB32Scores: [Float] { floats(.clipB32Score) }
    /// The ViT-L/14 CLIP scores (column `clip_l14_similarity_score`); nulls read as NaN.
    public var clipL14Scores: [Float] { floats(.clipL14Score) }
    /// The face boxes (column `face_bboxes`).
    public var faceBoxes: PoolFaceBoxes { faceBoxes(.faceBoxes) }
    /// The image digests as 64 hex digits (column `sha256`); nulls read as empty strings.
    public var sha256s: StringColumn { strings(.sha256) }
}
