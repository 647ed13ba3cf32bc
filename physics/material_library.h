#ifndef NPP_MATERIAL_LIBRARY_H
#define NPP_MATERIAL_LIBRARY_H
/* Named materials (pure C): -region_<r>_material <name> fills what the case does not give.
   Values are at 298 K with their source or the assumption behind them (docs/user-guide.md);
   every one can be overridden by its -region_<r>_* key. */
#include "material.h"

typedef struct {
  const char *name;
  const char *description;
  int         single_ion;   /* 1: Li+ on an immobile anion lattice (t+ = 1) */
  double      conductivity; /* S/m */
  double      permittivity; /* relative */
  const char *source;
} NppMaterialPreset;

/* The preset of that name (case-insensitive), or NULL. */
const NppMaterialPreset *NppMaterialPresetFind(const char *name);
/* Comma-separated names, for error messages. */
const char *NppMaterialPresetNames(void);
/* Fills the conductivity and permittivity of in where the case gave none. */
void NppMaterialPresetApply(const NppMaterialPreset *p, NppMaterialInput *in);

#endif
