/// A column a pool computation reads: its name, where it lives and what its values are.
///
/// The nine Parquet columns of DataComp's metadata and the five `.npz` feature arrays are
/// static members (``uid``, ``text``, ``clipL14Score``, ``l14Image``, …). Any other column is
/// declared the same way, so that extra metadata, sidecar score files and values computed on the
/// fly flow through the same ``PoolBatch``:
///
/// ```swift
/// let aesthetic = PoolColumn.metadata("aesthetic_score", .float)              // an extra Parquet column
/// let dfn = PoolColumn.sidecar("dfn_score", in: "scores/dfn", .float)          // scores/dfn/<stem>.parquet
/// let language = PoolColumn.derived("language", .string)                      // added with PoolBatch.adding
/// try pool.forEachBatch(columns: [.uid, aesthetic, dfn]) { batch in
///     let scores = batch.floats(dfn)                                          // one per row
///     let tagged = batch.adding(language, .strings(StringColumn(Array(repeating: "en", count: batch.count))))
///     print(scores.count, tagged.columns.contains(language))
/// }
/// ```
///
/// A reader decodes only the columns it is asked for: declare exactly what a computation needs.
public struct PoolColumn: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Where a column's values come from.
    public enum Source: Sendable, Hashable {
        /// A column of the shard's own `.parquet` metadata file.
        case metadata
        /// An array of the shard's paired `.npz` feature file.
        case features
        /// A column of `<directory>/<stem>.parquet`, a file with a `uid` column and the shard's
        /// rows in the same order (as `datacomp embed` writes scores): a score computed once and
        /// filtered on many times.
        case sidecar(directory: String)
        /// Values computed in memory and attached with ``PoolBatch/adding(_:_:validity:)``; readers never
        /// produce them.
        case derived
    }

    /// The type of a column's values, which fixes how a batch stores them (``PoolColumnValues``).
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        /// 32-hex-digit sample identifiers, stored as ``SampleID``s.
        case identifier
        /// Byte strings (UTF-8 text), stored as a ``StringColumn``; nulls read as empty strings.
        case string
        /// Integers (Parquet INT32/INT64, or whole-valued doubles as pandas writes nullable
        /// integers), stored as `Int`; nulls read as 0.
        case integer
        /// Single-precision numbers (Parquet FLOAT, DOUBLE rounded, or integers), stored as
        /// `Float`; nulls read as NaN.
        case float
        /// Double-precision numbers (Parquet DOUBLE, FLOAT widened, or integers), stored as
        /// `Double`; nulls read as NaN.
        case double
        /// Booleans (Parquet BOOLEAN), stored as `Bool`; nulls read as false.
        case boolean
        /// `list<list<double>>` face boxes, stored as ``PoolFaceBoxes``.
        case faceBoxes
        /// A two-dimensional float16 or float32 matrix, stored as ``PoolEmbeddings``.
        case embedding
    }

    /// The column name in its file: the Parquet column name or the `.npz` array key.
    public let name: String
    /// Where the values come from.
    public let source: Source
    /// The type of the values.
    public let valueType: ValueType

    /// Creates a column description.
    ///
    /// - Parameters:
    ///   - name: The Parquet column name or `.npz` array key.
    ///   - source: Where the values come from.
    ///   - valueType: The type of the values; ``ValueType/embedding`` for `.npz` arrays.
    /// - Precondition: `.npz` columns are embeddings and embeddings come from `.npz` files or
    ///   are derived.
    public init(name: String, source: Source, valueType: ValueType) {
        switch source {
        case .features: precondition(valueType == .embedding, "an .npz array column holds embeddings, not \(valueType)")
        case .metadata, .sidecar:
            precondition(valueType != .embedding, "embeddings are read from .npz arrays, not Parquet columns")
        case .derived: break
        }
        self.name = name
        self.source = source
        self.valueType = valueType
    }

    /// A column of the shard's `.parquet` metadata file.
    ///
    /// - Parameters:
    ///   - name: The Parquet column name.
    ///   - valueType: The type to read its values as.
    /// - Returns: The column.
    public static func metadata(_ name: String, _ valueType: ValueType) -> PoolColumn {
        PoolColumn(name: name, source: .metadata, valueType: valueType)
    }

    /// An array of the shard's paired `.npz` file (`[rows, dimensions]`, float16 or float32).
    ///
    /// - Parameter key: The array key, without `.npy`.
    /// - Returns: The column.
    public static func features(_ key: String) -> PoolColumn {
        PoolColumn(name: key, source: .features, valueType: .embedding)
    }

    /// A column of a sidecar Parquet file: `<directory>/<stem>.parquet` for each shard, holding a
    /// `uid` column and the shard's rows in the same order.
    ///
    /// - Parameters:
    ///   - name: The column name in the sidecar files.
    ///   - directory: The folder of sidecar files.
    ///   - valueType: The type to read its values as (``ValueType/float`` for scores).
    /// - Returns: The column.
    public static func sidecar(_ name: String, in directory: String, _ valueType: ValueType = .float) -> PoolColumn {
        PoolColumn(name: name, source: .sidecar(directory: directory), valueType: valueType)
    }

    /// A column computed in memory and attached to batches with ``PoolBatch/adding(_:_:validity:)``.
    ///
    /// - Parameters:
    ///   - name: A name for reports and errors.
    ///   - valueType: The type of its values.
    /// - Returns: The column.
    public static func derived(_ name: String, _ valueType: ValueType) -> PoolColumn {
        PoolColumn(name: name, source: .derived, valueType: valueType)
    }

    // MARK: DataComp's columns

    /// `uid`: the 128-bit sample identifier, 32 hex digits.
    public static let uid = metadata("uid", .identifier)
    /// `text`: the alt-text caption.
    public static let text = metadata("text", .string)
    /// `url`: the image URL.
    public static let url = metadata("url", .string)
    /// `original_width`: the width of the originally downloaded image, in pixels.
    public static let originalWidth = metadata("original_width", .integer)
    /// `original_height`: the height of the originally downloaded image, in pixels.
    public static let originalHeight = metadata("original_height", .integer)
    /// `clip_b32_similarity_score`: OpenAI CLIP ViT-B/32 image–text cosine similarity.
    public static let clipB32Score = metadata("clip_b32_similarity_score", .float)
    /// `clip_l14_similarity_score`: OpenAI CLIP ViT-L/14 image–text cosine similarity.
    public static let clipL14Score = metadata("clip_l14_similarity_score", .float)
    /// `face_bboxes`: detected faces, `[x0, y0, x1, y1]` as fractions of the image size.
    public static let faceBoxes = metadata("face_bboxes", .faceBoxes)
    /// `sha256`: SHA-256 of the originally downloaded image bytes, 64 hex digits.
    public static let sha256 = metadata("sha256", .string)
    /// `.npz` array `b32_img`: ViT-B/32 image features, `[N, 512]`.
    public static let b32Image = features("b32_img")
    /// `.npz` array `b32_txt`: ViT-B/32 text features, `[N, 512]`.
    public static let b32Text = features("b32_txt")
    /// `.npz` array `l14_img`: ViT-L/14 image features, `[N, 768]`.
    public static let l14Image = features("l14_img")
    /// `.npz` array `l14_txt`: ViT-L/14 text features, `[N, 768]`.
    public static let l14Text = features("l14_txt")
    /// `.npz` array `dedup`: the copy-detection descriptor used for de-duplication.
    public static let dedup = features("dedup")

    /// The nine Parquet columns of DataComp's metadata, in its file order.
    public static let dataCompMetadata: [PoolColumn] = [
        .uid, .url, .text, .originalWidth, .originalHeight, .clipB32Score, .clipL14Score, .faceBoxes, .sha256,
    ]

    /// The five `.npz` feature arrays of DataComp's metadata.
    public static let dataCompFeatures: [PoolColumn] = [.b32Image, .b32Text, .l14Image, .l14Text, .dedup]

    // MARK: Conformances

    /// Whether the column is an `.npz` array.
    public var isFeatureArray: Bool { source == .features }

    /// The column as a user reads it: its name, and the sidecar folder or `derived` when it is
    /// not in the shard's own files.
    public var description: String {
        switch source {
        case .metadata, .features: name
        case .sidecar(let directory): "\(name) (sidecar \(directory))"
        case .derived: "\(name) (derived)"
        }
    }

    /// Orders columns by source (metadata, features, sidecars, derived), then name.
    public static func < (lhs: PoolColumn, rhs: PoolColumn) -> Bool {
        func rank(_ source: Source) -> (Int, String) {
            switch source {
            case .metadata: (0, "")
            case .features: (1, "")
            case .sidecar(let directory): (2, directory)
            case .derived: (3, "")
            }
        }
        let (a, b) = (rank(lhs.source), rank(rhs.source))
        if a != b { return a < b }
        if lhs.name != rhs.name { return lhs.name < rhs.name }
        return lhs.valueType.rawValue < rhs.valueType.rawValue
    }
}
