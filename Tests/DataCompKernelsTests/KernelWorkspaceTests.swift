import Testing

@testable import DataCompKernels

@Suite struct KernelWorkspaceTests {
    @Test("Buffers grow once and are then reused without allocating")
    func reusesStorage() {
        let workspace = KernelWorkspace()
        for _ in 0..<10 {
            workspace.withBuffer(0, count: 1000) { $0.initialize(repeating: 1) }
            workspace.withBuffers((1, 10), (2, 500)) { a, b in
                a.initialize(repeating: 2)
                b.initialize(repeating: 3)
            }
            workspace.withBuffer(0, count: 10) { #expect($0.count == 10) }
        }
        #expect(workspace.allocationCount == 3)
        workspace.withBuffer(0, count: 2000) { #expect($0.count == 2000) }
        #expect(workspace.allocationCount == 4)
    }
}
