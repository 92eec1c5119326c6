import Foundation

/// A member's bytes are contiguous, so every API that takes `some ContiguousBytes` (image
/// decoding, JSON parsing, hashing) reads a member without copying it.
extension MemberBytes: ContiguousBytes {}
