/* SPDX-License-Identifier: BSD-2-Clause */
#include "fv_flux.h"

double NppTransmissibility(double A, double kK, double dK, double kL, double dL)
{
  double r = dK / kK; /* resistance of the K half, per unit area */
  if (dL > 0.0) r += dL / kL;
  return A / r;
}
