#ifndef DATACOMP_CLZ4_SHIM_H
#define DATACOMP_CLZ4_SHIM_H
#include <lz4.h>
#endif
