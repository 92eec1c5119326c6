// libFuzzer target: NPY arrays (header parsing, every dtype's conversions).
import DataCompCore
import _FuzzSupport

FuzzDriver.run { bytes in
    let array = try NPYArray(bytes: bytes)
    if [.float16, .float32, .float64].contains(array.dataType) { _ = try Tensor(array) }
    if array.dataType == .sampleID { _ = try array.sampleIDs() }
    if array.dataType == .bool { _ = try array.booleans() }
}
