import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct PoolShardReaderTests {
    private static let allColumns = Set(PoolColumn.dataCompMetadata + PoolColumn.dataCompFeatures)

    @Test("Batches hold every column exactly as pyarrow reads it", arguments: [1_000, 16, 7])
    func batchesEqualPyarrow(maxRows: Int) throws {
        // Expected values: pyarrow 26.0.1 Table.to_pydict() (pool_fixtures.py); exact equality
        // (float32 scores compare after widening both sides the same way).
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        for (index, expected) in try PoolFixtures.shards().enumerated() {
            let reader = try pool.openShard(index, columns: Self.allColumns)
            #expect(reader.rowCount == expected.rows)
            var uids: [String] = [], texts: [String] = [], urls: [String] = [], sha: [String] = []
            var widths: [Int] = [], heights: [Int] = [], b32: [Float] = [], l14: [Float] = []
            var boxes: [[[Double]]] = []
            var nextRow = 0
            try reader.forEachBatch(maxRows: maxRows) { batch in
                #expect(batch.shardIndex == index)
                #expect(batch.shardRows.range?.lowerBound == nextRow)
                #expect(batch.count <= maxRows && batch.count > 0)
                #expect(batch.columns == Self.allColumns)
                nextRow = batch.shardRows.range?.upperBound ?? -1
                uids += batch.uids.map(\.hexString)
                texts += Array(batch.texts)
                urls += Array(batch.urls)
                sha += Array(batch.sha256s)
                widths += batch.originalWidths
                heights += batch.originalHeights
                b32 += batch.clipB32Scores
                l14 += batch.clipL14Scores
                boxes += (0..<batch.count).map { batch.faceBoxes.boxes(at: $0) }
                for column in PoolColumn.dataCompFeatures {
                    #expect(batch.embeddings(column).rowCount == batch.count)
                }
            }
            #expect(nextRow == expected.rows)
            #expect(uids == expected.strings("uid"))
            #expect(texts == expected.strings("text"))
            #expect(urls == expected.strings("url"))
            #expect(sha == expected.strings("sha256"))
            #expect(widths == expected.integers("original_width"))
            #expect(heights == expected.integers("original_height"))
            #expect(b32 == expected.floats("clip_b32_similarity_score"))
            #expect(l14 == expected.floats("clip_l14_similarity_score"))
            #expect(boxes == expected.boxes())
        }
    }

    @Test("Batches never span row groups")
    func batchesFollowRowGroups() throws {
        // The first shard was written with row_group_size=16 (40 rows: 16 + 16 + 8).
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let expected = try PoolFixtures.shards()
        let grouped = try #require(expected.firstIndex { $0.rowGroups == 3 })
        var ranges: [Range<Int>] = []
        try pool.openShard(grouped, columns: [.uid]).forEachBatch(maxRows: 10) {
            ranges.append($0.shardRows.range ?? 0..<0)
        }
        #expect(ranges == [0..<10, 10..<16, 16..<26, 26..<32, 32..<40])
        // Embedding-only reading follows the same row groups without decoding Parquet columns.
        var embeddingRanges: [Range<Int>] = []
        try pool.openShard(grouped, columns: [.dedup]).forEachBatch(maxRows: 10) {
            embeddingRanges.append($0.shardRows.range ?? 0..<0)
        }
        #expect(embeddingRanges == ranges)
    }

    @Test("Embedding rows equal numpy's", arguments: PoolColumn.dataCompFeatures)
    func embeddingsEqualNumPy(column: PoolColumn) throws {
        // Expected: math.fsum of each row widened to float64 and one full row (numpy 2.4.6).
        // float16 → float32 widening is exact, so the sample row must match exactly and the row
        // sums to 1e-9 (only the summation order differs).
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        for (index, expected) in try PoolFixtures.shards().enumerated() {
            let summary = expected.npz(column.name)
            let shape = (summary["shape"] as? [NSNumber] ?? []).map(\.intValue)
            let sums = (summary["row_sums"] as? [NSNumber] ?? []).map(\.doubleValue)
            let sampleRow = (summary["sample_row"] as? NSNumber)?.intValue ?? -1
            let sample = (summary["sample_values"] as? [NSNumber] ?? []).map(\.floatValue)
            var rows: [[Float]] = []
            var dtype: NPYDataType?
            var mapped = true
            try pool.openShard(index, columns: [column]).forEachBatch(maxRows: 9) { batch in
                let matrix = batch.embeddings(column)
                dtype = matrix.dataType
                mapped = mapped && matrix.isMemoryMapped
                #expect(matrix.dimensions == shape[1])
                let tensor = Tensor(matrix)
                #expect(tensor.shape == [batch.count, shape[1]])
                for row in 0..<batch.count {
                    rows.append(Array(tensor.scalars[(row * shape[1])..<((row + 1) * shape[1])]))
                    #expect(matrix.row(row) == rows.last)
                }
            }
            #expect(dtype == (summary["dtype"] as? String == "<f2" ? .float16 : .float32))
            #expect(mapped, "np.savez stores members uncompressed, so rows must stay memory-mapped")
            #expect(rows.count == shape[0])
            #expect(rows[sampleRow] == sample)
            for (row, values) in rows.enumerated() {
                let sum = values.reduce(0.0) { $0 + Double($1) }
                #expect(abs(sum - sums[row]) <= 1e-9, "row \(row)")
            }
        }
    }

    @Test("Declared columns only: a uid-only reader holds only uids")
    func projectsDeclaredColumns() throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.missingNPZ)
        try pool.forEachBatch(columns: [.uid]) { batch in
            #expect(batch.columns == [.uid])
            #expect(batch.contains(.uid) && !batch.contains(.text) && !batch.contains(.b32Image))
        }
    }
}
