/// What an eval set's `dataset_type.txt` says it holds.
public enum EvaluationSetKind: String, Sendable, Hashable, CaseIterable {
    /// Images with a `cls` label (no `dataset_type.txt`, or any other content).
    case classification
    /// Images with their captions in `txt`, one per line (`retrieval`).
    case retrieval
    /// Images with an `npy` vector of 0/1 labels (`multilabel`).
    case multilabel
}
