import DataCompEval
import Testing

@Suite struct GroupedAccuracyTests {
    @Test("groups are the codes 0...max; empty groups report NaN and count 0; the worst is over non-empty groups")
    func groups() throws {
        let grouped = try GroupedAccuracy(correct: [true, false, true, true, false], groups: [0, 0, 2, 2, 3])
        #expect(grouped.average == Double(Float(3) / Float(5)))
        #expect(grouped.groups.count == 4)
        #expect(grouped.groups[0].value == 0.5 && grouped.groups[0].count == 2)
        #expect(grouped.groups[1].value.isNaN && grouped.groups[1].count == 0)
        #expect(grouped.groups[2].value == 1 && grouped.groups[3].value == 0)
        #expect(grouped.worst == 0)
    }

    @Test("negative group codes and mismatched lengths are DataCompErrors")
    func badInput() {
        #expect(throws: DataCompError.self) { try GroupedAccuracy(correct: [true], groups: [-1]) }
        #expect(throws: DataCompError.self) { try GroupedAccuracy(correct: [true, false], groups: [0]) }
    }
}
