/// The Python globals the restricted unpickler allows, each interpreted by the machine itself.
enum PickleGlobal {
    case orderedDict
    case rebuildTensor
    case rebuildTensorV2
    case rebuildParameter
    case storageType(PickleStorageType)
    case encode
    case numpyDType
    case numpyReconstruct
    case numpyArrayType
    case numpyScalar
    case numpyFromBuffer
    case set
    case frozenSet

    /// Resolves `module.name`, or throws naming the global and why it is refused.
    init(module: String, name: String, at offset: Int) throws {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor"): self = .rebuildTensor
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): self = .rebuildParameter
        case ("_codecs", "encode"): self = .encode
        case ("numpy", "dtype"): self = .numpyDType
        case ("numpy", "ndarray"): self = .numpyArrayType
        case ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"):
            self = .numpyReconstruct
        case ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"): self = .numpyScalar
        case ("numpy.core.numeric", "_frombuffer"), ("numpy._core.numeric", "_frombuffer"): self = .numpyFromBuffer
        case ("builtins", "set"), ("__builtin__", "set"): self = .set
        case ("builtins", "frozenset"), ("__builtin__", "frozenset"): self = .frozenSet
        default:
            if module == "torch", let type = PickleStorageType(name: name) {
                self = .storageType(type)
                return
            }
            throw DataCompError(
                .unsupportedFormat,
                "the pickle refers to the Python global '\(module).\(name)', which this reader does not allow: it reads tensors, NumPy arrays and plain Python data and never runs code from a file; if the file is trusted, re-save its arrays with numpy.save or safetensors",
                position: .offset(offset))
        }
    }

    /// `module.name`, for messages.
    var qualifiedName: String {
        switch self {
        case .orderedDict: "collections.OrderedDict"
        case .rebuildTensor: "torch._utils._rebuild_tensor"
        case .rebuildTensorV2: "torch._utils._rebuild_tensor_v2"
        case .rebuildParameter: "torch._utils._rebuild_parameter"
        case .storageType(let type): "torch.\(type.name)"
        case .encode: "_codecs.encode"
        case .numpyDType: "numpy.dtype"
        case .numpyReconstruct: "numpy.core.multiarray._reconstruct"
        case .numpyArrayType: "numpy.ndarray"
        case .numpyScalar: "numpy.core.multiarray.scalar"
        case .numpyFromBuffer: "numpy.core.numeric._frombuffer"
        case .set: "builtins.set"
        case .frozenSet: "builtins.frozenset"
        }
    }
}

/// A PyTorch storage class named in a `torch.save` persistent id (`torch.FloatStorage`, …).
struct PickleStorageType {
    /// The class name, such as `FloatStorage`.
    let name: String
    /// The element type, or `nil` for one with no NumPy equivalent here (bfloat16, int16, complex).
    let elementType: NPYDataType?

    init?(name: String) {
        let types: [String: NPYDataType?] = [
            "FloatStorage": .float32, "HalfStorage": .float16, "DoubleStorage": .float64, "LongStorage": .int64,
            "IntStorage": .int32, "CharStorage": .int8, "ByteStorage": .uint8, "BoolStorage": .bool,
            "UntypedStorage": .uint8, "ShortStorage": nil, "BFloat16Storage": nil, "ComplexFloatStorage": nil,
            "ComplexDoubleStorage": nil,
        ]
        guard let type = types[name] else { return nil }
        self.name = name
        self.elementType = type
    }
}

/// A loaded tensor storage: its element type, element count and bytes (a view of the archive).
struct PickleStorage {
    let type: NPYDataType
    let count: Int
    let bytes: RawStorage
}
