/* SPDX-License-Identifier: BSD-2-Clause */
#include "face_kernels.h"
#include "kinetics.h"
#include "sg_flux.h"
#include <math.h>

double NppConductionFlux(double T, double uK, double uL, double *duK, double *duL)
{
  if (duK) *duK = T;
  if (duL) *duL = -T;
  return T * (uK - uL);
}

double NppSpeciesFlux(double T, double z, double cK, double pK, double thK, double cL, double pL, double thL, NppSpeciesFluxDeriv *d)
{
  const double dpsi = z * (pL - pK) + thL - thK;
  double       dcK, dcL, ddpsi;
  const double N = NppSGFlux(T, cK, cL, dpsi, &dcK, &dcL, &ddpsi);
  if (d) d->dcK = dcK, d->dcL = dcL, d->dpK = -z * ddpsi, d->dpL = z * ddpsi;
  return N;
}

double NppGivenFlux(double s, double value)
{
  return s * value;
}

void NppElectrodeFaceFlux(const NppElectrodeFaceParams *p, double pK, double lnc, double phis, NppElectrodeFace *out)
{
  const double e   = exp(lnc);
  const double cs  = e < p->cmin ? p->cmin : e; /* (not fmax: a NaN stays a NaN and is seen) */
  const double i0  = p->i0 * (p->i0Exponent != 0.0 ? pow(cs, p->i0Exponent) : 1.0);
  const double eta = phis - pK - log(cs) / p->z;
  double       didn;
  const double cur = NppButlerVolmerFilm(i0, p->aa, p->ac, p->r, eta, &didn);
  /* d cur = didn d(eta) + cur x (1 - r didn) d(ln c)   (the second through i0 = i0 c^x) */
  const double a = p->i0Exponent != 0.0 ? cur * p->i0Exponent * (1 - p->r * didn) : 0.0;
  out->current   = cur;
  out->N         = p->scale * cur;
  out->eta       = eta - p->r * cur;
  out->c         = cs;
  out->dphis     = p->scale * didn;
  out->dpK       = -p->scale * didn;
  out->dlnc      = p->scale * (-didn / p->z + a);
}
