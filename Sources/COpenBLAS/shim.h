#ifndef DATACOMP_COPENBLAS_SHIM_H
#define DATACOMP_COPENBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
