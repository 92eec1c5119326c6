// DataCompFilters builds on the core formats; its filter strategies and baselines are added by
// the filters milestone (see Documentation/Roadmap.md). Importing it today gives the core layer.
@_exported import DataCompCore
