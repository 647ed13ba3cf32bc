/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "constants.h"
#include "transport.h"

/* Species of the case and the physical model: -species_names, -species_<s>_charge,
   -physics_electroneutral, -physics_temperature, -physics_reference_concentration and
   -physics_reference_length (used by NppPhysicsScale once the mesh is known). */
PetscErrorCode NppPhysicsSetUp(MPI_Comm comm, const NppCase *cs, NppPhysics *ph)
{
  char     *names[NPP_MAX_SPECIES + 1];
  PetscInt  n   = NPP_MAX_SPECIES + 1;
  PetscBool set = PETSC_FALSE, help, placeholders, hasL;

  PetscFunctionBeginUser;
  PetscCall(NppCaseHelp(cs, &help, &placeholders));
  PetscOptionsBegin(comm, "species_", "Species (-species_*)", NULL);
  PetscCall(NppOptionsStringArray(PetscOptionsObject, "-names", "mobile species", "-", "li,anion", names, &n, &set));
  PetscOptionsEnd();
  if (!set) { /* default: Li+ and the TFSI- anion */
    n = placeholders ? 1 : 2;
    PetscCall(PetscStrallocpy(placeholders ? "<s>" : "li", &names[0]));
    if (!placeholders) PetscCall(PetscStrallocpy("anion", &names[1]));
  }
  if (n < 1 || n > NPP_MAX_SPECIES) NppInputError(comm, "-species_names", "%s%d species given; between 1 and %d are supported (NPP_MAX_SPECIES)", n > NPP_MAX_SPECIES ? "more than " : "", (int)PetscMin(n, NPP_MAX_SPECIES), NPP_MAX_SPECIES);
  ph->nspecies = n;
  for (PetscInt i = 0; i < n; i++) {
    char prefix[256], key[256];
    PetscCall(PetscStrncpy(ph->sp[i].name, names[i], sizeof ph->sp[i].name));
    for (PetscInt j = 0; j < i; j++) {
      PetscBool same;
      PetscCall(PetscStrcmp(names[i], names[j], &same));
      if (same) NppInputError(comm, "-species_names", "species '%s' is listed twice", names[i]);
    }
    ph->sp[i].z = i == 0 ? 1 : -1; /* default: the first a cation, the others anions */
    PetscCall(PetscSNPrintf(prefix, sizeof prefix, "species_%s_", names[i]));
    PetscCall(PetscSNPrintf(key, sizeof key, "-%scharge", prefix));
    PetscOptionsBegin(comm, prefix, "Species (-species_<s>_*)", NULL);
    PetscCall(NppOptionsReal(PetscOptionsObject, "-charge", "charge number (default +1 for the first species, -1 for the others)", "-", ph->sp[i].z, &ph->sp[i].z, NULL));
    PetscOptionsEnd();
    if (ph->sp[i].z == 0 || PetscIsInfOrNanReal(ph->sp[i].z) || PetscAbsReal(ph->sp[i].z) > 10) NppInputError(comm, key, "%g is not a valid charge number (a non-zero integer)", (double)ph->sp[i].z);
    PetscCall(PetscFree(names[i]));
  }
  ph->electroneutral = PETSC_TRUE;
  ph->T              = 298.15;
  ph->cref           = 1000.0; /* 1 mol/L */
  ph->Lref           = 0;      /* 0: the mean cell size (NppPhysicsScale) */
  PetscOptionsBegin(comm, "physics_", "Model (-physics_*)", NULL);
  PetscCall(NppOptionsBool(PetscOptionsObject, "-electroneutral", "electroneutral model (device scale) or Poisson (false: resolves space charge; cells finer than the Debye length)", "-", ph->electroneutral, &ph->electroneutral, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-temperature", "temperature", "K", ph->T, &ph->T, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-reference_concentration", "scaling of the concentration unknowns", "mol/m^3", ph->cref, &ph->cref, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-reference_length", "scaling of the rows (default 0: the mean cell size)", "m", ph->Lref, &ph->Lref, &hasL));
  PetscOptionsEnd();
  if (!(ph->T > 0) || PetscIsInfOrNanReal(ph->T)) NppInputError(comm, "-physics_temperature", "%g K must be positive", (double)ph->T);
  ph->VT = NppThermalVoltage(ph->T);
  if (!(ph->cref > 0) || PetscIsInfOrNanReal(ph->cref)) NppInputError(comm, "-physics_reference_concentration", "%g mol/m^3 must be positive", (double)ph->cref);
  if (hasL && !(ph->Lref > 0)) NppInputError(comm, "-physics_reference_length", "%g m must be positive", (double)ph->Lref);
  PetscFunctionReturn(0);
}

/* Reference length (mean cell size unless given) and diffusivity (largest of the case) fix the
   scaling of the residual rows; called once the materials are known. */
PetscErrorCode NppPhysicsScale(NppModel *model, const NppDisc *disc)
{
  NppPhysics *ph    = &model->phys;
  PetscInt    dim   = disc->geom->dim;
  PetscReal   vol   = 0;
  PetscInt    cells = 0;

  PetscFunctionBeginUser;
  for (PetscInt r = 0; r < model->nregions; r++) vol += model->regionVolume[r], cells += model->regionCells[r];
  if (ph->Lref == 0) ph->Lref = PetscPowReal(vol / cells, 1.0 / dim); /* not given */
  ph->Dref = 0;
  for (PetscInt r = 0; r < model->nregions; r++)
    for (PetscInt i = 0; i < ph->nspecies; i++) ph->Dref = PetscMax(ph->Dref, model->mat[r].D[i]);
  ph->speciesScale  = ph->Dref * ph->cref * PetscPowReal(ph->Lref, dim - 2);
  ph->poissonScale  = NPP_EPS0 * ph->VT * PetscPowReal(ph->Lref, dim - 2);
  ph->poissonCharge = NPP_FARADAY * ph->cref / (NPP_EPS0 * ph->VT);
  PetscFunctionReturn(0);
}
