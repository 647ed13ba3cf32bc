/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_SG_FLUX_H
#define NPP_SG_FLUX_H

/* Bernoulli function B(x) = x / (e^x - 1): accurate to machine precision near 0 (series),
   and free of overflow for large |x| (B -> 0 for x -> +inf, B -> -x for x -> -inf). */
double NppBernoulli(double x);
/* dB/dx, with the same care. */
double NppBernoulliDeriv(double x);

/* Scharfetter-Gummel flux (per unit transmissibility T = A D / d) of a species from cell K to
   cell L, with dpsi = psi_L - psi_K the jump of the dimensionless electrochemical driving
   potential psi = z F phi / RT + mu0 / RT along the face:
     N = T [ B(dpsi) cK - B(-dpsi) cL ].
   Exact for the 1D steady flux between the two points; N = 0 at equilibrium
   cL / cK = exp(-dpsi). Evaluated as T [B(|dpsi|)(cK - cL) - dpsi c_upwind], free of
   cancellation when cK ~ cL (pure drift, an ohmic current). Optional outputs: derivatives with respect to cK, cL and dpsi. */
double NppSGFlux(double T, double cK, double cL, double dpsi, double *dcK, double *dcL, double *ddpsi);

#endif
