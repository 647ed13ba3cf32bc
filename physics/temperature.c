/* SPDX-License-Identifier: BSD-2-Clause */
#include "temperature.h"
#include <math.h>

#define NPP_BOLTZMANN_EV 8.617333262e-5 /* eV/K */

double NppConductivityFactor(const NppTemperatureLaw *l, double T)
{
  if (!(T > 0) || !(l->Tref > 0)) return NAN;
  switch (l->law) {
  case NPP_LAW_NONE:
    return 1.0;
  case NPP_LAW_ARRHENIUS:
    return exp(-l->Ea / NPP_BOLTZMANN_EV * (1 / T - 1 / l->Tref));
  case NPP_LAW_ARRHENIUS_SIGMA_T:
    return l->Tref / T * exp(-l->Ea / NPP_BOLTZMANN_EV * (1 / T - 1 / l->Tref));
  case NPP_LAW_VTF:
    if (!(T > l->T0) || !(l->Tref > l->T0)) return NAN;
    return exp(-l->B / (T - l->T0) + l->B / (l->Tref - l->T0));
  }
  return NAN;
}
