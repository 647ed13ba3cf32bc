/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_KINETICS_H
#define NPP_KINETICS_H
/* Electrode kinetics (pure C, SI or consistently scaled units).

   Butler-Volmer, Newman's convention: the current density i leaving the electrode into the
   electrolyte (anodic, Li -> Li+ + e-, positive) at surface overpotential eta (in units of the
   thermal voltage RT/F) is
       i = i0 [exp(aa eta) - exp(-ac eta)],
   eta = (phi_s - phi_e)/V_T - ln(c/c_ref): electrode minus electrolyte potential, minus the
   concentration (Nernst) term. */

/* i and di/deta. */
double NppButlerVolmer(double i0, double aa, double ac, double eta, double *di_deta);

/* With a film (SEI) resistance r in series (r = R_film i-scale / V_T, i.e. eta_film = r i): the
   current i solving i = BV(eta - r i), and di/deta (the total overpotential eta). Monotone in
   eta, solved by safeguarded Newton to round-off. r = 0 gives NppButlerVolmer. */
double NppButlerVolmerFilm(double i0, double aa, double ac, double r, double eta, double *di_deta);

/* Inverse for the symmetric case aa = ac = a: eta = asinh(i / (2 i0)) / a. */
double NppButlerVolmerInverseSymmetric(double i0, double a, double i);

#endif
