// The umbrella module: `import DataComp` brings in every layer of the SDK.
@_exported import DataCompCore
@_exported import DataCompEval
@_exported import DataCompFilters
@_exported import DataCompTraining
