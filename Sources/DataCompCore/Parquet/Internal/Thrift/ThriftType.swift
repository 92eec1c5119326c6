/// Wire types of the Thrift compact protocol.
package enum ThriftType {
    package static let stop: UInt8 = 0
    package static let boolTrue: UInt8 = 1
    package static let boolFalse: UInt8 = 2
    package static let byte: UInt8 = 3
    package static let i16: UInt8 = 4
    package static let i32: UInt8 = 5
    package static let i64: UInt8 = 6
    package static let double: UInt8 = 7
    package static let binary: UInt8 = 8
    package static let list: UInt8 = 9
    package static let set: UInt8 = 10
    package static let map: UInt8 = 11
    package static let `struct`: UInt8 = 12
}
