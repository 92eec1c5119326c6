// DataCompTraining builds on the core tensors, images and shards; the CLIP trainer is added by
// the training milestone (see its DocC catalog). Importing it today gives the core layer.
@_exported import DataCompCore
