/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"

/* What the keys of one boundary give, before they are checked. */
typedef struct {
  PetscBool hasBlocking[NPP_MAX_SPECIES], blocking[NPP_MAX_SPECIES], hasC[NPP_MAX_SPECIES], hasFlux[NPP_MAX_SPECIES];
  PetscReal c[NPP_MAX_SPECIES], flux[NPP_MAX_SPECIES];
  PetscBool hasCurrent, hasStep, hasTime, hasRev, hasSpecies;
  PetscReal current, alpha;
  char      species[NPP_NAME_LEN];
} BoundaryKeys;

/* The keys of boundary b, in one block (-bc_<b>_*):
   - -bc_<b>_potential (V) fixes the potential; per species -bc_<b>_<s>_concentration (mol/m^3, a
     reservoir), -bc_<b>_<s>_flux (mol m^-2 s^-1 leaving the domain) or -bc_<b>_<s>_blocking. A
     species with no key is exchanged with a reservoir at the bulk concentration of the adjacent
     region where the potential is fixed (an ohmic contact), and blocked elsewhere.
   - A Li-metal electrode: -bc_<b>_exchange_current_density (A/m^2) makes b one, with
     -bc_<b>_transfer_coefficient (both, default 0.5) or -bc_<b>_anodic/_cathodic_transfer_coefficient,
     -bc_<b>_exchange_current_exponent (i0 ~ c^x, default 0), -bc_<b>_film_resistance (SEI, Ohm m^2),
     -bc_<b>_electrode_species (default the first species). Its cell control is potentiostatic
     (-bc_<b>_potential) or galvanostatic (-bc_<b>_current_density, the mean current density in A/m^2,
     Newman's sign: positive anodic, i.e. Li stripped from this electrode), optionally stepped by
     -bc_<b>_current_density_step every -bc_<b>_current_step_time s and reversed every
     -bc_<b>_current_reversal_time s (schedule.h); a galvanostatic electrode's potential is a global
     unknown, -bc_<b>_potential its initial guess.
   The electrode's keys are read only for an electrode (else they are unknown keys), or with list
   (-help). */
