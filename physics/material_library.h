/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_MATERIAL_LIBRARY_H
#define NPP_MATERIAL_LIBRARY_H
/* Named materials (pure C): -region_<r>_material <name> fills what the case does not give.
   Every value carries its source (a seed paper's DOI and figure or table) or is marked assumed,
   with the reason, in `source` and `assumed`; docs/materials.md lists them all. A case may
   override any value with its -region_<r>_* key. */
#include "material.h"
#include "temperature.h"

typedef enum {
  NPP_PHASE_SINGLE_ION, /* Li+ on an immobile anion lattice (t+ = 1): ceramics, sulfides, halides, SEI phases */
  NPP_PHASE_SALT,       /* a polymer or gel with a dissolved salt: Li+ and its anion mobile */
  NPP_PHASE_INERT       /* ion-blocking: not meshed, its surfaces are insulating walls */
} NppPhaseKind;

typedef struct {
  const char        *name;
  const char        *description;
  NppPhaseKind       kind;
  double             conductivity;            /* ionic, S/m, at Tref (0 for inert phases) */
  double             Tref;                    /* K */
  NppConductivityLaw law;                     /* temperature law of the conductivity */
  double             Ea;                      /* eV (Arrhenius laws) */
  double             vtf_B, vtf_T0;           /* K (VTF) */
  double             transference;            /* salts: Li+ transference number (0: not known) */
  double             concentration;           /* salts: salt concentration, mol/m^3 (0: not known) */
  double             permittivity;            /* relative (0: not known) */
  double             electronic_conductivity; /* S/m (0: not known or negligible) */
  double             density;                 /* g/cm^3, for weight-to-volume fractions (0: not known) */
  const char        *source;                  /* where the numbers come from */
  const char        *assumed;                 /* which values are assumptions, and why ("" if none) */
} NppMaterialPreset;

/* The preset of that name (case-insensitive), or NULL. */
const NppMaterialPreset *NppMaterialPresetFind(const char *name);
/* The k-th preset (0 <= k < NppMaterialPresetCount()), for listings and tests. */
int                      NppMaterialPresetCount(void);
const NppMaterialPreset *NppMaterialPresetGet(int k);
/* Comma-separated names, for error messages. */
const char *NppMaterialPresetNames(void);
/* Fills what the case did not give: conductivity, permittivity, electronic conductivity, and for
   a salt modelled with two mobile species (two concentrations given) its transference number.
   Species concentrations stay the case's choice: without them a region conducts as one species,
   which is what a bulk (impedance) conductivity measures. The temperature law is read with
   NppMaterialPresetLaw. Returns non-zero for an inert phase (nothing to fill: it is not meshed). */
int NppMaterialPresetApply(const NppMaterialPreset *p, NppMaterialInput *in);
/* The preset's temperature law (law NONE if it has none). */
NppTemperatureLaw NppMaterialPresetLaw(const NppMaterialPreset *p);

#endif
