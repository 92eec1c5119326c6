// libFuzzer target: NPZ archives (ZIP directory, ZIP64, stored and deflated members, CRCs).
import DataCompCore
import _FuzzSupport

FuzzDriver.run { bytes in
    let archive = try NPZArchive(bytes: bytes)
    for key in archive.keys.prefix(8) {
        let array = try archive.array(named: key)
        if [.float16, .float32, .float64].contains(array.dataType) { _ = try Tensor(array) }
    }
}
