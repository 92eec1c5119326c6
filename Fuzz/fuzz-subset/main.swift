// libFuzzer target: DataCompSubset files (.npy of u8,u8 records, or raw records; sortedness).
import DataCompCore
import _FuzzSupport

FuzzDriver.run { bytes in
    let subset = try SubsetFile.parse(RawStorage(copying: bytes))
    if let first = subset.first { _ = subset.count(of: first) }
}
