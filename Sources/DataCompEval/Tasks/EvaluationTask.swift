import Foundation

/// One of DataComp's downstream tasks, as `tasklist.yml` describes it.
///
/// ``all`` lists the 40 tasks in `tasklist.yml`'s order; 38 of them are scored (FairFace and
/// UTKFace have no main metric). Look a task up by its key with ``named(_:)``:
///
/// ```swift
/// let task = EvaluationTask.named("vtab/caltech101")!
/// print(task.name, task.mainMetric, task.folderName)
/// // Caltech-101 mean_per_class_recall wds_vtab-caltech101_test
/// ```
public struct EvaluationTask: Sendable, Hashable, Identifiable, CustomStringConvertible {
    /// The task's key in `tasklist.yml` and in `eval_results.jsonl` (`"vtab/caltech101"`).
    public var key: String
    /// The display name, the `dataset` field of a result row (`"Caltech-101"`).
    public var name: String
    /// How the task is evaluated.
    public var kind: TaskKind
    /// The metric that scores the task (`main_metric` of a result row), or `nil` for the two
    /// unscored tasks.
    public var mainMetric: String?
    /// The number of test samples (instances for WinoGAViL, images for retrieval).
    public var size: Int
    /// The number of classes `tasklist.yml` gives, if any.
    public var classCount: Int?
    /// The main metric of a random guess, as `tasklist.yml` gives it.
    public var randomScore: Double?
    /// The task's tags.
    public var tags: Set<TaskTag>

    /// Creates a task description.
    ///
    /// - Parameters:
    ///   - key: The key, for example `"cifar10"` or a key of your own.
    ///   - name: The display name.
    ///   - kind: How the task is evaluated.
    ///   - mainMetric: The scoring metric, or `nil` for an unscored task.
    ///   - size: The number of test samples.
    ///   - classCount: The number of classes, if any.
    ///   - randomScore: The main metric of a random guess, if known.
    ///   - tags: The task's tags.
    public init(
        key: String, name: String, kind: TaskKind, mainMetric: String?, size: Int, classCount: Int? = nil,
        randomScore: Double? = nil, tags: Set<TaskTag> = []
    ) {
        self.key = key
        self.name = name
        self.kind = kind
        self.mainMetric = mainMetric
        self.size = size
        self.classCount = classCount
        self.randomScore = randomScore
        self.tags = tags
    }

    /// The task key.
    public var id: String { key }

    /// Whether the task counts in DataComp's average (every task with a main metric).
    public var isScored: Bool { mainMetric != nil }

    /// The folder `download_evalsets.py` stores the task in: `wds_` + the key without a
    /// `fairness/` prefix and with `/` replaced by `-` + `_test` (`wds_vtab-caltech101_test`).
    ///
    /// DataComp loads the two retrieval sets and WinoGAViL from Hugging Face instead
    /// (``huggingFaceDataset``, read from `DIR/hf_cache`); for them this is the folder of the
    /// same name a webdataset copy may also be read from (see <doc:EvaluatingACheckpoint>).
    public var folderName: String {
        var stem = key
        if stem.hasPrefix("fairness/") { stem.removeFirst("fairness/".count) }
        return "wds_" + stem.replacingOccurrences(of: "/", with: "-") + "_test"
    }

    /// The Hugging Face dataset DataComp loads the task from (`nlphuji/winogavil`), for the two
    /// retrieval sets and WinoGAViL; `nil` for the webdataset tasks.
    public var huggingFaceDataset: String? {
        guard kind == .retrieval || kind == .association, let slash = key.firstIndex(of: "/") else { return nil }
        return "nlphuji/" + key[key.index(after: slash)...]
    }

    /// `key (name)`.
    public var description: String { "\(key) (\(name))" }
}
