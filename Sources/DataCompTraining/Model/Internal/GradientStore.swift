/// Gradients accumulated by parameter name during a backward pass.
struct GradientStore {
    private(set) var values: [String: [Float]] = [:]

    /// Adds `gradient` to the stored gradient of `name` (allocated with `count` zeros first).
    mutating func add(_ name: String, count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        // Taken out of the dictionary first so that the mutation does not copy it.
        var buffer = values.removeValue(forKey: name) ?? [Float](repeating: 0, count: count)
        buffer.withUnsafeMutableBufferPointer { body($0) }
        values[name] = buffer
    }
}
