/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "material_library.h"
#include "temperature.h"

/* Comma-separated names of the mesh labels that hold points of the given height (0: cells,
   1: faces), so that an error can tell the user what the mesh does have. */
PetscErrorCode NppLabelNames(DM dm, PetscInt height, char list[], size_t len)
{
  PetscInt nl, pStart, pEnd;

  PetscFunctionBeginUser;
  list[0] = 0;
  PetscCall(DMGetNumLabels(dm, &nl));
  PetscCall(DMPlexGetHeightStratum(dm, height, &pStart, &pEnd));
  for (PetscInt l = 0; l < nl; l++) {
    const char *name;
    DMLabel     label;
    PetscInt    has = 0, any;
    PetscBool   skip;
    PetscCall(DMGetLabelName(dm, l, &name));
    PetscCall(PetscStrInList(name, "depth,celltype,Cell Sets,Face Sets,Vertex Sets", ',', &skip));
    if (skip) continue;
    PetscCall(DMGetLabel(dm, name, &label));
    for (PetscInt p = pStart; p < pEnd && !has; p++) {
      PetscInt v;
      PetscCall(DMLabelGetValue(label, p, &v));
      has = v != -1;
    }
    PetscCall(MPIU_Allreduce(&has, &any, 1, MPIU_INT, MPI_MAX, PetscObjectComm((PetscObject)dm)));
    if (any) {
      size_t n;
      PetscCall(PetscStrlen(list, &n));
      PetscCall(PetscSNPrintf(list + n, len - n, "%s%s", n ? ", " : "", name));
    }
  }
  PetscFunctionReturn(0);
}

/* Marks the points of [pStart, pEnd) that carry any value of the label: a walk over its strata,
   not a lookup per point (which cost a quarter of the set-up at 400 k cells). */
static PetscErrorCode MarkLabelled(DMLabel label, PetscInt pStart, PetscInt pEnd, PetscBool mark[])
{
  IS              values;
  const PetscInt *v;
  PetscInt        nv;

  PetscFunctionBeginUser;
  PetscCall(DMLabelGetValueIS(label, &values));
  PetscCall(ISGetLocalSize(values, &nv));
  PetscCall(ISGetIndices(values, &v));
  for (PetscInt k = 0; k < nv; k++) {
    IS              points;
    const PetscInt *p;
    PetscInt        np;
    PetscCall(DMLabelGetStratumIS(label, v[k], &points));
    if (!points) continue;
    PetscCall(ISGetLocalSize(points, &np));
    PetscCall(ISGetIndices(points, &p));
    for (PetscInt i = 0; i < np; i++)
      if (p[i] >= pStart && p[i] < pEnd) mark[p[i] - pStart] = PETSC_TRUE;
    PetscCall(ISRestoreIndices(points, &p));
    PetscCall(ISDestroy(&points));
  }
  PetscCall(ISRestoreIndices(values, &v));
  PetscCall(ISDestroy(&values));
  PetscFunctionReturn(0);
}

/* The keys of a region's material, read in one block (-region_<r>_*): a named preset
   (-region_<r>_material, physics/material_library.c), -region_<r>_{conductivity,
   electronic_conductivity, permittivity, transference_number, fixed_charge}, per species
   -region_<r>_<s>_{concentration, diffusivity, mu0}, and the temperature law of the conductivity
   (physics/temperature.c): -region_<r>_conductivity_law none | arrhenius | arrhenius_sigma_t | vtf
   with -region_<r>_activation_energy (eV) or -region_<r>_vtf_b and -region_<r>_vtf_t0 (K); the given
   conductivity (and diffusivities) hold at -region_<r>_reference_temperature (K, default 298.15).
   The preset's law is the default. */
typedef struct {
  NppMaterialInput         in;
  const NppMaterialPreset *preset;
  PetscBool                hasMaterial, lawKnown, hasTref, hasEa, hasB, hasT0;
  char                     material[NPP_NAME_LEN], lawGiven[64];
  NppTemperatureLaw        law;
} RegionKeys;

