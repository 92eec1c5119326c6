#ifndef DATACOMP_CSNAPPY_SHIM_H
#define DATACOMP_CSNAPPY_SHIM_H
#include <snappy-c.h>
#endif
