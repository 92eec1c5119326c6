// A C interface to libfasttext (C++), for DataCompFilters' language identification. Only
// DataCompFilters/Language/Internal imports it; no C or C++ type reaches a public Swift API.
#ifndef CFASTTEXT_SHIM_H
#define CFASTTEXT_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A loaded fastText model (fasttext::FastText). Predictions on one model may run on several
/// threads at once: FastText::predictLine is const and keeps its state on the stack.
typedef struct cft_model cft_model;

/// Loads a .bin or .ftz model. On failure returns NULL and writes a message into `error`.
cft_model *cft_load(const char *path, char *error, size_t error_capacity);

/// Frees a model from cft_load.
void cft_free(cft_model *model);

/// The number of labels of a supervised model (176 for lid.176).
int cft_label_count(const cft_model *model);

/// Predicts the top `k` labels of one line of UTF-8 text, as the Python binding's
/// `model.predict(text, k, threshold)` does: the text gets a trailing newline and goes through
/// FastText::predictLine. With `replace_newlines`, each '\n' is first replaced by a space (what
/// DataComp does before predicting). Writes up to `k` labels (NUL-terminated, each in a slot of
/// `label_capacity` bytes of `labels`) and their probabilities; returns how many were written,
/// or -1 with a message in `error`.
int cft_predict(
    const cft_model *model, const char *text, size_t length, int replace_newlines, int k, float threshold,
    char *labels, size_t label_capacity, float *probabilities, char *error, size_t error_capacity);

#ifdef __cplusplus
}
#endif

#endif
