/* SPDX-License-Identifier: BSD-2-Clause */
#include "transport.h"
#include "constants.h"
#include <math.h>

double NppThermalVoltage(double T)
{
  return NPP_GAS_CONST * T / NPP_FARADAY;
}

double NppConductivityNernstEinstein(int n, const double z[], const double D[], const double c[], double T)
{
  double s = 0;
  for (int i = 0; i < n; i++) s += z[i] * z[i] * D[i] * c[i];
  return NPP_FARADAY * NPP_FARADAY / (NPP_GAS_CONST * T) * s;
}

double NppDiffusivityNernstEinstein(double sigma, double t, double z, double c, double T)
{
  return t * sigma * NPP_GAS_CONST * T / (NPP_FARADAY * NPP_FARADAY * z * z * c);
}

double NppDebyeLength(double eps_r, double T, int n, const double z[], const double c[])
{
  double I = 0;
  for (int i = 0; i < n; i++) I += 0.5 * z[i] * z[i] * c[i];
  return sqrt(NPP_EPS0 * eps_r * NPP_GAS_CONST * T / (2.0 * NPP_FARADAY * NPP_FARADAY * I));
}
