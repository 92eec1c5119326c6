/// PyTorch's `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
/// backward_hooks[, metadata])`: a strided view of a storage, as a C-order ``NPYArray``.
enum PickleTensor {
    static func rebuild(_ arguments: [PickleObject], at offset: Int) throws -> NPYArray {
        guard arguments.count >= 4, case .storage(let storage) = arguments[0].kind,
            case .int(let storageOffset) = arguments[1].kind
        else {
            throw DataCompError(
                .invalidFormat, "_rebuild_tensor needs (storage, offset, size, stride, …)", position: .offset(offset))
        }
        let shape = try integers(arguments[2], what: "size", at: offset)
        let strides = try integers(arguments[3], what: "stride", at: offset)
        guard shape.count == strides.count else {
            throw DataCompError(
                .invalidFormat, "a tensor with \(shape.count) sizes but \(strides.count) strides",
                position: .offset(offset))
        }
        return try StridedCopy.array(
            type: storage.type, shape: shape, strides: strides, offset: storageOffset, elementCount: storage.count,
            bytes: storage.bytes, what: "the tensor")
    }

    /// The non-negative integers of a tuple (a tensor's size or stride).
    static func integers(_ object: PickleObject, what: String, at offset: Int) throws -> [Int] {
        guard case .tuple(let items) = object.kind else {
            throw DataCompError(.invalidFormat, "a tensor's \(what) must be a tuple", position: .offset(offset))
        }
        return try items.map {
            guard case .int(let value) = $0.kind, value >= 0 else {
                throw DataCompError(
                    .invalidFormat, "a tensor's \(what) must hold non-negative integers", position: .offset(offset))
            }
            return value
        }
    }
}

/// Copies a strided view of a buffer into a C-order array, or slices it when it already is one.
enum StridedCopy {
    /// The C-order array of the view `shape`/`strides` (in elements) starting at element
    /// `offset` of `bytes`, which holds `elementCount` elements of `type`.
    ///
    /// - Throws: `corruptData` when the view reaches outside the buffer, `unsupportedFormat`
    ///   when its size overflows.
    static func array(
        type: NPYDataType, shape: [Int], strides: [Int], offset: Int, elementCount: Int, bytes: RawStorage,
        what: String
    ) throws -> NPYArray {
        let item = type.itemSize
        var count = 1
        var lastIndex = offset
        for (size, stride) in zip(shape, strides) {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            let (reach, reachOverflow) = max(size - 1, 0).multipliedReportingOverflow(by: stride)
            guard !overflow, !reachOverflow else {
                throw DataCompError(.unsupportedFormat, "\(what) of shape \(shape) is too large")
            }
            count = product
            lastIndex += reach
        }
        guard offset >= 0, count == 0 || lastIndex < elementCount else {
            throw DataCompError(
                .corruptData,
                "\(what) (shape \(shape), strides \(strides), offset \(offset)) reaches past the \(elementCount) elements of its storage"
            )
        }
        guard count > 0 else { return NPYArray(dataType: type, shape: shape, storage: RawStorage(count: 0) { _ in }) }
        if isCOrder(shape: shape, strides: strides) {
            return NPYArray(
                dataType: type, shape: shape, storage: bytes.slice((offset * item)..<((offset + count) * item)))
        }
        let source = bytes.bytes
        let copy = RawStorage(count: count * item) { destination in
            var index = [Int](repeating: 0, count: shape.count)
            var position = offset
            for element in 0..<count {
                destination.requiredBaseAddress.advanced(by: element * item)
                    .copyMemory(from: source.requiredBaseAddress.advanced(by: position * item), byteCount: item)
                // Next multi-index in C order, moving `position` along the strides.
                var axis = shape.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    position += strides[axis]
                    if index[axis] < shape[axis] { break }
                    position -= strides[axis] * shape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        return NPYArray(dataType: type, shape: shape, storage: copy)
    }

    /// Whether the strides are C order for the shape (axes of size 1 may have any stride).
    static func isCOrder(shape: [Int], strides: [Int]) -> Bool {
        var expected = 1
        for axis in shape.indices.reversed() where shape[axis] != 1 {
            guard strides[axis] == expected else { return false }
            expected *= shape[axis]
        }
        return true
    }
}
