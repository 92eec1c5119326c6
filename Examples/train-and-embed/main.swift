// Trains a small CLIP (the miniature benchmark's width-16 ModifiedResNet) for a few steps on a
// folder of webdataset shards with the native CPU trainer, then scores the same shards with the
// trained model and writes them as a DataComp pool (parquet with the CLIP score + float16 npz
// features): the first half of a DFN-style filter (train a scorer, score the pool).
//
// Usage: train-and-embed SHARDS_DIR OUTPUT_DIR [STEPS]

import DataComp
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 4, arguments.count == 3 || Int(arguments[3]) != nil else {
    FileHandle.standardError.write(Data("usage: train-and-embed SHARDS_DIR OUTPUT_DIR [STEPS]\n".utf8))
    exit(2)
}

do {
    let (shards, output) = (arguments[1], arguments[2])
    // The CPU scale of the miniature benchmark, cut to a few steps with a smaller batch.
    let scale = TrainingScale.mini
    let configuration = try CLIPConfiguration.named(scale.model)
    var training = scale.trainingConfiguration(for: configuration, seed: 0)
    training.steps = arguments.count == 4 ? Int(arguments[3]) ?? 3 : 3
    training.batchSize = 8
    training.warmupSteps = 1
    training.checkpointInterval = training.steps
    let tokenizer = try CLIPTokenizer(resolver: AssetResolver.commandLine())
    let trainer = CPUTrainer(
        configuration: configuration, initialParameters: try CLIPParameters(initializingFor: configuration, seed: 0),
        tokenizer: tokenizer, training: training)
    let summary = try await trainer.train(
        dataDirectories: [shards], outputDirectory: output + "/run", resume: false, progress: SilentProgressReporter())
    for (step, loss) in summary.losses.enumerated() { print("step \(step): loss \(loss)") }

    // Score the shards with the trained model and write them as a DataComp pool.
    let parameters = try CLIPParameters(contentsOfFile: summary.checkpointPath, configuration: configuration)
    let model = try CLIPModel(configuration: configuration, parameters: parameters, tokenizer: tokenizer)
    let embedder = PoolEmbedder(encoder: model, batchSize: 16)
    let files = try TrainingShards(dataDirectories: [shards]).paths
    let counts = try await embedder.writePool(shards: files, to: output + "/pool", featureKey: "mini")
    let pool = try CandidatePool(metadataDirectory: output + "/pool")
    var scores: [Float] = []
    try pool.forEachBatch(columns: [.metadata("clip_mini_similarity_score", .float)]) { batch in
        scores += batch.floats(.metadata("clip_mini_similarity_score", .float))
    }
    print(
        "pool: \(counts.written) samples in \(pool.shards.count) shards, mean CLIP score \(scores.reduce(0, +) / Float(max(scores.count, 1)))"
    )
} catch {
    FileHandle.standardError.write(Data("train-and-embed: \(error)\n".utf8))
    exit(1)
}
