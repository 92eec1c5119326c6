import Foundation

/// Zero-shot image-text retrieval on a retrieval set (images with their captions, from a
/// webdataset folder or DataComp's Hugging Face cache),
/// as DataComp's `retr_eval.py` runs clip_benchmark's `zeroshot_retrieval.evaluate`: both
/// recalls at 1, 5 and 10 and `mean_recall@1`.
///
/// The confidence interval resamples images with their captions and reuses each query's rank
/// (each query's hit is not recomputed against the resampled gallery).
public struct ZeroShotRetrievalEvaluator: Evaluator {
    /// The task.
    public let task: EvaluationTask
    /// The webdataset eval set (`dataset_type.txt` = `retrieval`), or `nil` when the samples
    /// were given (read from a Hugging Face cache, ``HuggingFaceEvalSet``).
    public let evaluationSet: EvaluationSet?
    private let givenSamples: [EvaluationSample]?

    /// Creates the evaluator of a retrieval task stored as a webdataset.
    ///
    /// - Parameters:
    ///   - task: The task.
    ///   - evaluationSet: Its eval set.
    public init(task: EvaluationTask, evaluationSet: EvaluationSet) {
        self.task = task
        self.evaluationSet = evaluationSet
        self.givenSamples = nil
    }

    /// Creates the evaluator of a retrieval task from its samples (images with their captions).
    ///
    /// - Parameters:
    ///   - task: The task.
    ///   - samples: The samples, each with `captions`.
    public init(task: EvaluationTask, samples: [EvaluationSample]) {
        self.task = task
        self.evaluationSet = nil
        self.givenSamples = samples
    }

    /// Encodes the task's images and texts and computes its metrics.
    ///
    /// - Parameters:
    ///   - encoder: The model.
    ///   - options: Batch size, parallelism, progress and bootstrap.
    /// - Returns: The metrics (with `main_metric`), the interval and timings.
    /// - Throws: `DataCompError` for unreadable data or a failing encoder.
    public func evaluate(encoder: any ImageTextEncoder, options: EvaluationOptions) async throws -> TaskEvaluation {
        let start = Date()
        let samples = try givenSamples ?? evaluationSet?.samples() ?? []
        let progress = ProgressTracker(
            label: task.name, total: samples.count, unit: "images", reporter: options.progress)
        let images = try await Embedding.embed(
            samples.map(\.image), names: samples.map { "\($0.shard) sample \($0.key)" }, encoder: encoder,
            options: options,
            progress: progress)
        var captions: [String] = []
        var captionImages: [Int] = []
        for (index, sample) in samples.enumerated() {
            for caption in sample.captions ?? [] {
                captions.append(caption)
                captionImages.append(index)
            }
        }
        let texts = try Embedding.embedTexts(captions, encoder: encoder, batchSize: max(options.batchSize, 256))
        progress.finish()
        let retrieval = try RetrievalMetrics(
            imageEmbeddings: images.rowNormalized(), textEmbeddings: texts.rowNormalized(), captionImages: captionImages
        )
        var metrics = retrieval.metrics
        metrics["main_metric"] = task.mainMetric.flatMap { metrics[$0] } ?? nil

        var captionsOfImage = [[Int]](repeating: [], count: samples.count)
        for (caption, image) in captionImages.enumerated() { captionsOfImage[image].append(caption) }
        let interval = ConfidenceInterval.bootstrap(
            count: samples.count, resamples: task.mainMetric == "mean_recall@1" ? options.bootstrapResamples : 0,
            seed: options.bootstrapSeed
        ) { indices in
            let textAtOne = retrieval.captionHits[1] ?? []
            let imageAtOne = retrieval.imageHits[1] ?? []
            var textHits = 0
            var imageHits = 0
            var queries = 0
            for image in indices {
                if textAtOne[image] { textHits += 1 }
                for caption in captionsOfImage[image] {
                    queries += 1
                    if imageAtOne[caption] { imageHits += 1 }
                }
            }
            return 0.5
                * (Double(textHits) / Double(indices.count) + (queries > 0 ? Double(imageHits) / Double(queries) : 0))
        }
        return TaskEvaluation(
            task: task, metrics: metrics, interval: interval, sampleCount: samples.count,
            seconds: Date().timeIntervalSince(start))
    }
}
