/// A column of a DataComp candidate pool: one of the nine Parquet metadata columns
/// (`datacomp.md` §1.3) or one of the five NPZ feature arrays (§1.4).
///
/// A reader decodes only the columns it is asked for, so declare exactly what a computation
/// needs:
///
/// ```swift
/// let columns: Set<PoolColumn> = [.uid, .clipL14Score]   // never opens the .npz files
/// ```
public enum PoolColumn: String, CaseIterable, Sendable, Hashable, Comparable {
    /// `uid`: the 128-bit sample identifier, 32 hex digits.
    case uid
    /// `text`: the alt-text caption.
    case text
    /// `url`: the image URL.
    case url
    /// `original_width`: the width of the originally downloaded image, in pixels.
    case originalWidth
    /// `original_height`: the height of the originally downloaded image, in pixels.
    case originalHeight
    /// `clip_b32_similarity_score`: OpenAI CLIP ViT-B/32 image–text cosine similarity.
    case clipB32Score
    /// `clip_l14_similarity_score`: OpenAI CLIP ViT-L/14 image–text cosine similarity.
    case clipL14Score
    /// `face_bboxes`: detected faces, `[x0, y0, x1, y1]` as fractions of the image size.
    case faceBoxes
    /// `sha256`: SHA-256 of the originally downloaded image bytes, 64 hex digits.
    case sha256
    /// NPZ array `b32_img`: ViT-B/32 image features, `[N, 512]`.
    case b32Image
    /// NPZ array `b32_txt`: ViT-B/32 text features, `[N, 512]`.
    case b32Text
    /// NPZ array `l14_img`: ViT-L/14 image features, `[N, 768]`.
    case l14Image
    /// NPZ array `l14_txt`: ViT-L/14 text features, `[N, 768]`.
    case l14Text
    /// NPZ array `dedup`: the copy-detection descriptor used for de-duplication.
    case dedup

    /// The Parquet column name, or `nil` for an embedding array.
    public var parquetName: String? {
        switch self {
        case .uid: "uid"
        case .text: "text"
        case .url: "url"
        case .originalWidth: "original_width"
        case .originalHeight: "original_height"
        case .clipB32Score: "clip_b32_similarity_score"
        case .clipL14Score: "clip_l14_similarity_score"
        case .faceBoxes: "face_bboxes"
        case .sha256: "sha256"
        default: nil
        }
    }

    /// The NPZ array key, or `nil` for a Parquet column.
    public var npzKey: String? {
        switch self {
        case .b32Image: "b32_img"
        case .b32Text: "b32_txt"
        case .l14Image: "l14_img"
        case .l14Text: "l14_txt"
        case .dedup: "dedup"
        default: nil
        }
    }

    /// Whether the column is an embedding array stored in the `.npz` file.
    public var isEmbedding: Bool { npzKey != nil }

    /// The name DataComp uses: the Parquet column name or the NPZ array key.
    public var dataCompName: String { parquetName ?? npzKey ?? rawValue }

    /// The nine Parquet metadata columns.
    public static let metadataColumns: Set<PoolColumn> = Set(allCases.filter { !$0.isEmbedding })

    /// The five NPZ embedding arrays.
    public static let embeddingColumns: Set<PoolColumn> = Set(allCases.filter(\.isEmbedding))

    /// Orders columns in declaration order (Parquet columns first, then the NPZ arrays).
    public static func < (lhs: PoolColumn, rhs: PoolColumn) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}
