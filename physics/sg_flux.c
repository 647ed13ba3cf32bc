/* SPDX-License-Identifier: BSD-2-Clause */
#include "sg_flux.h"
#include <math.h>

/* Below this |x| the series is more accurate than x / expm1(x) (cancellation-free either way,
   but the series is exact to round-off there and avoids a division of tiny numbers). */
#define NPP_B_SERIES 1e-3

double NppBernoulli(double x)
{
  if (fabs(x) < NPP_B_SERIES) {
    const double x2 = x * x;
    return 1.0 - 0.5 * x + x2 / 12.0 - x2 * x2 / 720.0;
  }
  if (x > 700.0) return x * exp(-x); /* expm1 would overflow */
  return x / expm1(x);
}

double NppBernoulliDeriv(double x)
{
  if (fabs(x) < NPP_B_SERIES) return -0.5 + x / 6.0 - x * x * x / 180.0;
  if (x > 700.0) return (1.0 - x) * exp(-x);
  const double em1 = expm1(x);
  /* d/dx [x/(e^x-1)] = (e^x - 1 - x e^x) / (e^x - 1)^2 = B/x - B^2 e^x / x ... written stably: */
  const double B = x / em1;
  return B / x * (1.0 - B * (em1 + 1.0));
}

double NppSGFlux(double T, double cK, double cL, double dpsi, double *dcK, double *dcL, double *ddpsi)
{
  const double Bp = NppBernoulli(dpsi), Bm = NppBernoulli(-dpsi);
  if (dcK) *dcK = T * Bp;
  if (dcL) *dcL = -T * Bm;
  if (ddpsi) *ddpsi = T * (NppBernoulliDeriv(dpsi) * cK + NppBernoulliDeriv(-dpsi) * cL);
  /* B(-x) = B(x) + x: the drift part is separated from the difference cK - cL, so that a
     nearly uniform concentration (an ohmic current) carries no cancellation error. */
  return dpsi >= 0 ? T * (Bp * (cK - cL) - dpsi * cL) : T * (Bm * (cK - cL) - dpsi * cK);
}
