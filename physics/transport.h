/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_TRANSPORT_H
#define NPP_TRANSPORT_H
/* Material laws linking conductivity, diffusivity and screening (SI units throughout). */

/* Thermal voltage RT/F, V. */
double NppThermalVoltage(double T);

/* Nernst-Einstein: the conductivity of n mobile species of charge numbers z, diffusivities D
   (m^2/s) and concentrations c (mol/m^3): sigma = F^2/(RT) sum z^2 D c, S/m. */
double NppConductivityNernstEinstein(int n, const double z[], const double D[], const double c[], double T);

/* Nernst-Einstein inverted for one species carrying the fraction t of the current (its
   transference number): D = t sigma RT / (F^2 z^2 c). A binary salt of concentration c and Li+
   transference number t+ has D+ = that with t+, D- = that with 1 - t+. */
double NppDiffusivityNernstEinstein(double sigma, double t, double z, double c, double T);

/* Debye length sqrt(eps0 eps_r RT / (2 F^2 I)) with the ionic strength I = 1/2 sum z^2 c of the
   mobile species, m. A 1:1 salt of concentration c gives sqrt(eps0 eps_r RT / (2 F^2 c)); a
   single-ion conductor (only Li+ mobile, on a fixed anion lattice) sqrt(eps0 eps_r RT/(F^2 c)). */
double NppDebyeLength(double eps_r, double T, int n, const double z[], const double c[]);

#endif
