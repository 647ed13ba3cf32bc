#include "npp.h"
#include "constants.h"
#include "transport.h"

/* Species of the case and the physical model: -species_names, -species_<s>_charge,
   -physics_electroneutral, -physics_temperature, -physics_reference_concentration. */
PetscErrorCode NppPhysicsSetUp(Npp npp)
{
  NppPhysics *ph = &npp->phys;
  char       *names[NPP_MAX_SPECIES + 1];
  PetscInt    n = NPP_MAX_SPECIES + 1;
  PetscBool   set;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetStringArray(NULL, NULL, "-species_names", names, &n, &set));
  if (!set) { /* default: Li+ and the TFSI- anion */
    PetscCall(PetscStrallocpy("li", &names[0]));
    PetscCall(PetscStrallocpy("anion", &names[1]));
    n = 2;
  }
  if (n < 1 || n > NPP_MAX_SPECIES) NppInputError(npp->comm, "-species_names", "%d species given; between 1 and %d are supported", (int)n, NPP_MAX_SPECIES);
  ph->nspecies = n;
  for (PetscInt i = 0; i < n; i++) {
    char key[256];
    PetscCall(PetscStrncpy(ph->sp[i].name, names[i], sizeof ph->sp[i].name));
    for (PetscInt j = 0; j < i; j++) {
      PetscBool same;
      PetscCall(PetscStrcmp(names[i], names[j], &same));
      if (same) NppInputError(npp->comm, "-species_names", "species '%s' is listed twice", names[i]);
    }
    ph->sp[i].z = i == 0 ? 1 : -1; /* default: the first a cation, the others anions */
    PetscCall(PetscSNPrintf(key, sizeof key, "-species_%s_charge", names[i]));
    PetscCall(PetscOptionsGetReal(NULL, NULL, key, &ph->sp[i].z, NULL));
    if (ph->sp[i].z == 0 || PetscIsInfOrNanReal(ph->sp[i].z) || PetscAbsReal(ph->sp[i].z) > 10) NppInputError(npp->comm, key, "%g is not a valid charge number (a non-zero integer)", (double)ph->sp[i].z);
    PetscCall(PetscFree(names[i]));
  }
  ph->electroneutral = PETSC_TRUE;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-physics_electroneutral", &ph->electroneutral, NULL));
  ph->T = 298.15;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-physics_temperature", &ph->T, NULL));
  if (!(ph->T > 0) || PetscIsInfOrNanReal(ph->T)) NppInputError(npp->comm, "-physics_temperature", "%g K must be positive", (double)ph->T);
  ph->VT   = NppThermalVoltage(ph->T);
  ph->cref = 1000.0; /* 1 mol/L */
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-physics_reference_concentration", &ph->cref, NULL));
  if (!(ph->cref > 0) || PetscIsInfOrNanReal(ph->cref)) NppInputError(npp->comm, "-physics_reference_concentration", "%g mol/m^3 must be positive", (double)ph->cref);
  PetscFunctionReturn(0);
}

/* Reference length (mean cell size unless given) and diffusivity (largest of the case) fix the
   scaling of the residual rows; called once the materials are known. */
PetscErrorCode NppPhysicsScale(Npp npp)
{
  NppPhysics *ph  = &npp->phys;
  PetscInt    dim = npp->geom->dim;
  PetscReal   vol = 0;
  PetscInt    cells = 0;

  PetscFunctionBeginUser;
  for (PetscInt r = 0; r < npp->nregions; r++) vol += npp->regionVolume[r], cells += npp->regionCells[r];
  ph->Lref = PetscPowReal(vol / cells, 1.0 / dim);
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-physics_reference_length", &ph->Lref, NULL));
  if (!(ph->Lref > 0)) NppInputError(npp->comm, "-physics_reference_length", "%g m must be positive", (double)ph->Lref);
  ph->Dref = 0;
  for (PetscInt r = 0; r < npp->nregions; r++)
    for (PetscInt i = 0; i < ph->nspecies; i++) ph->Dref = PetscMax(ph->Dref, npp->mat[r].D[i]);
  ph->speciesScale  = ph->Dref * ph->cref * PetscPowReal(ph->Lref, dim - 2);
  ph->poissonScale  = NPP_EPS0 * ph->VT * PetscPowReal(ph->Lref, dim - 2);
  ph->poissonCharge = NPP_FARADAY * ph->cref / (NPP_EPS0 * ph->VT);
  PetscFunctionReturn(0);
}
