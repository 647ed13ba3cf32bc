/* SPDX-License-Identifier: BSD-2-Clause */
#include "kinetics.h"
#include <math.h>
#include <stddef.h>

double NppButlerVolmer(double i0, double aa, double ac, double eta, double *di_deta)
{
  const double ea = exp(aa * eta), ec = exp(-ac * eta);
  if (di_deta) *di_deta = i0 * (aa * ea + ac * ec);
  return i0 * (expm1(aa * eta) - expm1(-ac * eta)); /* no cancellation near equilibrium */
}

/* g(i) = BV(eta - r i) - i is strictly decreasing in i: bracket the root between 0 and the
   film-only current eta/r (or the kinetic-only current), then Newton with bisection fallback. */
double NppButlerVolmerFilm(double i0, double aa, double ac, double r, double eta, double *di_deta)
{
  double lo, hi, i, d;
  if (r <= 0) return NppButlerVolmer(i0, aa, ac, eta, di_deta);
  {
    const double ikin = NppButlerVolmer(i0, aa, ac, eta, NULL), ifilm = eta / r;
    lo = fmin(0.0, fmin(ikin, ifilm)), hi = fmax(0.0, fmax(ikin, ifilm));
  }
  i = fabs(NppButlerVolmer(i0, aa, ac, eta, NULL)) < fabs(eta / r) ? NppButlerVolmer(i0, aa, ac, eta, NULL) : eta / r;
  for (int k = 0; k < 200; k++) {
    const double g = NppButlerVolmer(i0, aa, ac, eta - r * i, &d) - i, dg = -r * d - 1.0;
    if (g > 0) lo = i;
    else hi = i;
    double next = i - g / dg;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (fabs(next - i) <= 1e-15 * fmax(fabs(i), 1e-300) || hi - lo <= 1e-15 * fmax(fabs(hi), fabs(lo))) {
      i = next;
      break;
    }
    i = next;
  }
  NppButlerVolmer(i0, aa, ac, eta - r * i, &d);
  if (di_deta) *di_deta = d / (1.0 + r * d); /* implicit function theorem */
  return i;
}

double NppButlerVolmerInverseSymmetric(double i0, double a, double i)
{
  return asinh(i / (2.0 * i0)) / a;
}
