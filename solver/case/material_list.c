/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "material_library.h"
#include <stdio.h>

/* npp -materials: the material library as a Markdown table (docs/materials.md holds it, and a
   test keeps the two equal). */
PetscErrorCode NppMaterialListPrint(MPI_Comm comm)
{
  static const char *const kinds[] = {"single-ion", "salt", "inert"};
  static const char *const laws[]  = {"-", "Arrhenius", "Arrhenius (sigma T)", "VTF"};

  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(comm, "| name | phase | kind | sigma (S/m) | at (C) | law | Ea (eV) | t+ | c (mol/m^3) | eps_r | sigma_e (S/m) | density (g/cm^3) | source | assumed |\n"));
  PetscCall(PetscPrintf(comm, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"));
  for (int k = 0; k < NppMaterialPresetCount(); k++) {
    const NppMaterialPreset *p = NppMaterialPresetGet(k);
    /* plain C formatting: PETSc's %g prints "25." for 25 */
    char s[32], T[32], t[32] = "-", c[32] = "-", e[32] = "-", se[32] = "-", d[32] = "-", ea[32] = "-";
    snprintf(s, sizeof s, "%g", p->conductivity);
    snprintf(T, sizeof T, "%g", p->Tref - 273.15);
    if (p->transference > 0) snprintf(t, sizeof t, "%g", p->transference);
    if (p->concentration > 0) snprintf(c, sizeof c, "%g", p->concentration);
    if (p->permittivity > 0) snprintf(e, sizeof e, "%g", p->permittivity);
    if (p->electronic_conductivity > 0) snprintf(se, sizeof se, "%g", p->electronic_conductivity);
    if (p->density > 0) snprintf(d, sizeof d, "%g", p->density);
    if (p->law == NPP_LAW_ARRHENIUS || p->law == NPP_LAW_ARRHENIUS_SIGMA_T) snprintf(ea, sizeof ea, "%g", p->Ea);
    PetscCall(PetscPrintf(comm, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", p->name, p->description, kinds[p->kind], s, T, laws[p->law], ea, t, c, e, se, d, p->source, p->assumed[0] ? p->assumed : "-"));
  }
  PetscFunctionReturn(0);
}
