import DataCompCore
import Foundation
import Testing
import _DataCompTestSupport

/// Open columns: sidecar score files and extra metadata columns, compared with pyarrow's
/// `to_pylist()` of the same files (pool/expected_columns.json, pool_columns_fixtures.py).
@Suite struct PoolShardReaderColumnTests {
    static let scores = Fixtures.path("pool/sidecars/scores")
    static let dfn = PoolColumn.sidecar("dfn_score", in: scores)
    static let aesthetic = PoolColumn.sidecar("aesthetic", in: scores, .double)
    static let english = PoolColumn.sidecar("english", in: scores, .boolean)

    static func expected() throws -> [String: Any] {
        try PoolFixtures.jsonObject("pool/expected_columns.json")
    }

    @Test(
        "Sidecar columns equal pyarrow's, across sidecar and metadata row-group boundaries", arguments: [7, 16, 1000])
    func sidecarsEqualPyarrow(maxRows: Int) throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let sidecars = try Self.expected()["sidecars"] as? [String: [String: Any]] ?? [:]
        for shard in pool.shards {
            let want = try #require(sidecars[shard.stem])
            var dfn: [Float] = [], aesthetic: [Double] = [], nulls: [Bool] = [], english: [Bool] = []
            // uid is not declared: the reader still checks the sidecar's uids, then drops them.
            try PoolShardReader(shard: shard, columns: [.clipL14Score, Self.dfn, Self.aesthetic, Self.english])
                .forEachBatch(maxRows: maxRows) { batch in
                    #expect(batch.columns == [.clipL14Score, Self.dfn, Self.aesthetic, Self.english])
                    dfn += batch.floats(Self.dfn)
                    aesthetic += batch.doubles(Self.aesthetic)
                    let valid = batch.validity(of: Self.aesthetic) ?? RowMask(count: batch.count, repeating: true)
                    nulls += valid.map { !$0 }
                    english += batch.booleans(Self.english)
                }
            #expect(dfn == (want["dfn_score"] as? [NSNumber] ?? []).map(\.floatValue))
            let expectedAesthetic = want["aesthetic"] as? [Any] ?? []
            #expect(nulls == expectedAesthetic.map { $0 is NSNull })
            for (row, value) in expectedAesthetic.enumerated() {
                if let number = value as? NSNumber {
                    #expect(aesthetic[row] == number.doubleValue)
                } else {
                    #expect(aesthetic[row].isNaN, "null reads as NaN")
                }
            }
            #expect(english == (want["english"] as? [Bool] ?? []))
        }
    }

    @Test("A sidecar whose rows are out of order is rejected at the first differing row")
    func reorderedSidecarIsRejected() throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let column = PoolColumn.sidecar("dfn_score", in: Fixtures.path("pool/sidecars/reordered"))
        let error = try #require(throws: DataCompError.self) {
            try pool.forEachBatch(columns: [column]) { _ in }
        }
        #expect(error.code == .corruptData)
        #expect(error.position == .row(3))
        #expect(error.path?.hasSuffix(pool.shards[0].stem + ".parquet") == true)
    }

    @Test("A missing sidecar file names the expected path; a missing sidecar column lists the columns")
    func missingSidecars() throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let partial = Fixtures.path("pool/sidecars/partial")
        let missingFile = try #require(throws: DataCompError.self) {
            try pool.forEachBatch(columns: [.sidecar("dfn_score", in: partial)]) { _ in }
        }
        #expect(missingFile.code == .fileNotFound)
        #expect(missingFile.path == partial + "/" + pool.shards[1].stem + ".parquet")
        let missingColumn = try #require(throws: DataCompError.self) {
            try pool.openShard(0, columns: [.sidecar("clip_score", in: Self.scores)])
        }
        #expect(missingColumn.code == .missingMember)
        #expect(missingColumn.message.contains("dfn_score"))
    }

    @Test("Extra metadata columns are declared like DataComp's own")
    func extraMetadataColumns() throws {
        let pool = try CandidatePool(metadataDirectory: Fixtures.path("pool/extra"))
        let want = try #require((try Self.expected()["extra"] as? [String: [String: Any]])?[pool.shards[0].stem])
        let language = PoolColumn.metadata("language", .string)
        let score = PoolColumn.metadata("aesthetic_score", .double)
        let nsfw = PoolColumn.metadata("nsfw", .boolean)
        let watermark = PoolColumn.metadata("watermark", .float)
        var languages: [String] = [], scores: [Double] = [], flags: [Bool] = [], marks: [Float] = []
        var nullRows: [Int] = []
        try pool.forEachBatch(columns: [.uid, language, score, nsfw, watermark], maxRows: 10) { batch in
            languages += Array(batch.strings(language))
            scores += batch.doubles(score)
            flags += batch.booleans(nsfw)
            marks += batch.floats(watermark)
            if let valid = batch.validity(of: score) {
                nullRows += valid.inverted().selectedIndices.map { batch.shardRows[$0] }
            }
        }
        #expect(languages == (want["language"] as? [String] ?? []))
        #expect(flags == (want["nsfw"] as? [Bool] ?? []))
        #expect(marks == (want["watermark"] as? [NSNumber] ?? []).map(\.floatValue))
        let expectedScores = want["aesthetic_score"] as? [Any] ?? []
        #expect(nullRows == expectedScores.indices.filter { expectedScores[$0] is NSNull })
        #expect(
            zip(scores, expectedScores).allSatisfy {
                ($1 as? NSNumber)?.doubleValue == $0 || ($1 is NSNull && $0.isNaN)
            })
        // Declaring a column as the wrong type is a dtypeMismatch naming the column.
        let wrong = try #require(throws: DataCompError.self) {
            try pool.forEachBatch(columns: [.metadata("language", .float)]) { _ in }
        }
        #expect(wrong.code == .dtypeMismatch)
        #expect(wrong.message.contains("language"))
    }

    @Test("Filtering on a metadata column and a sidecar score with a RowMask selects pyarrow's rows")
    func filtersWithRowMask() throws {
        let pool = try CandidatePool(metadataDirectory: PoolFixtures.metadata)
        let sidecars = try Self.expected()["sidecars"] as? [String: [String: Any]] ?? [:]
        let rows = try PoolFixtures.shards()
        var kept: [SampleID] = []
        var expected: [String] = []
        for (index, shard) in pool.shards.enumerated() {
            let dfn = (sidecars[shard.stem]?["dfn_score"] as? [NSNumber] ?? []).map(\.floatValue)
            let uids = rows[index].strings("uid")
            let widths = rows[index].integers("original_width")
            expected += uids.indices.filter { dfn[$0] >= 0.5 && widths[$0] >= 200 }.map { uids[$0] }
            try PoolShardReader(shard: shard, columns: [.uid, .originalWidth, Self.dfn]).forEachBatch(maxRows: 9) {
                batch in
                let scores = batch.floats(Self.dfn)
                let mask =
                    RowMask(count: batch.count) { scores[$0] >= 0.5 }
                    & RowMask(count: batch.count) { batch.originalWidths[$0] >= 200 }
                let selected = batch.selecting(mask)
                #expect(selected.count == mask.populationCount)
                #expect(selected.floats(Self.dfn).allSatisfy { $0 >= 0.5 })
                kept += selected.uids
            }
        }
        #expect(kept.map(\.hexString) == expected)
    }
}