static PetscErrorCode ReadRegionKeys(MPI_Comm comm, const NppPhysics *ph, const char name[], RegionKeys *k)
{
  static const char *const Laws[] = {"none", "arrhenius", "arrhenius_sigma_t", "vtf"};
  NppMaterialInput        *in     = &k->in;
  char                     prefix[256], title[300];
  PetscInt                 l;
  PetscBool                has;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(k, sizeof *k));
  k->law = (NppTemperatureLaw){NPP_LAW_NONE, 298.15, 0, 0, 0};
  PetscCall(PetscSNPrintf(prefix, sizeof prefix, "region_%s_", name));
  PetscCall(PetscSNPrintf(title, sizeof title, "Region %s (-region_<r>_*)", name));
  PetscOptionsBegin(comm, prefix, title, NULL);
  PetscCall(PetscOptionsString("-material", "a named material of the library (npp -materials, docs/materials.md); the keys below override it", "-", "", k->material, sizeof k->material, &k->hasMaterial));
  if (k->hasMaterial) k->preset = NppMaterialPresetFind(k->material);
  if (k->preset) k->law = NppMaterialPresetLaw(k->preset);
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-conductivity", "ionic conductivity (> 0); alone: a single-ion conductor of the first species", "S/m", &in->conductivity, &has));
  in->has_conductivity = has;
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-electronic_conductivity", "electronic conductivity (>= 0; default 0 or the preset's): turns on the electronic leakage solve", "S/m", &in->electronic_conductivity, &has));
  in->has_electronic = has;
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-permittivity", "relative permittivity (Poisson model)", "-", &in->permittivity, &has));
  in->has_permittivity = has;
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-transference_number", "transference number of the first species, for a binary salt given by its conductivity", "-", &in->transference, &has));
  in->has_transference = has;
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-fixed_charge", "immobile charge density (default -F sum z c_bulk: bulk neutral)", "C/m^3", &in->fixed_charge, &has));
  in->has_fixed_charge = has;
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    const char *sp = ph->sp[i].name;
    char        key[128];
    PetscCall(PetscSNPrintf(key, sizeof key, "-%s_concentration", sp));
    PetscCall(NppOptionsRealOptional(PetscOptionsObject, key, "bulk concentration of the species (0: absent; also the initial state)", "mol/m^3", &in->c[i], &has));
    in->has_c[i] = has;
    PetscCall(PetscSNPrintf(key, sizeof key, "-%s_diffusivity", sp));
    PetscCall(NppOptionsRealOptional(PetscOptionsObject, key, "diffusivity of the species, instead of the conductivity", "m^2/s", &in->D[i], &has));
    in->has_D[i] = has;
    PetscCall(PetscSNPrintf(key, sizeof key, "-%s_mu0", sp));
    PetscCall(NppOptionsRealOptional(PetscOptionsObject, key, "standard chemical potential of the species (its jump between regions forms space-charge layers)", "J/mol", &in->mu0[i], &has));
    in->has_mu0[i] = has;
    in->has_any_D  = in->has_any_D || in->has_D[i];
  }
  l = k->law.law;
  PetscCall(NppOptionsChoice(PetscOptionsObject, "-conductivity_law", "temperature law of the conductivity (default the preset's or none)", "-", Laws, 4, &l, k->lawGiven, sizeof k->lawGiven, &k->lawKnown, NULL));
  k->law.law = (NppConductivityLaw)l;
  PetscCall(NppOptionsReal(PetscOptionsObject, "-reference_temperature", "where the given conductivity and diffusivities hold", "K", k->law.Tref, &k->law.Tref, &k->hasTref));
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-activation_energy", "Ea of the Arrhenius laws", "eV", &k->law.Ea, &k->hasEa));
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-vtf_b", "B of the VTF law", "K", &k->law.B, &k->hasB));
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-vtf_t0", "T0 of the VTF law", "K", &k->law.T0, &k->hasT0));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/* Carries the given conductivity (and diffusivities) from the law's reference temperature to
   -physics_temperature. Diffusivities scale with sigma T (Nernst-Einstein), so the resolved
   conductivity follows the law. */
