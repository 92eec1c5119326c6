extension ParquetTable {
    /// A table with the nine columns of a DataComp metadata file (``PoolColumn/dataCompMetadata``), typed
    /// and nullable as pyarrow writes them from pandas.
    ///
    /// - Parameters:
    ///   - uids: 32-character hexadecimal sample ids.
    ///   - urls: Image URLs.
    ///   - texts: Captions.
    ///   - originalWidths: Widths of the originally downloaded images.
    ///   - originalHeights: Heights of the originally downloaded images.
    ///   - clipB32SimilarityScores: OpenAI CLIP ViT-B/32 image–text cosine similarities.
    ///   - clipL14SimilarityScores: OpenAI CLIP ViT-L/14 image–text cosine similarities.
    ///   - faceBoundingBoxes: Per sample, face boxes `[x0, y0, x1, y1]` as fractions.
    ///   - sha256s: 64-character hexadecimal SHA-256 digests of the original image bytes.
    /// - Returns: The table; all arrays must have the same length.
    public static func dataCompMetadata(
        uids: [String], urls: [String], texts: [String], originalWidths: [Int64], originalHeights: [Int64],
        clipB32SimilarityScores: [Float], clipL14SimilarityScores: [Float], faceBoundingBoxes: [[[Double]]],
        sha256s: [String]
    ) -> ParquetTable {
        ParquetTable(
            rowCount: uids.count,
            columns: [
                .strings("uid", uids), .strings("url", urls), .strings("text", texts),
                .int64("original_width", originalWidths), .int64("original_height", originalHeights),
                .float("clip_b32_similarity_score", clipB32SimilarityScores),
                .float("clip_l14_similarity_score", clipL14SimilarityScores),
                .doubleListLists("face_bboxes", faceBoundingBoxes), .strings("sha256", sha256s),
            ])
    }
}
