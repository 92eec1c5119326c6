#ifndef DATACOMP_CPNG_SHIM_H
#define DATACOMP_CPNG_SHIM_H
#include <png.h>
#endif
