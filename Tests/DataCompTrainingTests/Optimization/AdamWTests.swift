import Foundation
import Testing
import _DataCompTestSupport

@testable import DataCompTraining

/// Five training steps against OpenCLIP's own loop (`train_one_epoch`, fp32, CPU) on
/// `Tests/Fixtures/clip/vit-gelu` (`trajectory.json`, `trajectory_final.safetensors`): the same
/// batch every step, AdamW (lr 1e-3, weight decay 0.1, betas 0.9/0.98, eps 1e-6) with OpenCLIP's
/// parameter groups, `cosine_lr` with 2 warmup steps over 5, `logit_scale` clamped after each step.
@Suite struct AdamWTests {
    @Test("losses and learning rates of every step and the final weights follow OpenCLIP's trajectory")
    func trajectory() throws {
        let (model, pixels, tokens) = try CLIPModelTests.load("vit-gelu")
        let reference = try JSONValue(
            parsing: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("clip/vit-gelu/trajectory.json"))))
        let steps = try #require(reference["steps"]?.arrayValue)
        var parameters = model.parameters
        var optimizer = AdamW(weightDecay: 0.1, betas: (0.9, 0.98), epsilon: 1e-6)
        let schedule = CosineSchedule(baseLearningRate: 1e-3, warmupSteps: 2, totalSteps: 5)
        var worstLoss = 0.0
        for (step, expected) in steps.enumerated() {
            let lr = schedule.learningRate(at: step)
            #expect(abs(lr - (expected["lr"]?.doubleValue ?? .nan)) <= 1e-12, "lr at step \(step)")
            let current = try CLIPModel(configuration: model.configuration, parameters: parameters)
            let result = try current.lossAndGradients(pixels: pixels, tokens: tokens)
            let loss = try #require(expected["loss"]?.doubleValue)
            let relative = abs(Double(result.loss) - loss) / loss
            worstLoss = max(worstLoss, relative)
            #expect(relative <= 1e-5, "loss at step \(step): \(result.loss) vs \(loss)")
            try optimizer.step(&parameters, gradients: result, learningRate: lr)
            parameters.clampLogitScale()
            let scale = try #require(expected["logit_scale_after_clamp"]?.doubleValue)
            #expect(abs(Double(parameters["logit_scale"]?.scalars[0] ?? 0) - scale) <= 1e-6)
        }
        let final = try SafetensorsFile(path: Fixtures.path("clip/vit-gelu/trajectory_final.safetensors"))
        var worstWeight = 0.0
        for name in parameters.names where parameters.counters[name] == nil {
            let ours = try #require(parameters[name]).scalars
            let theirs = try final.tensor(named: name).scalars
            for (index, (a, b)) in zip(ours, theirs).enumerated() {
                let isKeyBias =
                    name.hasSuffix("attn.in_proj_bias") && (ours.count / 3..<2 * ours.count / 3).contains(index)
                // The key biases have a true gradient of 0: AdamW moves them by rounding noise (up to ~1e-4).
                let tolerance: Float = isKeyBias ? 5e-4 : 1e-5
                worstWeight = max(worstWeight, isKeyBias ? 0 : Double(abs(a - b)))
                #expect(abs(a - b) <= tolerance, "\(name)[\(index)]: \(a) vs \(b)")
            }
        }
        print("trajectory: largest relative loss difference \(worstLoss), largest weight difference \(worstWeight)")
    }

    @Test("OpenCLIP's weight-decay groups: no decay for ndim < 2 and for bn, ln, bias, logit_scale names")
    func groups() throws {
        let b32 = try CLIPConfiguration.named("ViT-B-32")
        let shapes = CLIPParameters.expectedShapes(for: b32)
        let decayed = shapes.filter { AdamW.isDecayed($0.name, rank: $0.shape.count) }
        #expect(decayed.count == 102)
        #expect(decayed.map { $0.shape.reduce(1, *) }.reduce(0, +) == 151_072_768)
        #expect(shapes.count - decayed.count == 200)
        #expect(
            AdamW.isDecayed("token_embedding.weight", rank: 2) && !AdamW.isDecayed("visual.class_embedding", rank: 1))
    }

    @Test("the cosine schedule warms up linearly from step 0 and decays to 0")
    func schedule() {
        let schedule = CosineSchedule(baseLearningRate: 5e-4, warmupSteps: 500, totalSteps: 3140)
        #expect(schedule.learningRate(at: 0) == 5e-4 / 500)
        #expect(schedule.learningRate(at: 499) == 5e-4)
        #expect(abs(schedule.learningRate(at: 500) - 5e-4) < 1e-18)
        #expect(schedule.learningRate(at: 3140) < 1e-12)
    }

    /// The batches of `Scripts/fixtures/trajectory_fixtures.py`: a 64-bit LCG, pixels
    /// `Float((k mod 2001 − 1000) / 500)`, token rows `SOT, ids…, EOT, 0…`.
    struct TrajectoryBatches {
        var state: UInt64

        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }

        mutating func batch(count: Int, size: Int, context: Int, vocabulary: Int) -> (Tensor, TokenBatch) {
            let pixels = (0..<(count * 3 * size * size)).map { _ in Float(Double(Int(next() % 2001) - 1000) / 500) }
            var ids = [Int64](repeating: 0, count: count * context)
            for row in 0..<count {
                let length = Int(next() % UInt64(context - 1))
                ids[row * context] = Int64(vocabulary - 2)
                for position in 0..<length {
                    ids[row * context + 1 + position] = Int64(1 + next() % UInt64(vocabulary - 3))
                }
                ids[row * context + 1 + length] = Int64(vocabulary - 1)
            }
            return (
                Tensor(shape: [count, 3, size, size], scalars: pixels), TokenBatch(ids: ids, contextLength: context)
            )
        }
    }

    /// Runs a recorded OpenCLIP trajectory (`Tests/Fixtures/clip/trajectories`) with our step and
    /// returns the largest relative loss difference.
    static func replay(_ file: String) throws -> (worst: Double, parameters: CLIPParameters, reference: JSONValue) {
        let reference = try JSONValue(
            parsing: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("clip/trajectories/\(file)"))))
        let name = try #require(reference["model"]?.stringValue)
        let (model, _, _) = try CLIPModelTests.load(name)
        let configuration = model.configuration
        let steps = try #require(reference["steps"]?.intValue)
        let batchSize = try #require(reference["batch_size"]?.intValue)
        let accumulation = try #require(reference["accum_freq"]?.intValue)
        var batches = TrajectoryBatches(state: UInt64(try #require(reference["seed"]?.intValue)))
        var parameters = model.parameters
        var optimizer = AdamW(weightDecay: 0.1, betas: (0.9, 0.98), epsilon: 1e-6)
        let schedule = CosineSchedule(baseLearningRate: 1e-3, warmupSteps: 3, totalSteps: steps)
        var worst = 0.0
        for (step, expected) in (reference["trajectory"]?.arrayValue ?? []).enumerated() {
            let lr = schedule.learningRate(at: step)
            #expect(abs(lr - (expected["lr"]?.doubleValue ?? .nan)) <= 1e-12, "lr at step \(step)")
            let microBatches = (0..<accumulation).map { _ in
                batches.batch(
                    count: batchSize, size: configuration.vision.imageSize, context: configuration.text.contextLength,
                    vocabulary: configuration.text.vocabularySize)
            }
            let current = try CLIPModel(configuration: configuration, parameters: parameters)
            let result = try current.lossAndGradients(microBatches: microBatches)
            let loss = try #require(expected["loss"]?.doubleValue)
            let relative = abs(Double(result.loss) - loss) / loss
            worst = max(worst, relative)
            #expect(relative <= 1e-3, "\(file) loss at step \(step): \(result.loss) vs \(loss)")
            try optimizer.step(&parameters, gradients: result, learningRate: lr)
            parameters.clampLogitScale()
            parameters.applyRunningStatistics(result.runningStatistics, passes: result.runningStatisticsPasses)
        }
        return (worst, parameters, reference)
    }

    @Test(
        "20 steps on new batches follow OpenCLIP's losses within 1e-3 relative (small ViT, small ModifiedResNet)",
        arguments: ["vit-gelu-20.json", "rn-tiny-20.json"])
    func twentySteps(file: String) throws {
        let (worst, parameters, reference) = try Self.replay(file)
        print("\(file): largest relative loss difference over 20 steps \(worst)")
        try Self.checkBuffers(parameters, reference)
    }

    @Test("accumulation: 2 micro-batches per step contrasted together, BatchNorm statistics folded twice, as OpenCLIP")
    func accumulation() throws {
        let (worst, parameters, reference) = try Self.replay("rn-tiny-accum2.json")
        print("rn-tiny-accum2.json: largest relative loss difference \(worst)")
        try Self.checkBuffers(parameters, reference)
    }

    /// BatchNorm running statistics and counters after the run equal OpenCLIP's.
    static func checkBuffers(_ parameters: CLIPParameters, _ reference: JSONValue) throws {
        guard case .object(let buffers)? = reference["buffers_after"] else { return }
        for (name, values) in buffers {
            let expected = values.arrayValue?.compactMap(\.doubleValue) ?? []
            if name.hasSuffix("num_batches_tracked") {
                #expect(parameters.counters[name] == Int64(expected.first ?? -1), "\(name)")
                continue
            }
            let ours = try #require(parameters[name]).scalars
            #expect(ours.count == expected.count)
            let difference = zip(ours, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? 0
            #expect(difference <= 1e-3, "\(name): \(difference)")
        }
    }
}
