// PyTorch's CPU top-k, reproduced exactly for DataCompEval's metrics: among equal values the
// order torch.topk returns depends on libstdc++'s std::nth_element / std::partial_sort / std::sort,
// so the same calls on the same input give the same order. Only DataCompEval/Metrics/Internal
// imports it; no C or C++ type reaches a public Swift API.
#ifndef CTORCH_RANKING_H
#define CTORCH_RANKING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// For each of `rows` rows of `columns` floats (row-major), writes the indices of the `k` largest
/// values, in the order `torch.topk(values, k, dim=1, largest=True, sorted=True)` returns them on
/// the CPU (NaN counts as the largest). Requires 0 < k <= columns. `indices` holds rows * k values.
void ctr_topk_largest(const float *values, int64_t rows, int64_t columns, int64_t k, int64_t *indices);

#ifdef __cplusplus
}
#endif

#endif
