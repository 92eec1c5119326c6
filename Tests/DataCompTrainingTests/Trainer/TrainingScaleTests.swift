import DataCompCore
import Testing

@testable import DataCompTraining

/// DataComp's scales as `scale_configs.py` fixes them, with OpenCLIP's step rounding.
@Suite struct TrainingScaleTests {
    /// Steps per epoch, total steps and samples seen with DataComp's defaults (5 checkpoints, 4
    /// workers), as datacomp.md §5.3 tabulates them from OpenCLIP's
    /// `ceil(ceil(N / batch) / workers) · workers`.
    @Test(
        "DataComp's five scales: model, batch, lr, warmup, samples and steps as scale_configs.py and OpenCLIP give them",
        arguments: [
            ("debug", "ViT-B-32", 1024, 1e-4, 500, 28, 140, 143_360),
            ("small", "ViT-B-32", 4096, 5e-4, 500, 628, 3140, 12_861_440),
            ("medium", "ViT-B-32", 4096, 5e-4, 500, 6252, 31260, 128_040_960),
            ("large", "ViT-B-16", 8192, 5e-4, 500, 31252, 156_260, 1_280_081_920),
            ("xlarge", "ViT-L-14", 90112, 1e-3, 10000, 28412, 142_060, 12_801_310_720),
        ])
    func dataCompScales(
        name: String, model: String, batch: Int, lr: Double, warmup: Int, perEpoch: Int, total: Int, samples: Int
    ) throws {
        let scale = try TrainingScale.named(name)
        #expect(scale.model == model)
        #expect(scale.batchSize == batch)
        #expect(scale.learningRate == lr)
        #expect(scale.warmupSteps == warmup)
        let plan = scale.steps()
        #expect(plan.perEpoch == perEpoch)
        #expect(plan.total == total)
        #expect(plan.samples == samples)
        #expect(scale.beta2 == (name == "xlarge" ? 0.95 : nil))
    }

    @Test("with SLURM's 8 checkpoints the totals are datacomp.md's 3,136 / 31,264 / 156,256 / 142,048")
    func eightCheckpoints() throws {
        #expect(TrainingScale.small.steps(checkpoints: 8).total == 3136)
        #expect(TrainingScale.medium.steps(checkpoints: 8).total == 31264)
        #expect(TrainingScale.large.steps(checkpoints: 8).total == 156_256)
        #expect(TrainingScale.xlarge.steps(checkpoints: 8).total == 142_048)
    }

    @Test("the CPU scales: mini is the miniature benchmark's 468 steps of 128 with 10% warmup")
    func cpuScales() throws {
        let mini = try TrainingScale.named("mini")
        let plan = mini.steps()
        #expect(plan.total == 468)
        #expect(plan.warmup == 46)
        let configuration = try CLIPConfiguration.named(mini.model)
        let training = mini.trainingConfiguration(for: configuration, seed: 3)
        #expect(training.steps == 468 && training.warmupSteps == 46 && training.batchSize == 128)
        #expect(training.learningRate == 2e-3 && training.weightDecay == 0.1)
        #expect(training.beta2 == 0.98 && training.epsilon == 1e-6 && !training.augments)
        #expect(TrainingScale.miniTeacher.steps().total == 781)
    }

    @Test("the xlarge configuration keeps OpenCLIP's ViT defaults except β₂ = 0.95")
    func xlargeBetas() throws {
        let training = TrainingScale.xlarge.trainingConfiguration(for: try CLIPConfiguration.named("ViT-L-14"))
        #expect(training.beta1 == 0.9 && training.beta2 == 0.95 && training.epsilon == 1e-6)
        #expect(training.weightDecay == 0.2 && training.augments)
    }

    @Test("an unknown scale is a DataCompError listing the names")
    func unknown() {
        let error = #expect(throws: DataCompError.self) { try TrainingScale.named("huge") }
        #expect(error?.message.contains("xlarge") == true)
    }
}
