/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_MATERIAL_H
#define NPP_MATERIAL_H
#include <stddef.h>

#define NPP_NAME_LEN    64
#define NPP_MAX_SPECIES 8

/* What the case gives for the material of one region (SI units). A flag says whether each
   value was given; NppMaterialResolve derives the rest. */
typedef struct {
  int    has_conductivity, has_transference, has_permittivity, has_fixed_charge, has_electronic;
  int    has_any_D;               /* some species' diffusivity is given */
  double conductivity;            /* S m^-1 */
  double electronic_conductivity; /* S m^-1, >= 0 (0: no electron transport) */
  double transference;            /* transference number of the first mobile species (binary salts) */
  double permittivity;            /* relative, eps_r */
  double fixed_charge;            /* immobile background charge density, C m^-3 */
  int    has_D[NPP_MAX_SPECIES], has_c[NPP_MAX_SPECIES], has_mu0[NPP_MAX_SPECIES];
  double D[NPP_MAX_SPECIES];   /* diffusivity, m^2 s^-1 */
  double c[NPP_MAX_SPECIES];   /* bulk concentration, mol m^-3 (0: the species is absent) */
  double mu0[NPP_MAX_SPECIES]; /* standard chemical potential, J mol^-1 */
} NppMaterialInput;

/* Transport properties of the material filling one region, complete and checked. */
typedef struct {
  char   name[NPP_NAME_LEN]; /* region name, as in the mesh */
  int    nspecies;           /* species of the case (present or not) */
  int    present[NPP_MAX_SPECIES];
  double D[NPP_MAX_SPECIES];      /* m^2 s^-1; 0 where absent */
  double c[NPP_MAX_SPECIES];      /* bulk concentration, mol m^-3; 0 where absent */
  double mu0[NPP_MAX_SPECIES];    /* J mol^-1 */
  double permittivity;            /* relative */
  double fixed_charge;            /* C m^-3 */
  double conductivity;            /* Nernst-Einstein sum F^2/RT sum z^2 D c, S m^-1 */
  double electronic_conductivity; /* S m^-1 (0: none) */
} NppMaterial;

/* Completes a material from its input. Species present: those with a positive concentration;
   if no concentration is given, the material is a single-ion conductor of the first species at
   the reference concentration cref. Diffusivities are given, or derived from the conductivity
   by Nernst-Einstein (one species: all the current; two: split by the transference number).
   The fixed charge defaults to -F sum z c (bulk electroneutral: a single-ion conductor's anion
   lattice; zero for a salt). On bad input returns non-zero, with the offending key (without
   the region prefix, e.g. "conductivity" or "li_diffusivity") in key and a one-line reason. */
int NppMaterialResolve(int nspecies, const char *const species[], const double z[], double cref, double T, const NppMaterialInput *in, NppMaterial *m, char *key, size_t keylen, char *msg, size_t len);

#endif
