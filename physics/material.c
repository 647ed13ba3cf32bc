#include "material.h"
#include <math.h>
#include <stdio.h>

int NppMaterialCheck(const NppMaterial *m, char *msg, size_t len)
{
  if (!(m->conductivity > 0.0) || !isfinite(m->conductivity)) {
    snprintf(msg, len, "conductivity = %g S/m must be positive and finite", m->conductivity);
    return 1;
  }
  return 0;
}
