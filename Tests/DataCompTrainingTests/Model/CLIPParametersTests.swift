import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@testable import DataCompTraining

/// Loading OpenCLIP's own checkpoints: `epoch_latest.pt` as open_clip_train saves it (a dict with
/// `epoch`, `name`, a DDP `module.`-prefixed `state_dict` and the optimizer state), written by
/// `Scripts/fixtures/openclip_checkpoint_fixtures.py` from the fixture weights.
@Suite struct CLIPParametersTests {
    @Test(
        "an OpenCLIP .pt checkpoint loads to exactly the weights it was saved from", arguments: ["vit-gelu", "rn-tiny"])
    func openCLIPCheckpoint(name: String) throws {
        let config = try CLIPConfiguration(contentsOfFile: Fixtures.path("clip/\(name)/model_config.json"))
        let reference = try CLIPParameters(
            contentsOfFile: Fixtures.path("clip/\(name)/weights.safetensors"), configuration: config)
        let loaded = try CLIPParameters(
            contentsOfFile: Fixtures.path("clip/openclip-checkpoints/\(name)_epoch_latest.pt"), configuration: config)
        #expect(loaded.names == reference.names)
        for parameter in reference.names where !parameter.hasSuffix(".num_batches_tracked") {
            #expect(loaded.values(parameter) == reference.values(parameter), "\(parameter)")
        }
        #expect(loaded.counters == reference.counters)
        if name == "rn-tiny" { #expect(loaded.counters.values.contains { $0 > 0 }) }
    }

    @Test("a checkpoint of another config names the first mismatched parameter and the file")
    func otherConfig() throws {
        let config = try CLIPConfiguration(contentsOfFile: Fixtures.path("clip/rn-tiny/model_config.json"))
        let path = Fixtures.path("clip/openclip-checkpoints/vit-gelu_epoch_latest.pt")
        let error = try #require(throws: DataCompError.self) {
            try CLIPParameters(contentsOfFile: path, configuration: config)
        }
        #expect(error.path == path)
        #expect(error.message.contains("another config") || error.message.contains("does not belong"))
    }

    @Test("a .pt that is not a torch zip archive is a DataCompError naming it, never a crash")
    func damaged() throws {
        let folder = try Fixtures.temporaryDirectory("pt")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = try Data(
            contentsOf: URL(fileURLWithPath: Fixtures.path("clip/openclip-checkpoints/rn-tiny_epoch_latest.pt")))
        let config = try CLIPConfiguration(contentsOfFile: Fixtures.path("clip/rn-tiny/model_config.json"))
        for cut in [0, 100, bytes.count / 2, bytes.count - 30] {
            let path = folder.appendingPathComponent("cut-\(cut).pt").path
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: DataCompError.self) {
                try CLIPParameters(contentsOfFile: path, configuration: config)
            }
            #expect(error.path == path)
        }
    }
}
