/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_FV_FLUX_H
#define NPP_FV_FLUX_H

/* Two-point transmissibility of a face of area A between two half-cells of
   conductivities kK, kL whose centres lie at normal distances dK, dL from the face:
   the series resistance of the two halves, i.e. the harmonic mean of k weighted by
   distance. It makes the flux continuous across a material interface and is exact
   for 1D piecewise-linear solutions. dL = 0 (boundary face) gives A kK / dK. */
double NppTransmissibility(double A, double kK, double dK, double kL, double dL);

#endif
