import DataCompEval
import Testing

@Suite struct EvaluationTaskTests {
    @Test("the registry has tasklist.yml's 40 tasks, 38 of them scored, with unique keys and names")
    func registry() {
        #expect(EvaluationTask.all.count == 40)
        #expect(EvaluationTask.scored.count == 38)
        #expect(Set(EvaluationTask.all.map(\.key)).count == 40)
        #expect(Set(EvaluationTask.all.map(\.name)).count == 40)
        #expect(EvaluationTask.all.filter { !$0.isScored }.map(\.key) == ["fairness/fairface", "fairness/utkface"])
        #expect(EvaluationTask.named("wilds/iwildcam")?.mainMetric == "F1-macro_all")
        #expect(EvaluationTask.named("fairness/dollar_street")?.mainMetric == "acc_top5_wg")
        #expect(EvaluationTask.displayNamed("ImageNet 1k")?.key == "imagenet1k")
        #expect(EvaluationTask.named("nope") == nil)
    }

    @Test("folder names follow download_evalsets.py: wds_ + key with / as - + _test, fairness/ dropped")
    func folderNames() {
        #expect(EvaluationTask.named("vtab/caltech101")?.folderName == "wds_vtab-caltech101_test")
        #expect(EvaluationTask.named("imagenet-a")?.folderName == "wds_imagenet-a_test")
        #expect(EvaluationTask.named("fairness/geode")?.folderName == "wds_geode_test")
        #expect(EvaluationTask.named("wilds/iwildcam")?.folderName == "wds_wilds-iwildcam_test")
    }
}
