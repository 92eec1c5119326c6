#ifndef DATACOMP_CZSTD_SHIM_H
#define DATACOMP_CZSTD_SHIM_H
#include <zstd.h>
#endif
