import DataCompEval
import Foundation
import Testing
import _DataCompTestSupport

/// Reading DataComp's Hugging Face eval sets from a `datasets` cache: the fixture
/// `Tests/Fixtures/eval/evalsets/hf_cache` was written by the real `datasets` ArrowWriter
/// (Scripts/fixtures/eval_fixtures.py) with images as embedded bytes or as paths into a
/// `downloads/extracted` folder that no longer exists where they were written (a moved cache).
@Suite struct HuggingFaceEvalSetTests {
    static let cache = Fixtures.path("eval/evalsets/hf_cache")

    @Test("Flickr: one shard, embedded and path images alternate; rows keep load_dataset's order and captions")
    func flickr() throws {
        let set = try HuggingFaceEvalSet(
            dataset: "nlphuji/flickr_1k_test_image_text_retrieval", cacheDirectory: Self.cache)
        #expect(set.arrowFiles.count == 1)
        let samples = try set.retrievalSamples()
        let wds = try EvaluationSet(
            directory: Fixtures.path("eval/evalsets/wds_retrieval-flickr_1k_test_image_text_retrieval_test")
        ).samples()
        #expect(samples.count == wds.count)
        for (ours, copy) in zip(samples, wds) {
            #expect(Array(ours.image) == Array(copy.image))
            #expect(ours.captions == copy.captions)
        }
    }

    @Test(
        "MSCOCO: two shards read in order; WinoGAViL: candidates with their images; the .incomplete folder is ignored")
    func shardsAndWinoGAViL() throws {
        let coco = try HuggingFaceEvalSet(
            dataset: "nlphuji/mscoco_2014_5k_test_image_text_retrieval", cacheDirectory: Self.cache)
        #expect(
            coco.arrowFiles.map { URL(fileURLWithPath: $0).lastPathComponent } == [
                "mscoco_2014_5k_test_image_text_retrieval-test-00000-of-00002.arrow",
                "mscoco_2014_5k_test_image_text_retrieval-test-00001-of-00002.arrow",
            ])
        #expect(try coco.retrievalSamples().count == 16)
        let wino = try HuggingFaceEvalSet(dataset: "nlphuji/winogavil", cacheDirectory: Self.cache)
        #expect(wino.arrowFiles.count == 1 && !wino.arrowFiles[0].contains(".incomplete"))
        let instances = try wino.winoGAViLInstances()
        #expect(instances.count == 20)
        #expect(instances.allSatisfy { $0.images.count == $0.candidates.count && !$0.associations.isEmpty })
    }

    @Test("an absent dataset, or images missing from a moved cache, are DataCompErrors that say what to do")
    func badCaches() throws {
        let missing = try #require(throws: DataCompError.self) {
            try HuggingFaceEvalSet(dataset: "nlphuji/none", cacheDirectory: Self.cache)
        }
        #expect(missing.message.contains("download_evalsets.py"))

        let folder = try Fixtures.temporaryDirectory("hf-cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("hf_cache")
        try FileManager.default.copyItem(atPath: Self.cache, toPath: copy.path)
        try FileManager.default.removeItem(at: copy.appendingPathComponent("downloads"))
        let set = try HuggingFaceEvalSet(
            dataset: "nlphuji/mscoco_2014_5k_test_image_text_retrieval", cacheDirectory: copy.path)
        let error = try #require(throws: DataCompError.self) { try set.retrievalSamples() }
        #expect(error.position == .row(0))
        #expect(error.path?.hasSuffix("-test-00000-of-00002.arrow") == true)
        #expect(error.message.contains("downloads"))
    }
}
