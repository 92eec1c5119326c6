// The base address of buffers that are known not to be empty, for the internal helpers that
// work on raw memory: a documented trap instead of a force unwrap at each site.

extension UnsafeMutableBufferPointer {
    /// The first element's address.
    ///
    /// Traps for an empty buffer without storage.
    package var requiredBaseAddress: UnsafeMutablePointer<Element> {
        guard let base = baseAddress else { preconditionFailure("an empty buffer has no base address") }
        return base
    }
}

extension UnsafeBufferPointer {
    /// The first element's address.
    ///
    /// Traps for an empty buffer without storage.
    package var requiredBaseAddress: UnsafePointer<Element> {
        guard let base = baseAddress else { preconditionFailure("an empty buffer has no base address") }
        return base
    }
}

extension UnsafeMutableRawBufferPointer {
    /// The first byte's address.
    ///
    /// Traps for an empty buffer without storage.
    package var requiredBaseAddress: UnsafeMutableRawPointer {
        guard let base = baseAddress else { preconditionFailure("an empty buffer has no base address") }
        return base
    }
}

extension UnsafeRawBufferPointer {
    /// The first byte's address.
    ///
    /// Traps for an empty buffer without storage.
    package var requiredBaseAddress: UnsafeRawPointer {
        guard let base = baseAddress else { preconditionFailure("an empty buffer has no base address") }
        return base
    }
}