static PetscErrorCode ReadBoundaryKeys(MPI_Comm comm, const NppPhysics *ph, NppBoundary *bc, PetscBool list, BoundaryKeys *k)
{
  NppCurrentSchedule *s = &bc->schedule;
  char                prefix[256], title[300], key[256];

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(k, sizeof *k));
  PetscCall(PetscSNPrintf(prefix, sizeof prefix, "bc_%s_", bc->name));
  PetscCall(PetscSNPrintf(title, sizeof title, "Boundary %s (-bc_<b>_*)", bc->name));
  PetscOptionsBegin(comm, prefix, title, NULL);
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-potential", "potential (an electrode's potential: potentiostatic; for a galvanostatic electrode the initial guess)", "V", &bc->potential, &bc->hasPotential));
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    const char *sp = ph->sp[i].name;
    PetscCall(PetscSNPrintf(key, sizeof key, "-%s_blocking", sp));
    PetscCall(NppOptionsBool(PetscOptionsObject, key, "the species cannot cross", "-", k->blocking[i], &k->blocking[i], &k->hasBlocking[i]));
    PetscCall(PetscSNPrintf(key, sizeof key, "-%s_concentration", sp));
    PetscCall(NppOptionsRealOptional(PetscOptionsObject, key, "the species held at this concentration (a reservoir)", "mol/m^3", &k->c[i], &k->hasC[i]));
    PetscCall(PetscSNPrintf(key, sizeof key, "-%s_flux", sp));
    PetscCall(NppOptionsRealOptional(PetscOptionsObject, key, "normal flux of the species leaving the domain (negative: injected)", "mol m^-2 s^-1", &k->flux[i], &k->hasFlux[i]));
  }
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-exchange_current_density", "makes the boundary a Butler-Volmer Li-metal electrode: exchange current density at the bulk concentration", "A/m^2", &bc->i0, &bc->electrode));
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-current_density", "galvanostatic electrode: mean current density over its area, Newman's sign (positive anodic: Li stripped from it)", "A/m^2", &k->current, &k->hasCurrent));
  if (bc->electrode || list) {
    k->alpha = 0.5;
    PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-current_density_step", "add this much to the current density every -bc_<b>_current_step_time (off: none)", "A/m^2", &s->step, &k->hasStep));
    PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-current_step_time", "period of the current steps (off: none)", "s", &s->step_time, &k->hasTime));
    PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-current_reversal_time", "reverse the current every so many seconds (off: none)", "s", &s->reversal_time, &k->hasRev));
    PetscCall(NppOptionsReal(PetscOptionsObject, "-transfer_coefficient", "alpha_a = alpha_c", "-", k->alpha, &k->alpha, NULL));
    bc->alphaA = bc->alphaC = k->alpha;
    PetscCall(NppOptionsReal(PetscOptionsObject, "-anodic_transfer_coefficient", "alpha_a alone (default -bc_<b>_transfer_coefficient)", "-", bc->alphaA, &bc->alphaA, NULL));
    PetscCall(NppOptionsReal(PetscOptionsObject, "-cathodic_transfer_coefficient", "alpha_c alone (default -bc_<b>_transfer_coefficient)", "-", bc->alphaC, &bc->alphaC, NULL));
    PetscCall(NppOptionsReal(PetscOptionsObject, "-exchange_current_exponent", "i0 ~ (c/c_bulk)^x, in [0, 2]", "-", bc->i0Exponent, &bc->i0Exponent, NULL));
    PetscCall(NppOptionsReal(PetscOptionsObject, "-film_resistance", "SEI film in series", "Ohm m^2", bc->filmResistance, &bc->filmResistance, NULL));
    PetscCall(PetscStrncpy(k->species, ph->sp[0].name, sizeof k->species));
    PetscCall(PetscOptionsString("-electrode_species", "the species that reacts (default the first)", "-", ph->sp[0].name, k->species, sizeof k->species, &k->hasSpecies));
  }
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/* Named boundaries: the species conditions. Faces of no named boundary are insulating and
   blocking. */
static PetscErrorCode CheckBoundary(MPI_Comm comm, const NppPhysics *ph, NppBoundary *bc, const BoundaryKeys *k)
{
  char key[256];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_potential", bc->name));
  if (bc->hasPotential && PetscIsInfOrNanReal(bc->potential)) NppInputError(comm, key, "%g is not a finite potential", (double)bc->potential);
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    const char *s = ph->sp[i].name;
    PetscReal   v;
    PetscBool   blocking = k->blocking[i], hasc = k->hasC[i], hasf = k->hasFlux[i], hasb = k->hasBlocking[i];
    bc->type[i]      = bc->hasPotential ? NPP_SPECIES_CONCENTRATION : NPP_SPECIES_BLOCKING;
    bc->bulkValue[i] = bc->hasPotential;
    if (hasb && blocking) bc->type[i] = NPP_SPECIES_BLOCKING, bc->bulkValue[i] = PETSC_FALSE;
    PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_%s_concentration", bc->name, s));
    if (hasc) {
      v = k->c[i];
      if (!(v >= 0) || PetscIsInfOrNanReal(v)) NppInputError(comm, key, "%g mol/m^3 must be non-negative and finite", (double)v);
      if (hasb && blocking) NppInputError(comm, key, "%g: species '%s' cannot be both blocked and held at a concentration on boundary '%s'", (double)v, s, bc->name);
      bc->type[i] = NPP_SPECIES_CONCENTRATION, bc->value[i] = v, bc->bulkValue[i] = PETSC_FALSE;
    }
    PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_%s_flux", bc->name, s));
    if (hasf) {
      v = k->flux[i];
      if (PetscIsInfOrNanReal(v)) NppInputError(comm, key, "%g mol m^-2 s^-1 is not finite", (double)v);
      if (hasc || (hasb && blocking)) NppInputError(comm, key, "%g: give one condition for species '%s' on boundary '%s' (flux, concentration or blocking)", (double)v, s, bc->name);
      bc->type[i] = NPP_SPECIES_FLUX, bc->value[i] = v, bc->bulkValue[i] = PETSC_FALSE;
    }
  }
  PetscFunctionReturn(0);
}

