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
}
