import DataCompTraining
import Foundation
import Testing
import _DataCompTestSupport

/// `datacomp train` on a small webdataset of coloured images with captions.
@Suite struct TrainCommandTests {
    /// Shards of `count` 24×24 JPEGs whose colour its caption names.
    static func writeShards(in folder: URL, count: Int) throws -> String {
        try TrainingShardFixtures.write(in: folder, count: count)
    }

    static func arguments(data: String, output: String, steps: Int = 8, extra: [String] = []) -> [String] {
        [
            "train", "--model-config", "mini-ViT", "--data-dir", data, "--output-dir", output, "--batch-size", "16",
            "--steps", String(steps), "--warmup", "2", "--lr", "1e-3", "--seed", "7", "--checkpoint-interval", "2",
            "--num-workers", "1",
        ] + extra
    }

    static func losses(_ output: String) throws -> [Double] {
        try String(contentsOfFile: output + "/train_log.jsonl", encoding: .utf8).split(separator: "\n").map {
            try JSONValue(parsing: String($0))["loss"]?.doubleValue ?? .nan
        }
    }

    @Test("train logs every step, writes a loss curve and an OpenCLIP-named checkpoint the model loads")
    func trains() throws {
        let folder = try Fixtures.temporaryDirectory("train-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.writeShards(in: folder, count: 64)
        let output = folder.appendingPathComponent("run").path
        let run = try CommandRunner.run(Self.arguments(data: data, output: output, steps: 12))
        #expect(run.status == 0, "\(run.standardError)")
        let log = try String(contentsOfFile: output + "/train_log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(log.count == 12)
        let first = try JSONValue(parsing: String(log[0]))
        #expect(first.objectMembers?.map(\.0) == ["step", "loss", "lr", "logit_scale", "samples_per_second"])
        #expect(abs((first["lr"]?.doubleValue ?? 0) - 5e-4) < 1e-12)  // warmup: base · 1/2 at step 0
        let losses = try Self.losses(output)
        #expect(losses.suffix(3).reduce(0, +) < losses.prefix(3).reduce(0, +), "the loss falls: \(losses)")
        #expect(FileManager.default.fileExists(atPath: output + "/loss.svg"))
        let configuration = try CLIPConfiguration.named("mini-ViT")
        _ = try CLIPParameters(
            contentsOfFile: output + "/checkpoints/epoch_latest.safetensors", configuration: configuration)
    }

    @Test("a run killed with SIGKILL and resumed gives the losses of an uninterrupted run")
    func resumes() throws {
        let folder = try Fixtures.temporaryDirectory("train-resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.writeShards(in: folder, count: 48)
        let whole = folder.appendingPathComponent("whole").path
        #expect(try CommandRunner.run(Self.arguments(data: data, output: whole)).status == 0)
        let expected = try Self.losses(whole)

        let killed = folder.appendingPathComponent("killed").path
        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = Self.arguments(data: data, output: killed)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning,
            FileManager.default.fileExists(atPath: killed + "/checkpoints/state.safetensors") == false
        {
            usleep(1000)
        }
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(wasRunning, "the run ended before it could be killed")
        #expect(try Self.losses(killed).count < 8)
        let resumed = try CommandRunner.run(Self.arguments(data: data, output: killed, extra: ["--resume"]))
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let losses = try Self.losses(killed)
        #expect(losses == expected, "resumed \(losses) vs uninterrupted \(expected)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: killed + "/checkpoints/epoch_latest.safetensors"))
                == Data(contentsOf: URL(fileURLWithPath: whole + "/checkpoints/epoch_latest.safetensors")))
    }

    @Test("--scale mini sets the model and recipe; explicit flags override it; unknown scales are refused")
    func scale() throws {
        let folder = try Fixtures.temporaryDirectory("train-scale")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.writeShards(in: folder, count: 32)
        let output = folder.appendingPathComponent("run").path
        let run = try CommandRunner.run([
            "train", "--scale", "mini", "--data-dir", data, "--output-dir", output, "--steps", "2", "--batch-size", "8",
            "--num-workers", "1",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let log = try String(contentsOfFile: output + "/train_log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(log.count == 2)
        // The mini scale's lr 2e-3 and warmup of 10% of its 468 steps (46): step 0 runs at 2e-3 / 46.
        let lr = try JSONValue(parsing: String(log[0]))["lr"]?.doubleValue ?? 0
        #expect(abs(lr - 2e-3 / 46) < 1e-12)
        // The mini-RN model: its checkpoint has the ModifiedResNet stem.
        let checkpoint = try SafetensorsFile(path: output + "/checkpoints/epoch_latest.safetensors")
        #expect(checkpoint.info(named: "visual.conv1.weight") != nil)
        #expect(checkpoint.info(named: "visual.attnpool.c_proj.weight") != nil)

        let unknown = try CommandRunner.run(["train", "--scale", "huge", "--data-dir", data, "--output-dir", output])
        #expect(unknown.status != 0)
        #expect(unknown.standardError.contains("mini-teacher"))
        let neither = try CommandRunner.run(["train", "--data-dir", data, "--output-dir", output, "--steps", "2"])
        #expect(neither.status != 0)
        #expect(neither.standardError.contains("--scale"))
    }

    @Test("--backend openclip --slurm-nodes writes DataComp's sbatch script for the scale without running anything")
    func openCLIPScript() throws {
        let folder = try Fixtures.temporaryDirectory("train-openclip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.writeShards(in: folder, count: 8)
        let output = folder.appendingPathComponent("runs").path
        let run = try CommandRunner.run([
            "train", "--backend", "openclip", "--scale", "small", "--data_dir", data, "--output_dir", output,
            "--slurm-nodes", "2", "--gpus", "4", "--exp_name", "my_run", "--seed", "3",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let script = try String(contentsOfFile: output + "/my_run/train.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --nodes=2"))
        #expect(script.contains("--batch-size 512 --epochs 5 --lr 0.0005"))
        #expect(script.contains("--train-data \(data)/{00000000..00000001}.tar"))
        #expect(script.contains("--name my_run --seed 3"))
        #expect(run.standardOutput.contains("train.sbatch"))
        let noScale = try CommandRunner.run([
            "train", "--backend", "openclip", "--model-config", "mini-RN", "--data-dir", data, "--output-dir", output,
        ])
        #expect(noScale.status != 0)
        #expect(noScale.standardError.contains("--scale"))
    }

    @Test("a non-finite loss stops the run with a message and keeps the last checkpoint")
    func divergence() throws {
        let folder = try Fixtures.temporaryDirectory("train-nan")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.writeShards(in: folder, count: 32)
        let output = folder.appendingPathComponent("run").path
        // An absurd learning rate sends the weights to infinity after the first step.
        let run = try CommandRunner.run(
            Self.arguments(
                data: data, output: output, steps: 6,
                extra: ["--lr", "1e30", "--warmup", "0", "--checkpoint-interval", "1"]))
        #expect(run.status != 0)
        #expect(run.standardError.contains("training stopped before updating the weights"), "\(run.standardError)")
        #expect(run.standardError.contains("trainingDiverged"))
        #expect(FileManager.default.fileExists(atPath: output + "/checkpoints/epoch_latest.safetensors"))
        let log = try String(contentsOfFile: output + "/train_log.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(!log.isEmpty && log.count < 6)
    }
}
