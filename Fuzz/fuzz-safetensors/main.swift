// libFuzzer target: safetensors headers (strict JSON, offsets, dtypes, shapes).
import DataCompCore
import _FuzzSupport

FuzzDriver.run { bytes in
    _ = try SafetensorsFile.parse(bytes)
}
