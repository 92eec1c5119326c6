import DataCompEval
import Testing

@Suite struct ClassificationMetricsTests {
    // Expected values computed with scikit-learn 1.9.1:
    // balanced_accuracy_score([0,0,1,1,1,2,3,3], [0,1,1,1,2,2,0,3]) = 0.6666666666666666
    // recall_score(..., labels=unique(y_true), average="macro") = 0.6666666666666666
    // f1_score(..., labels=unique(y_true), average="macro") = 0.6249999999999999
    let labels = [0, 0, 1, 1, 1, 2, 3, 3]
    let predictions = [0, 1, 1, 1, 2, 2, 0, 3]

    @Test("balanced accuracy is the mean recall over the classes present in the labels (scikit-learn)")
    func balancedAccuracy() {
        #expect(ClassificationMetrics.balancedAccuracy(predictions: predictions, labels: labels) == 0.6666666666666666)
        // A class that is only predicted (9) is ignored; a present class never hit counts 0.
        #expect(ClassificationMetrics.balancedAccuracy(predictions: [9, 9, 1], labels: [0, 0, 1]) == 0.5)
    }

    @Test("macro recall and F1 over the labels present, as WILDS calls scikit-learn for iWildCam")
    func macroScores() {
        let scores = ClassificationMetrics.macroRecallAndF1(predictions: predictions, labels: labels)
        #expect(abs(scores.recall - 0.6666666666666666) < 1e-15)
        #expect(abs(scores.f1 - 0.6249999999999999) < 1e-15)
        // A predicted class absent from the labels lowers recall but is not averaged.
        let absent = ClassificationMetrics.macroRecallAndF1(predictions: [5, 0, 1], labels: [0, 0, 1])
        #expect(abs(absent.recall - 0.75) < 1e-15)
        #expect(abs(absent.f1 - (2.0 / 3.0 + 1.0) / 2) < 1e-15)
    }

    @Test("top-k accuracy counts a sample once if its label is among its first k classes")
    func topK() {
        let top = [[2, 0, 1], [1, 2, 0], [0, 1, 2]]
        #expect(ClassificationMetrics.topKAccuracy(topIndices: top, labels: [0, 1, 2], k: 1) == 1.0 / 3.0)
        #expect(ClassificationMetrics.topKAccuracy(topIndices: top, labels: [0, 1, 2], k: 2) == 2.0 / 3.0)
        #expect(ClassificationMetrics.topKAccuracy(topIndices: top, labels: [0, 1, 2], k: 3) == 1)
    }

    @Test("mean average precision as clip_benchmark's average_precision_per_class")
    func meanAveragePrecision() {
        // Class 0: ranking 0.9 (+), 0.8 (-), 0.1 (+): AP = (1/1 + 2/3) / 2; class 1: no positive: AP 0.
        let scores = Tensor(shape: [3, 2], scalars: [0.9, 0.1, 0.8, 0.2, 0.1, 0.3])
        let targets = [true, false, false, false, true, false]
        let expected = ((1.0 + Double(Float(2) / Float(3))) / 2 + 0) / 2
        #expect(abs(ClassificationMetrics.meanAveragePrecision(scores: scores, targets: targets) - expected) < 1e-12)
    }
}
