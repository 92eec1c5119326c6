/// A tag of a task in DataComp's `tasklist.yml`, used to group tasks in reports.
public enum TaskTag: String, Sendable, Hashable, CaseIterable, Codable {
    /// VTAB's natural-image tasks.
    case vtabNatural = "vtab_natural"
    /// VTAB's specialised tasks (remote sensing, medical).
    case vtabSpecialized = "vtab_specialized"
    /// VTAB's structured tasks (counting, distances).
    case vtabStructured = "vtab_structured"
    /// Image-text retrieval and WinoGAViL.
    case retrieval
    /// The WILDS distribution-shift benchmarks.
    case wilds
    /// Geographic and demographic fairness sets.
    case fairness
}
