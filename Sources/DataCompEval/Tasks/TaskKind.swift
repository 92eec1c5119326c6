/// How a task is evaluated: which evaluator DataComp's `eval_utils/main.py` dispatches it to.
public enum TaskKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Zero-shot classification of a webdataset eval set (`wds_eval.py`).
    case classification
    /// Zero-shot image-text retrieval with several captions per image (`retr_eval.py`).
    case retrieval
    /// Zero-shot classification plus the WILDS metrics of its metadata (`wilds_eval.py`).
    case wilds
    /// Zero-shot classification plus worst-group metrics over regions or incomes
    /// (`fairness_eval.py`: Dollar Street, GeoDE).
    case fairness
    /// FairFace and UTKFace: computed by DataComp but never scored (no main metric).
    case demographic
    /// WinoGAViL's association game, scored by the Jaccard index (`wino_eval.py`).
    case association
    /// Multi-label zero-shot classification, scored by mean average precision
    /// (clip_benchmark's multi-label branch; no DataComp task uses it).
    case multilabel
}
