/// Consecutive rows of one pool shard, column by column: the unit that filters and statistics
/// consume.
///
/// A batch holds only the columns its reader was asked for (``columns``). Row `i` of every
/// column — Parquet metadata and NPZ embeddings alike — is row `rows.lowerBound + i` of the
/// shard, so parallel arrays line up. Strings, face boxes and embeddings share their buffers with
/// the row group they were decoded from (or with the memory-mapped `.npz`), so slicing a row group
/// into batches copies only offsets.
///
/// Reading a column that was not declared is a programmer error and traps; check with
/// ``contains(_:)`` when the column set is not known statically.
///
/// ```swift
/// try pool.forEachBatch(columns: [.uid, .clipL14Score]) { batch in
///     for i in 0..<batch.count where batch.clipL14Scores[i] >= 0.3 { keep(batch.uids[i]) }
/// }
/// ```
public struct PoolBatch: Sendable {
    /// The index of the shard the rows come from, in the pool's file order.
    public let shardIndex: Int
    /// The rows of the shard this batch holds (Parquet row = NPZ row).
    public let rows: Range<Int>
    /// The columns this batch holds.
    public let columns: Set<PoolColumn>

    private let uidValues: [SampleID]?
    private let textValues: PoolStrings?
    private let urlValues: PoolStrings?
    private let widthValues: [Int]?
    private let heightValues: [Int]?
    private let b32Values: [Float]?
    private let l14Values: [Float]?
    private let faceBoxValues: PoolFaceBoxes?
    private let sha256Values: PoolStrings?
    private let embeddingValues: [PoolColumn: PoolEmbeddings]

    /// Creates a batch from columns; pass `nil` for columns the batch does not hold.
    ///
    /// Readers create batches; this initializer is for tests and in-memory pools.
    ///
    /// - Parameters:
    ///   - shardIndex: The shard the rows come from.
    ///   - rows: The rows of the shard; every given column must have `rows.count` rows.
    ///   - uids: Sample identifiers.
    ///   - texts: Captions.
    ///   - urls: Image URLs.
    ///   - originalWidths: Original image widths.
    ///   - originalHeights: Original image heights.
    ///   - clipB32Scores: ViT-B/32 CLIP scores.
    ///   - clipL14Scores: ViT-L/14 CLIP scores.
    ///   - faceBoxes: Face boxes.
    ///   - sha256s: Image digests as hex strings.
    ///   - embeddings: Feature matrices keyed by embedding column.
    /// - Precondition: Every given column has `rows.count` rows, and `embeddings` has only
    ///   embedding columns.
    public init(
        shardIndex: Int = 0, rows: Range<Int>, uids: [SampleID]? = nil, texts: PoolStrings? = nil, urls: PoolStrings? = nil,
        originalWidths: [Int]? = nil, originalHeights: [Int]? = nil, clipB32Scores: [Float]? = nil,
        clipL14Scores: [Float]? = nil, faceBoxes: PoolFaceBoxes? = nil, sha256s: PoolStrings? = nil,
        embeddings: [PoolColumn: PoolEmbeddings] = [:]
    ) {
        let n = rows.count
        var columns = Set<PoolColumn>()
        func check(_ column: PoolColumn, _ count: Int?) {
            guard let count else { return }
            precondition(count == n, "column \(column.dataCompName) has \(count) rows, the batch \(n)")
            columns.insert(column)
        }
        check(.uid, uids?.count)
        check(.text, texts?.count)
        check(.url, urls?.count)
        check(.originalWidth, originalWidths?.count)
        check(.originalHeight, originalHeights?.count)
        check(.clipB32Score, clipB32Scores?.count)
        check(.clipL14Score, clipL14Scores?.count)
        check(.faceBoxes, faceBoxes?.count)
        check(.sha256, sha256s?.count)
        for (column, matrix) in embeddings {
            precondition(column.isEmbedding, "\(column) is not an embedding column")
            check(column, matrix.rowCount)
        }
        self.shardIndex = shardIndex
        self.rows = rows
        self.columns = columns
        uidValues = uids
        textValues = texts
        urlValues = urls
        widthValues = originalWidths
        heightValues = originalHeights
        b32Values = clipB32Scores
        l14Values = clipL14Scores
        faceBoxValues = faceBoxes
        sha256Values = sha256s
        embeddingValues = embeddings
    }

    /// The number of rows.
    public var count: Int { rows.count }

    /// Whether the batch holds `column`.
    ///
    /// - Parameter column: A pool column.
    public func contains(_ column: PoolColumn) -> Bool { columns.contains(column) }

    private func required<T>(_ value: T?, _ column: PoolColumn) -> T {
        guard let value else {
            preconditionFailure("the batch does not hold column '\(column.dataCompName)'; declare .\(column.rawValue) in the columns passed to the reader")
        }
        return value
    }

    /// The sample identifiers (column `uid`).
    public var uids: [SampleID] { required(uidValues, .uid) }
    /// The captions (column `text`); null captions read as empty strings.
    public var texts: PoolStrings { required(textValues, .text) }
    /// The image URLs (column `url`); null URLs read as empty strings.
    public var urls: PoolStrings { required(urlValues, .url) }
    /// The original image widths in pixels (column `original_width`); nulls read as 0.
    public var originalWidths: [Int] { required(widthValues, .originalWidth) }
    /// The original image heights in pixels (column `original_height`); nulls read as 0.
    public var originalHeights: [Int] { required(heightValues, .originalHeight) }
    /// The ViT-B/32 CLIP scores (column `clip_b32_similarity_score`); nulls read as NaN.
    public var clipB32Scores: [Float] { required(b32Values, .clipB32Score) }
    /// The ViT-L/14 CLIP scores (column `clip_l14_similarity_score`); nulls read as NaN.
    public var clipL14Scores: [Float] { required(l14Values, .clipL14Score) }
    /// The face boxes (column `face_bboxes`).
    public var faceBoxes: PoolFaceBoxes { required(faceBoxValues, .faceBoxes) }
    /// The image digests as 64 hex digits (column `sha256`); nulls read as empty strings.
    public var sha256s: PoolStrings { required(sha256Values, .sha256) }

    /// The feature matrix of an embedding column, `[count, dimensions]`.
    ///
    /// - Parameter column: One of ``PoolColumn/embeddingColumns``, declared for this batch.
    /// - Returns: The rows of this batch, memory-mapped when the `.npz` stores them uncompressed.
    public func embeddings(_ column: PoolColumn) -> PoolEmbeddings {
        required(embeddingValues[column], column)
    }
}
