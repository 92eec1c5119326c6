// DataCompEval builds on the core images and shards; the zero-shot evaluators are added by
// the evaluation milestone (see its DocC catalog). Importing it today gives the core layer.
@_exported import DataCompCore
