/* SPDX-License-Identifier: BSD-2-Clause */
#include "material.h"
#include "constants.h"
#include "transport.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static int Fail(char *key, size_t keylen, const char *k, const char *sp, char *msg, size_t len, const char *why, double value)
{
  if (sp) snprintf(key, keylen, "%s_%s", sp, k);
  else snprintf(key, keylen, "%s", k);
  snprintf(msg, len, why, value);
  return 1;
}

static int Positive(double v)
{
  return v > 0.0 && isfinite(v);
}

int NppMaterialResolve(int ns, const char *const sp[], const double z[], double cref, double T, const NppMaterialInput *in, NppMaterial *m, char *key, size_t keylen, char *msg, size_t len)
{
  int anyc = 0, np = 0, first = -1;

  memset(m->present, 0, sizeof m->present);
  m->nspecies = ns;
  for (int i = 0; i < ns; i++) {
    m->D[i] = m->c[i] = 0.0;
    m->mu0[i]         = in->has_mu0[i] ? in->mu0[i] : 0.0;
    if (in->has_mu0[i] && !isfinite(in->mu0[i])) return Fail(key, keylen, "mu0", sp[i], msg, len, "%g J/mol is not finite", in->mu0[i]);
    if (!in->has_c[i]) continue;
    anyc = 1;
    if (!(in->c[i] >= 0.0) || !isfinite(in->c[i])) return Fail(key, keylen, "concentration", sp[i], msg, len, "%g mol/m^3 must be non-negative and finite", in->c[i]);
    if (in->c[i] > 0) m->present[i] = 1, m->c[i] = in->c[i];
  }
  if (!anyc) m->present[0] = 1, m->c[0] = cref; /* single-ion conductor of the first species */
  for (int i = 0; i < ns; i++)
    if (m->present[i]) np++, first = first < 0 ? i : first;
  if (!np) return Fail(key, keylen, "concentration", sp[0], msg, len, "%g: no species is present (give a positive concentration)", 0.0);
  for (int i = 0; i < ns; i++) {
    if (!in->has_D[i]) continue;
    if (!m->present[i]) return Fail(key, keylen, "diffusivity", sp[i], msg, len, "%g m^2/s given for a species that is absent here (give its concentration)", in->D[i]);
    if (!Positive(in->D[i])) return Fail(key, keylen, "diffusivity", sp[i], msg, len, "%g m^2/s must be positive and finite", in->D[i]);
    if (in->has_conductivity) return Fail(key, keylen, "diffusivity", sp[i], msg, len, "%g m^2/s: give either the conductivity or the diffusivities, not both", in->D[i]);
    m->D[i] = in->D[i];
  }
  if (in->has_conductivity) {
    if (!Positive(in->conductivity)) return Fail(key, keylen, "conductivity", NULL, msg, len, "%g S/m must be positive and finite", in->conductivity);
    if (np == 1) {
      if (in->has_transference && in->transference != 1.0) return Fail(key, keylen, "transference_number", NULL, msg, len, "%g: a single mobile species carries all the current (1)", in->transference);
      m->D[first] = NppDiffusivityNernstEinstein(in->conductivity, 1.0, z[first], m->c[first], T);
    } else if (np == 2) {
      int second = -1;
      for (int i = first + 1; i < ns; i++)
        if (m->present[i]) second = i;
      if (!in->has_transference) return Fail(key, keylen, "transference_number", NULL, msg, len, "missing (%g given): a conductivity with two mobile species needs the transference number of the first", 0.0);
      if (!(in->transference > 0 && in->transference < 1)) return Fail(key, keylen, "transference_number", NULL, msg, len, "%g must lie strictly between 0 and 1", in->transference);
      m->D[first]  = NppDiffusivityNernstEinstein(in->conductivity, in->transference, z[first], m->c[first], T);
      m->D[second] = NppDiffusivityNernstEinstein(in->conductivity, 1.0 - in->transference, z[second], m->c[second], T);
    } else return Fail(key, keylen, "conductivity", NULL, msg, len, "%g S/m: with more than two mobile species give each species' diffusivity instead", in->conductivity);
  } else if (in->has_transference) return Fail(key, keylen, "transference_number", NULL, msg, len, "%g given without a conductivity", in->transference);
  for (int i = 0; i < ns; i++)
    if (m->present[i] && !(m->D[i] > 0)) return Fail(key, keylen, "diffusivity", sp[i], msg, len, "missing (%g): give the conductivity of the region or the diffusivity of every species present", 0.0);
  if (in->has_electronic && !(in->electronic_conductivity >= 0 && isfinite(in->electronic_conductivity))) return Fail(key, keylen, "electronic_conductivity", NULL, msg, len, "%g S/m must be non-negative and finite", in->electronic_conductivity);
  m->electronic_conductivity = in->has_electronic ? in->electronic_conductivity : 0.0;
  m->permittivity            = in->has_permittivity ? in->permittivity : 1.0;
  if (in->has_permittivity && !Positive(in->permittivity)) return Fail(key, keylen, "permittivity", NULL, msg, len, "%g must be positive and finite (relative permittivity)", in->permittivity);
  {
    double q = 0;
    for (int i = 0; i < ns; i++) q += z[i] * m->c[i];
    m->fixed_charge = in->has_fixed_charge ? in->fixed_charge : -NPP_FARADAY * q;
    if (!isfinite(m->fixed_charge)) return Fail(key, keylen, "fixed_charge", NULL, msg, len, "%g C/m^3 is not finite", in->fixed_charge);
  }
  m->conductivity = NppConductivityNernstEinstein(ns, z, m->D, m->c, T);
  return 0;
}
