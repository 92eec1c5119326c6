// libFuzzer target: torch.save checkpoints (ZIP container, the restricted unpickler, tensor views).
import DataCompCore
import _FuzzSupport

FuzzDriver.run { bytes in
    let checkpoint = try TorchCheckpoint(bytes: bytes)
    if case .dictionary(let entries) = checkpoint.root {
        for entry in entries.prefix(16) {
            if let array = entry.value.arrayValue, [.float16, .float32, .float64].contains(array.dataType) {
                _ = try array.floats()
            }
        }
    }
}
