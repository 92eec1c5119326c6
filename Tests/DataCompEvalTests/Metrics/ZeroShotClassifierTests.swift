import DataCompEval
import Testing

@Suite struct ZeroShotClassifierTests {
    @Test("templates are filled as Python's str.format(c=name), braces escaped by doubling")
    func fill() throws {
        #expect(try ZeroShotClassifier.fill("a photo of a {c}.", with: "cat") == "a photo of a cat.")
        #expect(try ZeroShotClassifier.fill("{c}", with: "very nearby") == "very nearby")
        #expect(try ZeroShotClassifier.fill("{{literal}} {c} {c}", with: "x") == "{literal} x x")
        #expect(throws: DataCompError.self) { try ZeroShotClassifier.fill("a {d}", with: "x") }
        #expect(throws: DataCompError.self) { try ZeroShotClassifier.fill("a } b", with: "x") }
    }

    @Test("class vectors are normalize(mean(normalize(prompt embeddings))), as clip_benchmark builds them")
    func weights() throws {
        // Two templates of one class: (3, 4) and (0, 2) normalise to (0.6, 0.8) and (0, 1);
        // their mean (0.3, 0.9) normalises to (0.316228, 0.948683).
        let classifier = try ZeroShotClassifier(
            classNames: ["a"], promptEmbeddings: Tensor(shape: [2, 2], scalars: [3, 4, 0, 2]), templateCount: 2)
        #expect(abs(classifier.weights[0, 0] - 0.3 / Float(0.9).squareRoot()) < 1e-6)
        #expect(abs(classifier.weights[0, 1] - 0.9 / Float(0.9).squareRoot()) < 1e-6)
        let logits = classifier.logits(for: Tensor(shape: [1, 2], scalars: [0, 5]))
        #expect(abs(logits[0, 0] - 100 * 0.9 / Float(0.9).squareRoot()) < 1e-4)
    }
}