/* Cell control of an electrode: potentiostatic or galvanostatic, with its current schedule. */
static PetscErrorCode CheckControl(MPI_Comm comm, NppBoundary *bc, const BoundaryKeys *k)
{
  NppCurrentSchedule *s = &bc->schedule;
  char                key[256];
  PetscBool           set, hasStep = k->hasStep, hasTime = k->hasTime, hasRev = k->hasRev;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_density", bc->name));
  bc->galvanostatic = k->hasCurrent;
  if (bc->galvanostatic) s->base = k->current;
  if (bc->galvanostatic && PetscIsInfOrNanReal(s->base)) NppInputError(comm, key, "%g A/m^2 is not finite", (double)s->base);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_density_step", bc->name));
  if (hasStep && PetscIsInfOrNanReal(s->step)) NppInputError(comm, key, "%g A/m^2 is not finite", (double)s->step);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_step_time", bc->name));
  if (hasTime && !(s->step_time > 0 && s->step_time < PETSC_MAX_REAL)) NppInputError(comm, key, "%g s must be positive", (double)s->step_time);
  if (hasStep != hasTime) NppInputError(comm, hasStep ? key : "-bc_<b>_current_density_step", "electrode '%s': give both -bc_%s_current_density_step and -bc_%s_current_step_time", bc->name, bc->name, bc->name);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_reversal_time", bc->name));
  if (hasRev && !(s->reversal_time > 0 && s->reversal_time < PETSC_MAX_REAL)) NppInputError(comm, key, "%g s must be positive", (double)s->reversal_time);
  if ((hasStep || hasRev) && !bc->galvanostatic) NppInputError(comm, key, "electrode '%s': a current schedule needs -bc_%s_current_density", bc->name, bc->name);
  set = bc->hasPotential;
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_potential", bc->name));
  if (!set && !bc->galvanostatic) NppInputError(comm, key, "missing: electrode '%s' needs its electrode potential in V (potentiostatic) or -bc_%s_current_density in A/m^2 (galvanostatic)", bc->name, bc->name);
  if (bc->galvanostatic) bc->hasPotential = PETSC_FALSE; /* the potential is solved for; a given value is its initial guess */
  PetscFunctionReturn(0);
}

/* A Li-metal electrode's kinetics. */
static PetscErrorCode CheckElectrode(MPI_Comm comm, const NppPhysics *ph, NppBoundary *bc, const BoundaryKeys *k)
{
  char key[256];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_exchange_current_density", bc->name));
  if (!bc->electrode) {
    PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_density", bc->name));
    if (k->hasCurrent) NppInputError(comm, key, "%g A/m^2: boundary '%s' is not an electrode; a current density needs its kinetics, -bc_%s_exchange_current_density", (double)k->current, bc->name, bc->name);
    PetscFunctionReturn(0);
  }
  if (!(bc->i0 > 0) || PetscIsInfOrNanReal(bc->i0)) NppInputError(comm, key, "%g A/m^2 must be positive and finite", (double)bc->i0);
  PetscCall(CheckControl(comm, bc, k));
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_anodic_transfer_coefficient", bc->name));
  if (!(bc->alphaA > 0 && bc->alphaA < 1)) NppInputError(comm, key, "%g must lie in (0, 1)", (double)bc->alphaA);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_cathodic_transfer_coefficient", bc->name));
  if (!(bc->alphaC > 0 && bc->alphaC < 1)) NppInputError(comm, key, "%g must lie in (0, 1)", (double)bc->alphaC);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_exchange_current_exponent", bc->name));
  if (!(bc->i0Exponent >= 0 && bc->i0Exponent <= 2)) NppInputError(comm, key, "%g must lie in [0, 2]", (double)bc->i0Exponent);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_film_resistance", bc->name));
  if (!(bc->filmResistance >= 0) || PetscIsInfOrNanReal(bc->filmResistance)) NppInputError(comm, key, "%g Ohm m^2 must be non-negative and finite", (double)bc->filmResistance);
  PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_electrode_species", bc->name));
  bc->electrodeSpecies = -1;
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    PetscBool same;
    PetscCall(PetscStrcmp(k->species, ph->sp[i].name, &same));
    if (same) bc->electrodeSpecies = i;
  }
  if (bc->electrodeSpecies < 0) NppInputError(comm, key, "'%s' is not a species of the case", k->species);
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    if (bc->type[i] != NPP_SPECIES_BLOCKING && !bc->bulkValue[i]) {
      PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_exchange_current_density", bc->name));
      NppInputError(comm, key, "%g: electrode '%s' sets the flux of '%s' by its kinetics; remove its concentration or flux condition", (double)bc->i0, bc->name, ph->sp[i].name);
    }
    bc->type[i] = NPP_SPECIES_BLOCKING, bc->bulkValue[i] = PETSC_FALSE;
  }
  PetscFunctionReturn(0);
}