static PetscErrorCode ApplyTemperatureLaw(MPI_Comm comm, const NppPhysics *ph, const char name[], const RegionKeys *k, NppMaterialInput *in)
{
  NppConductivityLaw presetLaw = k->preset ? NppMaterialPresetLaw(k->preset).law : NPP_LAW_NONE;
  NppTemperatureLaw  law       = k->law;
  char               key[256];
  PetscBool          has;
  PetscReal          v, f;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_conductivity_law", name));
  if (!k->lawKnown) NppInputError(comm, key, "unknown law '%s' (choose none, arrhenius, arrhenius_sigma_t or vtf)", k->lawGiven);
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_reference_temperature", name));
  if (!(law.Tref > 0)) NppInputError(comm, key, "%g K must be positive", (double)law.Tref);
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_activation_energy", name));
  v = law.Ea, has = (PetscBool)(k->hasEa || presetLaw == NPP_LAW_ARRHENIUS || presetLaw == NPP_LAW_ARRHENIUS_SIGMA_T);
  if (law.law == NPP_LAW_ARRHENIUS || law.law == NPP_LAW_ARRHENIUS_SIGMA_T) {
    if (!has) NppInputError(comm, key, "missing: the Arrhenius law of region '%s' needs its activation energy in eV", name);
    if (!(v >= 0 && v < 5)) NppInputError(comm, key, "%g eV must lie in [0, 5)", (double)v);
  }
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_vtf_b", name));
  v = law.B, has = (PetscBool)(k->hasB || presetLaw == NPP_LAW_VTF);
  if (law.law == NPP_LAW_VTF && !(has && v > 0)) NppInputError(comm, key, "missing or not positive: the VTF law of region '%s' needs its pseudo-activation B in K", name);
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_vtf_t0", name));
  v = law.T0, has = (PetscBool)(k->hasT0 || presetLaw == NPP_LAW_VTF);
  if (law.law == NPP_LAW_VTF && !(has && v >= 0)) NppInputError(comm, key, "missing: the VTF law of region '%s' needs its T0 in K", name);
  if (law.law == NPP_LAW_NONE) PetscFunctionReturn(0);
  f = NppConductivityFactor(&law, ph->T);
  if (!(f > 0) || PetscIsInfOrNanReal(f)) NppInputError(comm, "-physics_temperature", "%g K: the VTF law of region '%s' needs T above T0 = %g K (and T_ref = %g K above it)", (double)ph->T, name, (double)law.T0, (double)law.Tref);
  if (in->has_conductivity) in->conductivity *= f;
  for (PetscInt i = 0; i < ph->nspecies; i++)
    if (in->has_D[i]) in->D[i] *= f * ph->T / law.Tref;
  PetscFunctionReturn(0);
}

/* A region's material: what the case gives wins over the preset, whose temperature law applies
   unless the case gives its own. */
static PetscErrorCode ReadMaterial(MPI_Comm comm, const NppPhysics *ph, const char name[], NppMaterial *m)
{
  RegionKeys       k;
  NppMaterialInput in;
  const char      *sp[NPP_MAX_SPECIES];
  double           z[NPP_MAX_SPECIES];
  char             key[128], msg[512], full[256];

  PetscFunctionBeginUser;
  PetscCall(ReadRegionKeys(comm, ph, name, &k));
  in = k.in;
  for (PetscInt i = 0; i < ph->nspecies; i++) sp[i] = ph->sp[i].name, z[i] = ph->sp[i].z;
  if (k.hasMaterial) {
    PetscCall(PetscSNPrintf(full, sizeof full, "-region_%s_material", name));
    if (!k.preset) NppInputError(comm, full, "unknown material '%s' (known: %s)", k.material, NppMaterialPresetNames());
    if (NppMaterialPresetApply(k.preset, &in)) NppInputError(comm, full, "'%s' is an inert, ion-blocking phase: leave it out of the mesh (its surfaces are then insulating walls, as the scaffold generator does) and out of -region_names", k.material);
  }
  if (!in.has_conductivity && !in.has_any_D) {
    PetscCall(PetscSNPrintf(full, sizeof full, "-region_%s_conductivity", name));
    NppInputError(comm, full, "missing: give the ionic conductivity of region '%s' in S/m (or its species' diffusivities, or a -region_%s_material)", name, name);
  }
  PetscCall(ApplyTemperatureLaw(comm, ph, name, &k, &in));
  if (NppMaterialResolve((int)ph->nspecies, sp, z, ph->cref, ph->T, &in, m, key, sizeof key, msg, sizeof msg)) {
    PetscCall(PetscSNPrintf(full, sizeof full, "-region_%s_%s", name, key));
    NppInputError(comm, full, "%s", msg);
  }
  PetscCall(PetscStrncpy(m->name, name, sizeof m->name));
  PetscFunctionReturn(0);
}

