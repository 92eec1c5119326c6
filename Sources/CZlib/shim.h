#ifndef DATACOMP_CZLIB_SHIM_H
#define DATACOMP_CZLIB_SHIM_H
#include <zlib.h>
#endif
