// Core benchmarks: the work that Benchmarks/compare.sh also times with the Python reference on
// the same inputs (Benchmarks/reference/make_data.py). Each benchmark's name ends with the number
// of items one iteration processes, so that compare.sh can turn iterations/s into items/s.
import Benchmark
import DataCompCore
import Foundation

/// The folder that `Benchmarks/reference/make_data.py` filled (set by compare.sh).
private let dataFolder = ProcessInfo.processInfo.environment["DATACOMP_BENCH_DATA"] ?? ".build/bench-data"

private func loadJPEGs() -> [[UInt8]] {
    let folder = dataFolder + "/jpeg"
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
        .filter { $0.hasSuffix(".jpg") }.sorted()
    return names.compactMap { FileManager.default.contents(atPath: folder + "/" + $0).map { [UInt8]($0) } }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        maxDuration: .seconds(5),
        maxIterations: 50
    )

    let jpegs = loadJPEGs()
    let preprocessor = ImagePreprocessor(size: 224)
    // One tensor per image, as Python's preprocess(Image.open(...)) gives; one worker (one
    // core), reusing its decoding and resampling buffers from image to image.
    Benchmark("JPEG decode + evaluation transform (\(jpegs.count) images)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try preprocessor.evaluationTensors(decoding: jpegs, concurrency: .serial))
        }
    }

    Benchmark("Subset write (sort + save) (1000000 uids)") { benchmark in
        let unsorted = try NPYArray(contentsOfFile: dataFolder + "/subset_uids.npy")
        // The structured (f0, f1) records are 16 little-endian bytes each.
        let ids: [SampleID] = unsorted.withUnsafeBytes { raw in
            (0..<(raw.count / 16)).map { row in
                SampleID(
                    high: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16 * row, as: UInt64.self)),
                    low: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16 * row + 8, as: UInt64.self)))
            }
        }
        let output = dataFolder + "/swift_subset.npy"
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try SubsetFile.write(ids, to: output)
        }
    }

    Benchmark("Subset read (1000000 uids)") { benchmark in
        for _ in benchmark.scaledIterations {
            let subset = try SubsetFile.read(from: dataFolder + "/subset.npy")
            blackHole(subset.count)
        }
    }

    Benchmark("Tar read (samples) (2000 samples)") { benchmark in
        for _ in benchmark.scaledIterations {
            var reader = try WebDatasetShardReader(path: dataFolder + "/shard.tar")
            var count = 0
            while let sample = try reader.next() {
                blackHole(sample)
                count += 1
            }
            precondition(count == 2000, "expected 2000 samples, read \(count)")
        }
    }

    // pandas.read_parquet(columns=[uid, text, both scores]) on the same 1M-row DataComp-schema file.
    let parquetPath = dataFolder + "/datacomp_1m.parquet"
    let poolColumns = ["uid", "text", "clip_b32_similarity_score", "clip_l14_similarity_score"]
    Benchmark("Parquet read uid text scores (1000000 rows)") { benchmark in
        for _ in benchmark.scaledIterations {
            let table = try ParquetFile(path: parquetPath).read(columns: poolColumns)
            precondition(table.rowCount == 1_000_000, "expected 1000000 rows, read \(table.rowCount)")
            blackHole(table)
        }
    }

    // The same columns through the candidate pool: uids parsed to SampleID, 65,536-row batches.
    Benchmark("Pool batches uid text scores (1000000 rows)") { benchmark in
        let shard = PoolShard(
            index: 0, stem: "datacomp_1m", parquetPath: parquetPath, npzPath: dataFolder + "/datacomp_1m.npz",
            hasNPZ: false)
        for _ in benchmark.scaledIterations {
            var rows = 0
            try PoolShardReader(shard: shard, columns: [.uid, .text, .clipB32Score, .clipL14Score]).forEachBatch {
                batch in
                rows += batch.count
                blackHole(batch)
            }
            precondition(rows == 1_000_000, "expected 1000000 rows, read \(rows)")
        }
    }

    // open_clip.tokenize (SimpleTokenizer) on the same 20,000 captions, one core.
    Benchmark("Tokenize captions (20000 captions)") { benchmark in
        let text = try String(contentsOfFile: dataFolder + "/captions.txt", encoding: .utf8)
        var captions = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        captions.removeLast()  // the file ends with a newline
        precondition(captions.count == 20_000, "expected 20000 captions, read \(captions.count)")
        let tokenizer = try CLIPTokenizer(resolver: AssetResolver())
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(tokenizer.tokenize(captions))
        }
    }
}
