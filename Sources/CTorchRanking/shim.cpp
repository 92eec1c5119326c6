// torch.topk on the CPU for largest=True, sorted=True, as ATen's topk_impl_loop computes it
// (aten/src/ATen/native/TopKImpl.h): (value widened to double, index) pairs; std::partial_sort
// when k * 64 <= n, otherwise std::nth_element at k - 1 and std::sort of the first k - 1.
#include "CTorchRanking.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace {
using Element = std::pair<double, int64_t>;

bool larger(const Element &x, const Element &y) {
    return (std::isnan(x.first) && !std::isnan(y.first)) || (x.first > y.first);
}
}  // namespace

extern "C" void ctr_topk_largest(const float *values, int64_t rows, int64_t columns, int64_t k, int64_t *indices) {
    if (k <= 0 || columns <= 0) return;
    std::vector<Element> queue(static_cast<size_t>(columns));
    const bool use_partial_sort = k * 64 <= columns;
    for (int64_t row = 0; row < rows; ++row) {
        const float *source = values + row * columns;
        for (int64_t j = 0; j < columns; ++j) queue[j] = Element(static_cast<double>(source[j]), j);
        if (use_partial_sort) {
            std::partial_sort(queue.begin(), queue.begin() + k, queue.end(), larger);
        } else {
            std::nth_element(queue.begin(), queue.begin() + k - 1, queue.end(), larger);
            std::sort(queue.begin(), queue.begin() + k - 1, larger);
        }
        for (int64_t j = 0; j < k; ++j) indices[row * k + j] = queue[j].second;
    }
}
