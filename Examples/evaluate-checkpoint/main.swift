// Evaluates a CLIP checkpoint zero-shot on the DataComp eval sets present in a folder, prints each
// task's main metric with its 95% bootstrap interval, and DataComp's averages.
//
// Usage: evaluate-checkpoint EVALSETS_DIR OUTPUT_DIR [MODEL_CONFIG CHECKPOINT.safetensors]
// Without a checkpoint, a freshly initialised mini-ViT is evaluated (chance-level numbers).

import DataComp
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 || arguments.count == 5 else {
    FileHandle.standardError.write(
        Data("usage: evaluate-checkpoint EVALSETS_DIR OUTPUT_DIR [MODEL_CONFIG CHECKPOINT.safetensors]\n".utf8))
    exit(2)
}

do {
    // The model: OpenCLIP's config and weights, or a fresh mini-ViT.
    let configuration =
        arguments.count == 5
        ? try CLIPConfiguration(contentsOfFile: arguments[3]) : try CLIPConfiguration.named("mini-ViT")
    let parameters =
        arguments.count == 5
        ? try CLIPParameters(contentsOfFile: arguments[4], configuration: configuration)
        : try CLIPParameters(initializingFor: configuration, seed: 0)
    let tokenizer = try CLIPTokenizer(resolver: AssetResolver.commandLine())
    let model = try CLIPModel(configuration: configuration, parameters: parameters, tokenizer: tokenizer)

    // Every scored DataComp task whose eval set is in the folder, appended to eval_results.jsonl.
    let suite = EvaluationSuite(dataDirectory: arguments[1])
    let tasks = EvaluationTask.scored.filter(suite.isPresent)
    let outcomes = try await suite.run(
        tasks: tasks, encoder: model, outputDirectory: arguments[2], options: EvaluationOptions(bootstrapResamples: 200)
    )
    for outcome in outcomes {
        let value = outcome.mainMetric.map { AggregateScores.format($0) } ?? "-"
        let interval = outcome.interval.map { " ± " + AggregateScores.format($0.halfWidth) } ?? ""
        print("\(outcome.task.name): \(outcome.task.mainMetric ?? "") \(value)\(interval)")
    }
    let results = try EvaluationResultsFile(path: arguments[2] + "/eval_results.jsonl")
    print(AggregateScores(file: results).report())
} catch {
    FileHandle.standardError.write(Data("evaluate-checkpoint: \(error)\n".utf8))
    exit(1)
}
