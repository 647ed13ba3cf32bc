#include "npp.h"

/* Cell control of an electrode: potentiostatic (-bc_<b>_potential, V) or galvanostatic
   (-bc_<b>_current_density, the mean current density in A/m^2, Newman's sign: positive anodic,
   i.e. Li stripped from this electrode), optionally stepped by -bc_<b>_current_density_step every
   -bc_<b>_current_step_time s and reversed every -bc_<b>_current_reversal_time s (schedule.h).
   A galvanostatic electrode's potential is a global unknown; -bc_<b>_potential is then its
   initial guess. */
static PetscErrorCode ReadControl(Npp npp, NppBoundary *bc)
{
  NppCurrentSchedule *s = &bc->schedule;
  char                key[256];
  PetscBool           set, hasStep, hasTime, hasRev;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_density", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &s->base, &bc->galvanostatic));
  if (bc->galvanostatic && PetscIsInfOrNanReal(s->base)) NppInputError(npp->comm, key, "%g A/m^2 is not finite", (double)s->base);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_density_step", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &s->step, &hasStep));
  if (hasStep && PetscIsInfOrNanReal(s->step)) NppInputError(npp->comm, key, "%g A/m^2 is not finite", (double)s->step);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_step_time", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &s->step_time, &hasTime));
  if (hasTime && !(s->step_time > 0 && s->step_time < PETSC_MAX_REAL)) NppInputError(npp->comm, key, "%g s must be positive", (double)s->step_time);
  if (hasStep != hasTime) NppInputError(npp->comm, hasStep ? key : "-bc_<b>_current_density_step", "electrode '%s': give both -bc_%s_current_density_step and -bc_%s_current_step_time", bc->name, bc->name, bc->name);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_reversal_time", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &s->reversal_time, &hasRev));
  if (hasRev && !(s->reversal_time > 0 && s->reversal_time < PETSC_MAX_REAL)) NppInputError(npp->comm, key, "%g s must be positive", (double)s->reversal_time);
  if ((hasStep || hasRev) && !bc->galvanostatic) NppInputError(npp->comm, key, "electrode '%s': a current schedule needs -bc_%s_current_density", bc->name, bc->name);
  set = bc->hasPotential;
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_potential", bc->name));
  if (!set && !bc->galvanostatic) NppInputError(npp->comm, key, "missing: electrode '%s' needs its electrode potential in V (potentiostatic) or -bc_%s_current_density in A/m^2 (galvanostatic)", bc->name, bc->name);
  if (bc->galvanostatic) bc->hasPotential = PETSC_FALSE; /* the potential is solved for; a given value is its initial guess */
  PetscFunctionReturn(0);
}

/* A Li-metal electrode: -bc_<b>_exchange_current_density (A/m^2) makes boundary b one, with
   -bc_<b>_potential its electrode potential, -bc_<b>_transfer_coefficient (both, default 0.5) or
   -bc_<b>_anodic/_cathodic_transfer_coefficient, -bc_<b>_exchange_current_exponent (i0 ~ c^x,
   default 0), -bc_<b>_film_resistance (SEI, Ohm m^2), -bc_<b>_electrode_species (default the
   first species). */
static PetscErrorCode ReadElectrode(Npp npp, NppBoundary *bc)
{
  NppPhysics *ph = &npp->phys;
  char        key[256], sp[NPP_NAME_LEN];
  PetscBool   set;
  PetscReal   a = 0.5;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_exchange_current_density", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &bc->i0, &bc->electrode));
  if (!bc->electrode) {
    PetscBool galv;
    PetscReal i;
    PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_density", bc->name));
    PetscCall(PetscOptionsGetReal(NULL, NULL, key, &i, &galv));
    if (galv) NppInputError(npp->comm, key, "%g A/m^2: boundary '%s' is not an electrode; a current density needs its kinetics, -bc_%s_exchange_current_density", (double)i, bc->name, bc->name);
    PetscFunctionReturn(0);
  }
  if (!(bc->i0 > 0) || PetscIsInfOrNanReal(bc->i0)) NppInputError(npp->comm, key, "%g A/m^2 must be positive and finite", (double)bc->i0);
  PetscCall(ReadControl(npp, bc));
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_transfer_coefficient", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &a, NULL));
  bc->alphaA = bc->alphaC = a;
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_anodic_transfer_coefficient", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &bc->alphaA, NULL));
  if (!(bc->alphaA > 0 && bc->alphaA < 1)) NppInputError(npp->comm, key, "%g must lie in (0, 1)", (double)bc->alphaA);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_cathodic_transfer_coefficient", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &bc->alphaC, NULL));
  if (!(bc->alphaC > 0 && bc->alphaC < 1)) NppInputError(npp->comm, key, "%g must lie in (0, 1)", (double)bc->alphaC);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_exchange_current_exponent", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &bc->i0Exponent, NULL));
  if (!(bc->i0Exponent >= 0 && bc->i0Exponent <= 2)) NppInputError(npp->comm, key, "%g must lie in [0, 2]", (double)bc->i0Exponent);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_film_resistance", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &bc->filmResistance, NULL));
  if (!(bc->filmResistance >= 0) || PetscIsInfOrNanReal(bc->filmResistance)) NppInputError(npp->comm, key, "%g Ohm m^2 must be non-negative and finite", (double)bc->filmResistance);
  PetscCall(PetscStrncpy(sp, ph->sp[0].name, sizeof sp));
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_electrode_species", bc->name));
  PetscCall(PetscOptionsGetString(NULL, NULL, key, sp, sizeof sp, &set));
  bc->electrodeSpecies = -1;
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    PetscBool same;
    PetscCall(PetscStrcmp(sp, ph->sp[i].name, &same));
    if (same) bc->electrodeSpecies = i;
  }
  if (bc->electrodeSpecies < 0) NppInputError(npp->comm, key, "'%s' is not a species of the case", sp);
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    if (bc->type[i] != NPP_SPECIES_BLOCKING && !bc->bulkValue[i]) {
      PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_exchange_current_density", bc->name));
      NppInputError(npp->comm, key, "%g: electrode '%s' sets the flux of '%s' by its kinetics; remove its concentration or flux condition", (double)bc->i0, bc->name, ph->sp[i].name);
    }
    bc->type[i] = NPP_SPECIES_BLOCKING, bc->bulkValue[i] = PETSC_FALSE;
  }
  PetscFunctionReturn(0);
}

