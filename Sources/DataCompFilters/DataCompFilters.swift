// DataCompFilters builds on the core formats; its filter strategies and baselines are added by
// the filters milestone (see its DocC catalog). Importing it today gives the core layer.
@_exported import DataCompCore