/* -region_names: at most 64 regions (the regions' output ids are small integers). */
#define NPP_MAX_REGIONS 64
static PetscErrorCode ReadRegionNames(MPI_Comm comm, const NppCase *cs, char *names[], PetscInt *n, PetscBool *set)
{
  PetscBool help, placeholders;

  PetscFunctionBeginUser;
  PetscCall(NppCaseHelp(cs, &help, &placeholders));
  *n = NPP_MAX_REGIONS + 1;
  PetscOptionsBegin(comm, "region_", "Regions (-region_*)", NULL);
  PetscCall(NppOptionsStringArray(PetscOptionsObject, "-names", "the regions (mesh physical groups) and the order of their ids in the output (required)", "-", "none", names, n, set));
  PetscOptionsEnd();
  if (*set && *n > NPP_MAX_REGIONS) NppInputError(comm, "-region_names", "more than %d regions (NPP_MAX_REGIONS)", NPP_MAX_REGIONS);
  if (!*set && placeholders) {
    *n = 1, *set = PETSC_TRUE;
    PetscCall(PetscStrallocpy("<r>", &names[0]));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppRegionsOptions(MPI_Comm comm, const NppCase *cs, const NppPhysics *ph)
{
  char     *names[NPP_MAX_REGIONS + 1];
  PetscInt  n;
  PetscBool set;

  PetscFunctionBeginUser;
  PetscCall(ReadRegionNames(comm, cs, names, &n, &set));
  for (PetscInt r = 0; set && r < n; r++) {
    RegionKeys k;
    PetscCall(ReadRegionKeys(comm, ph, names[r], &k));
    PetscCall(PetscFree(names[r]));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppRegionsSetUp(MPI_Comm comm, const NppCase *cs, const NppMeshInfo *mesh, NppModel *model, NppDisc *disc)
{
  NppFVGeom  g = disc->geom;
  PetscBool *inRegion;
  char      *names[NPP_MAX_REGIONS + 1];
  PetscInt   n, unassigned = 0, total;
  PetscBool  set;

  PetscFunctionBeginUser;
  PetscCall(ReadRegionNames(comm, cs, names, &n, &set));
  if (!set || !n) NppInputError(comm, "-region_names", "missing: list the mesh regions (physical groups) that carry a material");
  model->nregions = n;
  PetscCall(PetscCalloc4(n, &model->mat, n, &model->regionCells, n, &model->regionVolume, n, &model->regionMinSize));
  PetscCall(PetscMalloc1(g->ncells, &disc->cellRegion));
  PetscCall(PetscMalloc1(g->ncells, &inRegion));
  for (PetscInt c = 0; c < g->ncells; c++) disc->cellRegion[c] = -1;
  for (PetscInt r = 0; r < n; r++) {
    DMLabel   label;
    PetscInt  count = 0;
    PetscReal vol = 0, hmin = PETSC_MAX_REAL;
    PetscCall(ReadMaterial(comm, &model->phys, names[r], &model->mat[r]));
    PetscCall(DMGetLabel(disc->dm, names[r], &label));
    PetscCall(PetscArrayzero(inRegion, g->ncells));
    if (label) PetscCall(MarkLabelled(label, g->cStart, g->cStart + g->ncells, inRegion));
    for (PetscInt c = 0; c < g->ncells; c++) {
      if (!inRegion[c]) continue;
      if (disc->cellRegion[c] >= 0) NppInputError(comm, "-region_names", "cells belong to both regions '%s' and '%s'", names[disc->cellRegion[c]], names[r]);
      disc->cellRegion[c] = r;
      if (g->owned[c]) count++, vol += g->volume[c], hmin = PetscMin(hmin, PetscPowReal(g->volume[c], 1.0 / g->dim));
    }
    PetscCall(MPIU_Allreduce(&count, &model->regionCells[r], 1, MPIU_INT, MPI_SUM, comm));
    PetscCall(MPIU_Allreduce(&vol, &model->regionVolume[r], 1, MPIU_REAL, MPIU_SUM, comm));
    PetscCall(MPIU_Allreduce(&hmin, &model->regionMinSize[r], 1, MPIU_REAL, MPIU_MIN, comm));
    if (!model->regionCells[r]) {
      char have[1024];
      PetscCall(NppLabelNames(disc->dm, 0, have, sizeof have));
      NppInputError(comm, "-region_names", "region '%s' is not a region of the mesh %s (its regions: %s)", names[r], mesh->file, have);
    }
  }
  for (PetscInt c = 0; c < g->ncells; c++) unassigned += g->owned[c] && disc->cellRegion[c] < 0;
  PetscCall(MPIU_Allreduce(&unassigned, &total, 1, MPIU_INT, MPI_SUM, comm));
  if (total) {
    char have[1024];
    PetscCall(NppLabelNames(disc->dm, 0, have, sizeof have));
    NppInputError(comm, "-region_names", "%d cells of the mesh belong to none of the listed regions (mesh regions: %s)", (int)total, have);
  }
  PetscCall(PetscFree(inRegion));
  PetscCall(NppCaseIgnoreUnlistedRegions(comm, n, names));
  for (PetscInt r = 0; r < n; r++) PetscCall(PetscFree(names[r]));
  PetscFunctionReturn(0);
}
