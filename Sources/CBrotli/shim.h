#ifndef DATACOMP_CBROTLI_SHIM_H
#define DATACOMP_CBROTLI_SHIM_H
#include <brotli/decode.h>
#endif
