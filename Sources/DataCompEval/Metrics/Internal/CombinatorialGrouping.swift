/// WILDS' `CombinatorialGrouper` and `standard_group_eval`, as DataComp's WILDS and fairness
/// evaluators use them: samples are grouped by the combination of one or more integer metadata
/// fields, each field's cardinality is its largest value + 1 over all samples, and the group of a
/// sample is `Σ value_i · Π_{j<i} cardinality_j` (the first field varies fastest), so there are
/// `Π cardinality_i` groups, empty ones included.
struct CombinatorialGrouping {
    /// The fields' names, in metadata order.
    let fields: [String]
    /// Each field's cardinality (largest value + 1).
    let cardinalities: [Int]
    /// Each sample's group.
    let groups: [Int]

    /// Groups samples by fields given as (name, one value per sample).
    ///
    /// - Throws: `DataCompError` for a negative value (WILDS refuses them) or fields of
    ///   different lengths.
    init(fields: [(name: String, values: [Int])]) throws {
        let count = fields.first?.values.count ?? 0
        var cardinalities: [Int] = []
        for field in fields {
            guard field.values.count == count else {
                throw DataCompError(
                    .rowCountMismatch,
                    "metadata field \(field.name) has \(field.values.count) values for \(count) samples")
            }
            if let negative = field.values.first(where: { $0 < 0 }) {
                throw DataCompError(
                    .invalidArgument,
                    "metadata field \(field.name) has the value \(negative); WILDS groups need values 0 ... max")
            }
            cardinalities.append((field.values.max() ?? -1) + 1)
        }
        var groups = [Int](repeating: 0, count: count)
        var factor = 1
        for (field, cardinality) in zip(fields, cardinalities) {
            for sample in 0..<count { groups[sample] += field.values[sample] * factor }
            factor *= cardinality
        }
        self.fields = fields.map(\.name)
        self.cardinalities = cardinalities
        self.groups = groups
    }

    /// The number of groups, `Π cardinality_i`.
    var groupCount: Int { cardinalities.reduce(1, *) }

    /// A group's name as WILDS' `group_field_str` writes it: the fields last to first,
    /// `race:1_gender:0`.
    func name(of group: Int) -> String {
        var values: [Int] = []
        var rest = group
        for cardinality in cardinalities {
            values.append(cardinality == 0 ? 0 : rest % cardinality)
            rest = cardinality == 0 ? 0 : rest / cardinality
        }
        return zip(fields, values).reversed().map { "\($0):\($1)" }.joined(separator: "_")
    }

    /// WILDS' `standard_group_eval` of an accuracy named `name`: `<name>_avg`, then
    /// `<name>_<group>` and `count_<group>` per group, then `<name>_wg` (values replace those
    /// already present in place, as Python's `dict.update`).
    func evaluate(into metrics: inout EvaluationMetrics, name: String, correct: [Bool]) throws {
        let grouped = try GroupedAccuracy(correct: correct, groups: groups, groupCount: groupCount)
        metrics["\(name)_avg"] = grouped.average
        for (group, outcome) in grouped.groups.enumerated() {
            let groupName = self.name(of: group)
            metrics["\(name)_\(groupName)"] = outcome.value
            metrics["count_\(groupName)"] = Double(outcome.count)
        }
        metrics["\(name)_wg"] = grouped.worst
    }
}
