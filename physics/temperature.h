/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_TEMPERATURE_H
#define NPP_TEMPERATURE_H
/* Temperature laws of an ionic conductivity (pure C), each through a reference value sigma_ref
   at T_ref (K):
     Arrhenius in sigma:    sigma   = A exp(-Ea / kT)           (ceramics quoted this way)
     Arrhenius in sigma T:  sigma T = A exp(-Ea / kT)           (the hopping form)
     VTF:                   sigma   = A exp(-B / (T - T0))      (polymers above T_g)
   Ea in eV, B and T0 in K. */

typedef enum {
  NPP_LAW_NONE,
  NPP_LAW_ARRHENIUS,
  NPP_LAW_ARRHENIUS_SIGMA_T,
  NPP_LAW_VTF
} NppConductivityLaw;

typedef struct {
  NppConductivityLaw law;
  double             Tref;  /* K, where sigma_ref holds */
  double             Ea;    /* eV (Arrhenius) */
  double             B, T0; /* K (VTF) */
} NppTemperatureLaw;

/* sigma(T) / sigma(T_ref); non-positive T, or T <= T0 for VTF, give NaN. */
double NppConductivityFactor(const NppTemperatureLaw *law, double T);

#endif
