import DataCompFilters
import Foundation
import Testing
import _DataCompTestSupport

@Suite struct LanguageIdentifierTests {
    /// Expected: fastText 0.9.2's Python binding with lid.176.ftz (language_fixtures.py):
    /// `model.predict(text.replace("\n", " "))` on 2,415 captions in about 90 languages, the pool
    /// fixture's texts and edge cases; labels exactly, probabilities within 1e-6 (float32).
    @Test("Predicts the language of every caption as fastText's Python binding does")
    func matchesFastText() throws {
        let expected = try LanguageExpectations.load()
        #expect(expected.texts.count == 2548 && expected.languages.count == 2548)
        let identifier = try LanguageExpectations.identifier()
        var mismatches: [String] = []
        var worst: Float = 0
        for (index, text) in expected.texts.enumerated() {
            if identifier.language(of: text) != expected.languages[index] {
                mismatches.append("#\(index) \(text.prefix(40))")
            }
            let top = try identifier.predictions(for: text, count: 2)
            if top.map(\.language) != expected.top2[index].0 { mismatches.append("top2 #\(index)") }
            for (prediction, probability) in zip(top, expected.top2[index].1) {
                worst = max(worst, abs(prediction.probability - probability))
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(worst <= 1e-6, "worst probability difference \(worst)")
        #expect(Set(expected.languages).count > 50, "the fixture covers many languages")
    }

    @Test("A missing or non-fastText model file is a DataCompError naming it")
    func badModels() throws {
        let missing = #expect(throws: DataCompError.self) {
            try LanguageIdentifier(contentsOfFile: "/nonexistent/lid.176.ftz")
        }
        #expect(missing?.code == .fileNotFound)
        let folder = try Fixtures.temporaryDirectory("fasttext")
        for (name, bytes) in [("junk.bin", Array("not a model".utf8)), ("empty.ftz", [])] {
            let path = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: DataCompError.self) { try LanguageIdentifier(contentsOfFile: path) }
            #expect(error?.code == .invalidFormat)
            #expect(error?.path == path)
        }
        // A real model cut anywhere (fastText itself would loop on EOF or load garbage).
        let model = try Data(contentsOf: URL(fileURLWithPath: try LanguageExpectations.identifier().path))
        for length in [9, 100, 4096, model.count / 10, model.count / 2, model.count - 1] {
            let cut = folder.appendingPathComponent("cut-\(length).ftz").path
            try model.prefix(length).write(to: URL(fileURLWithPath: cut))
            let error = #expect(throws: DataCompError.self) { try LanguageIdentifier(contentsOfFile: cut) }
            #expect(error?.code == .invalidFormat, "cut at \(length) bytes")
            #expect(error?.message.contains("truncated") == true, "cut at \(length) bytes")
        }
    }
}
