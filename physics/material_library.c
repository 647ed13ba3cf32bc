#include "material_library.h"
#include <strings.h>

/* SEI phases. None of the seed papers measures SEI conductivities (../shared/reference,
   "What the papers do not give"); these are the middle of the literature ranges collected there
   (LiF 1e-13..1e-9, LiI ~1e-7, Li3N ~1e-3 S/cm), as single-ion Li+ conductors. */
static const NppMaterialPreset Presets[] = {
  {"lif", "LiF-rich SEI", 1, 1e-7, 9.0, "order of magnitude: upper end of 1e-13..1e-9 S/cm; eps_r of crystalline LiF ~9"},
  {"li3n", "Li3N-rich SEI", 1, 0.1, 10.0, "order of magnitude: ~1e-3 S/cm; eps_r assumed"},
  {"lii", "LiI-rich SEI", 1, 1e-5, 11.0, "order of magnitude: ~1e-7 S/cm; eps_r assumed"},
};

const NppMaterialPreset *NppMaterialPresetFind(const char *name)
{
  for (size_t k = 0; k < sizeof Presets / sizeof Presets[0]; k++)
    if (!strcasecmp(name, Presets[k].name)) return &Presets[k];
  return NULL;
}

const char *NppMaterialPresetNames(void)
{
  return "lif, li3n, lii";
}

void NppMaterialPresetApply(const NppMaterialPreset *p, NppMaterialInput *in)
{
  if (!in->has_conductivity) in->conductivity = p->conductivity, in->has_conductivity = 1;
  if (!in->has_permittivity) in->permittivity = p->permittivity, in->has_permittivity = 1;
}