/* -bc_names: at most 64 boundaries. */
#define NPP_MAX_BOUNDARIES 64
static PetscErrorCode ReadBoundaryNames(MPI_Comm comm, const NppCase *cs, char *names[], PetscInt *n)
{
  PetscBool set = PETSC_FALSE, help, placeholders;

  PetscFunctionBeginUser;
  PetscCall(NppCaseHelp(cs, &help, &placeholders));
  *n = NPP_MAX_BOUNDARIES + 1;
  PetscOptionsBegin(comm, "bc_", "Boundaries (-bc_*)", NULL);
  PetscCall(NppOptionsStringArray(PetscOptionsObject, "-names", "boundaries (mesh physical groups) with a condition; the others are insulating and blocking", "-", "none", names, n, &set));
  PetscOptionsEnd();
  if (!set) *n = 0;
  if (*n > NPP_MAX_BOUNDARIES) NppInputError(comm, "-bc_names", "more than %d boundaries (NPP_MAX_BOUNDARIES)", NPP_MAX_BOUNDARIES);
  if (!set && placeholders) {
    *n = 1;
    PetscCall(PetscStrallocpy("<b>", &names[0]));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppBoundariesOptions(MPI_Comm comm, const NppCase *cs, const NppPhysics *ph)
{
  char    *names[NPP_MAX_BOUNDARIES + 1];
  PetscInt n;

  PetscFunctionBeginUser;
  PetscCall(ReadBoundaryNames(comm, cs, names, &n));
  for (PetscInt b = 0; b < n; b++) {
    NppBoundary  bc;
    BoundaryKeys k;
    PetscCall(PetscMemzero(&bc, sizeof bc));
    PetscCall(PetscStrncpy(bc.name, names[b], sizeof bc.name));
    PetscCall(ReadBoundaryKeys(comm, ph, &bc, PETSC_TRUE, &k));
    PetscCall(PetscFree(names[b]));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppBoundariesSetUp(MPI_Comm comm, const NppCase *cs, const NppMeshInfo *mesh, NppModel *model, NppDisc *disc)
{
  NppFVGeom g  = disc->geom;
  PetscInt  ns = model->phys.nspecies, nf = g->nfaces;
  char     *names[NPP_MAX_BOUNDARIES + 1];
  PetscInt  n;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc4(nf, &disc->faceBC, nf, &disc->phiHasValue, nf, &disc->phiValue, nf, &disc->faceElectrode));
  PetscCall(PetscCalloc4(ns * nf, &disc->cHasValue, ns * nf, &disc->cValue, ns * nf, &disc->cHasFlux, ns * nf, &disc->cFlux));
  for (PetscInt f = 0; f < nf; f++) disc->faceBC[f] = -1, disc->faceElectrode[f] = -1, disc->phiHasValue[f] = PETSC_FALSE, disc->phiValue[f] = 0;
  PetscCall(ReadBoundaryNames(comm, cs, names, &n));
  model->nbc = n;
  PetscCall(PetscCalloc1(n ? n : 1, &model->bc));
  for (PetscInt b = 0; b < n; b++) {
    NppBoundary *bc = &model->bc[b];
    DMLabel      label;
    PetscReal    a[4]  = {0, 0, 0, 0}, A[4];
    PetscInt     count = 0, total;

    PetscCall(PetscStrncpy(bc->name, names[b], sizeof bc->name));
    BoundaryKeys keys;
    PetscCall(ReadBoundaryKeys(comm, &model->phys, bc, PETSC_FALSE, &keys));
    PetscCall(CheckBoundary(comm, &model->phys, bc, &keys));
    PetscCall(CheckElectrode(comm, &model->phys, bc, &keys));
    PetscCall(DMGetLabel(disc->dm, names[b], &label));
    for (PetscInt f = 0; f < nf && label; f++) {
      const NppFace *fc = &g->faces[f];
      PetscInt       v, r;
      if (fc->L >= 0) continue;
      PetscCall(DMLabelGetValue(label, g->fStart + f, &v));
      if (v == -1) continue;
      r               = disc->cellRegion[fc->K];
      disc->faceBC[f] = b;
      if (bc->electrode) disc->faceElectrode[f] = b;
      else if (bc->hasPotential) disc->phiHasValue[f] = PETSC_TRUE, disc->phiValue[f] = bc->potential / model->phys.VT;
      for (PetscInt i = 0; i < ns; i++) {
        if (!model->mat[r].present[i]) continue;
        if (bc->type[i] == NPP_SPECIES_CONCENTRATION) disc->cHasValue[i * nf + f] = PETSC_TRUE, disc->cValue[i * nf + f] = bc->bulkValue[i] ? 1.0 : bc->value[i] / model->mat[r].c[i];
        if (bc->type[i] == NPP_SPECIES_FLUX) disc->cHasFlux[i * nf + f] = PETSC_TRUE, disc->cFlux[i * nf + f] = bc->value[i] * fc->area / model->phys.speciesScale;
      }
      if (!g->owned[fc->K]) continue;
      count++;
      a[0] += fc->area;
      for (int i = 0; i < 3; i++) a[1 + i] += fc->area * fc->centroid[i];
    }
    PetscCall(MPIU_Allreduce(&count, &total, 1, MPIU_INT, MPI_SUM, comm));
    if (!total) {
      char have[1024];
      PetscCall(NppLabelNames(disc->dm, 1, have, sizeof have));
      NppInputError(comm, "-bc_names", "boundary '%s' is not a boundary of the mesh %s (its face groups: %s)", names[b], mesh->file, have);
    }
    PetscCall(MPIU_Allreduce(a, A, 4, MPIU_REAL, MPIU_SUM, comm));
    bc->area = A[0];
    for (int i = 0; i < 3; i++) bc->centroid[i] = A[1 + i] / A[0];
    PetscCall(PetscFree(names[b]));
  }
  /* galvanostatic electrodes: one global unknown each, and a potential reference elsewhere */
  {
    PetscBool reference = PETSC_FALSE;
    for (PetscInt b = 0; b < n; b++) {
      if (model->bc[b].galvanostatic) model->bc[b].unknown = disc->nglobal++;
      else if (model->bc[b].hasPotential) reference = PETSC_TRUE;
    }
    PetscCall(PetscCalloc1(disc->nglobal + 1, &disc->globalBC));
    for (PetscInt b = 0; b < n; b++)
      if (model->bc[b].galvanostatic) {
        disc->globalBC[model->bc[b].unknown] = b;
        if (!reference) {
          char key[256];
          PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_current_density", model->bc[b].name));
          NppInputError(comm, key, "%g A/m^2: a galvanostatic electrode needs a potential reference: another boundary with -bc_<name>_potential (e.g. the counter electrode at 0 V)", (double)model->bc[b].schedule.base);
        }
      }
  }
  PetscFunctionReturn(0);
}
