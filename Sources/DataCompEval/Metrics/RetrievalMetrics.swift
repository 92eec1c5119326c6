/// Zero-shot image-text retrieval, as clip_benchmark 1.4's `zeroshot_retrieval.evaluate`
/// scores it: cosine similarities of L2-normalised embeddings, no scaling.
///
/// - `image_retrieval_recall@k` (text → image): the fraction of captions whose own image is
///   among their `k` most similar images (`torch.topk`), over all captions.
/// - `text_retrieval_recall@k` (image → text): the fraction of images with at least one of
///   their own captions among their `k` most similar captions, over all images.
///
/// Equal similarities are ordered as `torch.topk` orders them on the CPU (``Ranking``). The
/// similarity matrix is never held whole: it is computed in blocks of rows, so MSCOCO's
/// 25,000 × 5,000 scores need a few megabytes.
public struct RetrievalMetrics: Sendable, Hashable {
    /// The cut-offs computed, DataComp's 1, 5 and 10.
    public static let cutoffs = [1, 5, 10]

    /// Per cut-off, per caption: whether its image is in its top `k` images.
    public var imageHits: [Int: [Bool]]
    /// Per cut-off, per image: whether one of its captions is in its top `k` captions (always
    /// false for an image without captions, as clip_benchmark's 0/0).
    public var captionHits: [Int: [Bool]]
    /// Per caption, the index of its image.
    public var captionImages: [Int]

    /// Retrieves every caption's images and every image's captions.
    ///
    /// - Parameters:
    ///   - imageEmbeddings: `[images, dimension]` L2-normalised image embeddings.
    ///   - textEmbeddings: `[captions, dimension]` L2-normalised caption embeddings.
    ///   - captionImages: Per caption, the index of its image.
    ///   - blockRows: How many rows of similarities are computed at once.
    /// - Throws: `DataCompError` when the shapes disagree or an image index is out of range.
    public init(imageEmbeddings: Tensor, textEmbeddings: Tensor, captionImages: [Int], blockRows: Int = 512) throws {
        guard imageEmbeddings.rank == 2, textEmbeddings.rank == 2, imageEmbeddings.shape[1] == textEmbeddings.shape[1]
        else {
            throw DataCompError(
                .shapeMismatch,
                "image embeddings \(imageEmbeddings.shape) and text embeddings \(textEmbeddings.shape) must be [count, dimension] with the same dimension"
            )
        }
        let (images, captions) = (imageEmbeddings.shape[0], textEmbeddings.shape[0])
        guard captionImages.count == captions else {
            throw DataCompError(
                .rowCountMismatch, "\(captions) caption embeddings but \(captionImages.count) caption-to-image indices")
        }
        if let bad = captionImages.first(where: { $0 < 0 || $0 >= images }) {
            throw DataCompError(.invalidArgument, "a caption belongs to image \(bad), but there are \(images) images")
        }
        self.captionImages = captionImages
        var captionsOfImage = [Set<Int>](repeating: [], count: images)
        for (caption, image) in captionImages.enumerated() { captionsOfImage[image].insert(caption) }
        imageHits = Self.hits(queries: textEmbeddings, gallery: imageEmbeddings, blockRows: blockRows) { query, found in
            found == captionImages[query]
        }
        captionHits = Self.hits(queries: imageEmbeddings, gallery: textEmbeddings, blockRows: blockRows) {
            query, found in
            captionsOfImage[query].contains(found)
        }
    }

    /// For every query row and cut-off, whether a positive is among the top `k` of the gallery.
    private static func hits(
        queries: Tensor, gallery: Tensor, blockRows: Int, isPositive: (Int, Int) -> Bool
    ) -> [Int: [Bool]] {
        let (count, columns) = (queries.shape[0], gallery.shape[0])
        var hits = [Int: [Bool]]()
        for k in cutoffs { hits[k] = [Bool](repeating: false, count: count) }
        let block = max(1, blockRows)
        for start in stride(from: 0, to: count, by: block) {
            let end = min(start + block, count)
            let scores = Tensor.matmul(queries.rows(start..<end), gallery, transposeB: true)
            for k in cutoffs {
                // clip_benchmark calls torch.topk once per cut-off; the order among ties can
                // differ between calls, so each cut-off gets its own selection.
                let top = scores.withUnsafeBufferPointer {
                    TorchTopK.indices($0, rows: end - start, columns: columns, k: k)
                }
                for (row, indices) in top.enumerated() where indices.contains(where: { isPositive(start + row, $0) }) {
                    hits[k, default: []][start + row] = true
                }
            }
        }
        return hits
    }

    /// `image_retrieval_recall@k`: the fraction of captions whose image is in their top `k`.
    ///
    /// - Parameter k: 1, 5 or 10.
    /// - Returns: A float32 mean, as clip_benchmark computes it; NaN for another cut-off.
    public func imageRetrievalRecall(at k: Int) -> Double {
        guard let hits = imageHits[k] else { return .nan }
        return GroupedAccuracy.mean(hits.lazy.filter { $0 }.count, hits.count)
    }

    /// `text_retrieval_recall@k`: the fraction of images with an own caption in their top `k`.
    ///
    /// - Parameter k: 1, 5 or 10.
    /// - Returns: A float32 mean, as clip_benchmark computes it; NaN for another cut-off.
    public func textRetrievalRecall(at k: Int) -> Double {
        guard let hits = captionHits[k] else { return .nan }
        return GroupedAccuracy.mean(hits.lazy.filter { $0 }.count, hits.count)
    }

    /// DataComp's retrieval metrics: both recalls at 1, 5 and 10 (in clip_benchmark's order) and
    /// `mean_recall@1`.
    public var metrics: EvaluationMetrics {
        var metrics = EvaluationMetrics()
        for k in Self.cutoffs {
            metrics["image_retrieval_recall@\(k)"] = imageRetrievalRecall(at: k)
            metrics["text_retrieval_recall@\(k)"] = textRetrievalRecall(at: k)
        }
        metrics["mean_recall@1"] = 0.5 * (textRetrievalRecall(at: 1) + imageRetrievalRecall(at: 1))
        return metrics
    }
}
