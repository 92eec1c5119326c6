// libFuzzer target: webdataset tar shards (USTAR, GNU, PAX headers, grouping into samples),
// plain or gzip-compressed.
import DataCompCore
import _FuzzSupport

FuzzDriver.run { bytes in
    let path = FuzzDriver.temporaryFile(bytes, suffix: ".tar")
    var reader = try WebDatasetShardReader(path: path, duplicatePolicy: .startNewSample)
    var count = 0
    while let sample = try reader.next(), count < 10_000 {
        count += sample.members.count
    }
}
