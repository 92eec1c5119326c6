#ifndef DATACOMP_CTURBOJPEG_SHIM_H
#define DATACOMP_CTURBOJPEG_SHIM_H
#include <turbojpeg.h>
#endif