/* Named boundaries: -bc_<b>_potential (V) fixes the potential; per species
   -bc_<b>_<s>_concentration (mol/m^3, a reservoir), -bc_<b>_<s>_flux (mol m^-2 s^-1 leaving the
   domain) or -bc_<b>_<s>_blocking. A species with no key is exchanged with a reservoir at the
   bulk concentration of the adjacent region where the potential is fixed (an ohmic contact), and
   blocked elsewhere. Faces of no named boundary are insulating and blocking. */
static PetscErrorCode ReadBoundary(Npp npp, NppBoundary *bc)
{
  NppPhysics *ph = &npp->phys;
  char        key[256];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_potential", bc->name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &bc->potential, &bc->hasPotential));
  if (bc->hasPotential && PetscIsInfOrNanReal(bc->potential)) NppInputError(npp->comm, key, "%g is not a finite potential", (double)bc->potential);
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    const char *s = ph->sp[i].name;
    PetscReal   v;
    PetscBool   blocking = PETSC_FALSE, hasc, hasf, hasb;
    bc->type[i]      = bc->hasPotential ? NPP_SPECIES_CONCENTRATION : NPP_SPECIES_BLOCKING;
    bc->bulkValue[i] = bc->hasPotential;
    PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_%s_blocking", bc->name, s));
    PetscCall(PetscOptionsGetBool(NULL, NULL, key, &blocking, &hasb));
    if (hasb && blocking) bc->type[i] = NPP_SPECIES_BLOCKING, bc->bulkValue[i] = PETSC_FALSE;
    PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_%s_concentration", bc->name, s));
    PetscCall(PetscOptionsGetReal(NULL, NULL, key, &v, &hasc));
    if (hasc) {
      if (!(v >= 0) || PetscIsInfOrNanReal(v)) NppInputError(npp->comm, key, "%g mol/m^3 must be non-negative and finite", (double)v);
      if (hasb && blocking) NppInputError(npp->comm, key, "%g: species '%s' cannot be both blocked and held at a concentration on boundary '%s'", (double)v, s, bc->name);
      bc->type[i] = NPP_SPECIES_CONCENTRATION, bc->value[i] = v, bc->bulkValue[i] = PETSC_FALSE;
    }
    PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_%s_flux", bc->name, s));
    PetscCall(PetscOptionsGetReal(NULL, NULL, key, &v, &hasf));
    if (hasf) {
      if (PetscIsInfOrNanReal(v)) NppInputError(npp->comm, key, "%g mol m^-2 s^-1 is not finite", (double)v);
      if (hasc || (hasb && blocking)) NppInputError(npp->comm, key, "%g: give one condition for species '%s' on boundary '%s' (flux, concentration or blocking)", (double)v, s, bc->name);
      bc->type[i] = NPP_SPECIES_FLUX, bc->value[i] = v, bc->bulkValue[i] = PETSC_FALSE;
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppBoundariesSetUp(Npp npp)
{
  NppFVGeom g  = npp->geom;
  PetscInt  ns = npp->phys.nspecies, nf = g->nfaces;
  char     *names[64];
  PetscInt  n = 64;
  PetscBool set;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc4(nf, &npp->faceBC, nf, &npp->phiHasValue, nf, &npp->phiValue, nf, &npp->faceElectrode));
  PetscCall(PetscCalloc4(ns * nf, &npp->cHasValue, ns * nf, &npp->cValue, ns * nf, &npp->cHasFlux, ns * nf, &npp->cFlux));
  for (PetscInt f = 0; f < nf; f++) npp->faceBC[f] = -1, npp->faceElectrode[f] = -1, npp->phiHasValue[f] = PETSC_FALSE, npp->phiValue[f] = 0;
  npp->phiScale = npp->chargeScale = 1.0;
  PetscCall(PetscOptionsGetStringArray(NULL, NULL, "-bc_names", names, &n, &set));
  if (!set) n = 0;
  npp->nbc = n;
  PetscCall(PetscCalloc1(n ? n : 1, &npp->bc));
  for (PetscInt b = 0; b < n; b++) {
    NppBoundary *bc = &npp->bc[b];
    DMLabel      label;
    PetscReal    a[4] = {0, 0, 0, 0}, A[4];
    PetscInt     count = 0, total;

    PetscCall(PetscStrncpy(bc->name, names[b], sizeof bc->name));
    PetscCall(ReadBoundary(npp, bc));
    PetscCall(ReadElectrode(npp, bc));
    PetscCall(DMGetLabel(npp->dm, names[b], &label));
    for (PetscInt f = 0; f < nf && label; f++) {
      const NppFace *fc = &g->faces[f];
      PetscInt       v, r;
      if (fc->L >= 0) continue;
      PetscCall(DMLabelGetValue(label, g->fStart + f, &v));
      if (v == -1) continue;
      r               = npp->cellRegion[fc->K];
      npp->faceBC[f]  = b;
      if (bc->electrode) npp->faceElectrode[f] = b;
      else if (bc->hasPotential) npp->phiHasValue[f] = PETSC_TRUE, npp->phiValue[f] = bc->potential / npp->phys.VT;
      for (PetscInt i = 0; i < ns; i++) {
        if (!npp->mat[r].present[i]) continue;
        if (bc->type[i] == NPP_SPECIES_CONCENTRATION) npp->cHasValue[i * nf + f] = PETSC_TRUE, npp->cValue[i * nf + f] = bc->bulkValue[i] ? 1.0 : bc->value[i] / npp->mat[r].c[i];
        if (bc->type[i] == NPP_SPECIES_FLUX) npp->cHasFlux[i * nf + f] = PETSC_TRUE, npp->cFlux[i * nf + f] = bc->value[i] * fc->area / npp->phys.speciesScale;
      }
      if (!g->owned[fc->K]) continue;
      count++;
      a[0] += fc->area;
      for (int i = 0; i < 3; i++) a[1 + i] += fc->area * fc->centroid[i];
    }
    PetscCall(MPIU_Allreduce(&count, &total, 1, MPIU_INT, MPI_SUM, npp->comm));
    if (!total) {
      char have[1024];
      PetscCall(NppLabelNames(npp->dm, 1, have, sizeof have));
      NppInputError(npp->comm, "-bc_names", "boundary '%s' is not a boundary of the mesh %s (its face groups: %s)", names[b], npp->meshInfo.file, have);
    }
    PetscCall(MPIU_Allreduce(a, A, 4, MPIU_REAL, MPIU_SUM, npp->comm));
    bc->area = A[0];
    for (int i = 0; i < 3; i++) bc->centroid[i] = A[1 + i] / A[0];
    PetscCall(PetscFree(names[b]));
  }
  /* galvanostatic electrodes: one global unknown each, and a potential reference elsewhere */
  {
    PetscBool reference = PETSC_FALSE;
    for (PetscInt b = 0; b < n; b++) {
      if (npp->bc[b].galvanostatic) npp->bc[b].unknown = npp->nglobal++;
      else if (npp->bc[b].hasPotential) reference = PETSC_TRUE;
    }
    PetscCall(PetscCalloc3(npp->nglobal + 1, &npp->globalValue, npp->nglobal + 1, &npp->globalSum, npp->nglobal + 1, &npp->globalBC));
    for (PetscInt b = 0; b < n; b++)
      if (npp->bc[b].galvanostatic) {
        npp->globalBC[npp->bc[b].unknown]    = b;
        npp->globalValue[npp->bc[b].unknown] = npp->bc[b].potential / npp->phys.VT; /* initial guess */
        if (!reference) {
          char key[256];
          PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_density", npp->bc[b].name));
          NppInputError(npp->comm, key, "%g A/m^2: a galvanostatic electrode needs a potential reference: another boundary with -bc_<name>_potential (e.g. the counter electrode at 0 V)", (double)npp->bc[b].schedule.base);
        }
      }
  }
  PetscFunctionReturn(0);
}
