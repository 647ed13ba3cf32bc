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

static PetscErrorCode GetReal(const char region[], const char species[], const char prop[], double *v, int *has)
{
  char      key[256];
  PetscReal x;
  PetscBool set;

  PetscFunctionBeginUser;
  if (species) PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_%s_%s", region, species, prop));
  else PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_%s", region, prop));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &x, &set));
  if (set) *v = x;
  *has = set;
  PetscFunctionReturn(0);
}

/* Temperature law of a region's conductivity (physics/temperature.c): -region_<r>_conductivity_law
   arrhenius | arrhenius_sigma_t | vtf, with -region_<r>_activation_energy (eV) or
   -region_<r>_vtf_b and -region_<r>_vtf_t0 (K); the given conductivity (and diffusivities) hold at
   -region_<r>_reference_temperature (K, default 298.15) and are carried to -physics_temperature.
   Diffusivities scale with sigma T (Nernst-Einstein), so the resolved conductivity follows the law. */
static PetscErrorCode ApplyTemperatureLaw(Npp npp, const char name[], const NppTemperatureLaw *preset, NppMaterialInput *in)
{
  static const char *const Laws[] = {"none", "arrhenius", "arrhenius_sigma_t", "vtf", "NppConductivityLaw", "NPP_LAW_", NULL};
  NppTemperatureLaw law = *preset;
  char              key[256];
  PetscBool         set, has;
  PetscInt          l = 0;
  PetscReal         v, f;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_conductivity_law", name));
  {
    char val[64];
    PetscCall(PetscStrncpy(val, Laws[law.law], sizeof val));
    PetscCall(PetscOptionsGetString(NULL, NULL, key, val, sizeof val, &set));
    for (l = 0; l < 4; l++) {
      PetscBool match;
      PetscCall(PetscStrcmp(val, Laws[l], &match));
      if (match) break;
    }
    if (l == 4) NppInputError(npp->comm, key, "unknown law '%s' (choose none, arrhenius, arrhenius_sigma_t or vtf)", val);
  }
  law.law = (NppConductivityLaw)l;
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_reference_temperature", name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &v, &has));
  if (has) law.Tref = v;
  if (!(law.Tref > 0)) NppInputError(npp->comm, key, "%g K must be positive", (double)law.Tref);
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_activation_energy", name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &v, &has));
  if (has) law.Ea = v;
  else v = law.Ea, has = (PetscBool)(preset->law == NPP_LAW_ARRHENIUS || preset->law == NPP_LAW_ARRHENIUS_SIGMA_T);
  if (law.law == NPP_LAW_ARRHENIUS || law.law == NPP_LAW_ARRHENIUS_SIGMA_T) {
    if (!has) NppInputError(npp->comm, key, "missing: the Arrhenius law of region '%s' needs its activation energy in eV", name);
    if (!(v >= 0 && v < 5)) NppInputError(npp->comm, key, "%g eV must lie in [0, 5)", (double)v);
  }
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_vtf_b", name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &v, &has));
  if (has) law.B = v;
  else v = law.B, has = (PetscBool)(preset->law == NPP_LAW_VTF);
  if (law.law == NPP_LAW_VTF && !(has && v > 0)) NppInputError(npp->comm, key, "missing or not positive: the VTF law of region '%s' needs its pseudo-activation B in K", name);
  PetscCall(PetscSNPrintf(key, sizeof key, "-region_%s_vtf_t0", name));
  PetscCall(PetscOptionsGetReal(NULL, NULL, key, &v, &has));
  if (has) law.T0 = v;
  else v = law.T0, has = (PetscBool)(preset->law == NPP_LAW_VTF);
  if (law.law == NPP_LAW_VTF && !(has && v >= 0)) NppInputError(npp->comm, key, "missing: the VTF law of region '%s' needs its T0 in K", name);
  if (law.law == NPP_LAW_NONE) PetscFunctionReturn(0);
  f = NppConductivityFactor(&law, npp->phys.T);
  if (!(f > 0) || PetscIsInfOrNanReal(f)) NppInputError(npp->comm, "-physics_temperature", "%g K: the VTF law of region '%s' needs T above T0 = %g K (and T_ref = %g K above it)", (double)npp->phys.T, name, (double)law.T0, (double)law.Tref);
  if (in->has_conductivity) in->conductivity *= f;
  for (PetscInt i = 0; i < npp->phys.nspecies; i++)
    if (in->has_D[i]) in->D[i] *= f * npp->phys.T / law.Tref;
  PetscFunctionReturn(0);
}

/* A region's material: -region_<r>_material (a named preset, physics/material_library.c),
   -region_<r>_{conductivity, electronic_conductivity, transference_number, permittivity,
   fixed_charge} and per species -region_<r>_<s>_{concentration, diffusivity, mu0}; what the case
   gives wins over the preset, whose temperature law applies unless the case gives its own. */
static PetscErrorCode ReadMaterial(Npp npp, const char name[], NppMaterial *m)
{
  NppPhysics       *ph = &npp->phys;
  NppMaterialInput  in;
  NppTemperatureLaw law = {NPP_LAW_NONE, 298.15, 0, 0, 0};
  const char       *sp[NPP_MAX_SPECIES];
  double            z[NPP_MAX_SPECIES];
  char              key[128], msg[512], full[256];

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&in, sizeof in));
  PetscCall(GetReal(name, NULL, "conductivity", &in.conductivity, &in.has_conductivity));
  PetscCall(GetReal(name, NULL, "electronic_conductivity", &in.electronic_conductivity, &in.has_electronic));
  PetscCall(GetReal(name, NULL, "permittivity", &in.permittivity, &in.has_permittivity));
  PetscCall(GetReal(name, NULL, "transference_number", &in.transference, &in.has_transference));
  PetscCall(GetReal(name, NULL, "fixed_charge", &in.fixed_charge, &in.has_fixed_charge));
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    sp[i] = ph->sp[i].name, z[i] = ph->sp[i].z;
    PetscCall(GetReal(name, sp[i], "concentration", &in.c[i], &in.has_c[i]));
    PetscCall(GetReal(name, sp[i], "diffusivity", &in.D[i], &in.has_D[i]));
    PetscCall(GetReal(name, sp[i], "mu0", &in.mu0[i], &in.has_mu0[i]));
    in.has_any_D = in.has_any_D || in.has_D[i];
  }
  {
    char      lib[NPP_NAME_LEN];
    PetscBool set;
    PetscCall(PetscSNPrintf(full, sizeof full, "-region_%s_material", name));
    PetscCall(PetscOptionsGetString(NULL, NULL, full, lib, sizeof lib, &set));
    if (set) {
      const NppMaterialPreset *p = NppMaterialPresetFind(lib);
      if (!p) NppInputError(npp->comm, full, "unknown material '%s' (known: %s)", lib, NppMaterialPresetNames());
      if (NppMaterialPresetApply(p, &in))
        NppInputError(npp->comm, full, "'%s' is an inert, ion-blocking phase: leave it out of the mesh (its surfaces are then insulating walls, as the scaffold generator does) and out of -region_names", lib);
      law = NppMaterialPresetLaw(p);
    }
  }
  if (!in.has_conductivity && !in.has_any_D) {
    PetscCall(PetscSNPrintf(full, sizeof full, "-region_%s_conductivity", name));
    NppInputError(npp->comm, full, "missing: give the ionic conductivity of region '%s' in S/m (or its species' diffusivities, or a -region_%s_material)", name, name);
  }
  PetscCall(ApplyTemperatureLaw(npp, name, &law, &in));
  if (NppMaterialResolve((int)ph->nspecies, sp, z, ph->cref, ph->T, &in, m, key, sizeof key, msg, sizeof msg)) {
    PetscCall(PetscSNPrintf(full, sizeof full, "-region_%s_%s", name, key));
    NppInputError(npp->comm, full, "%s", msg);
  }
  PetscCall(PetscStrncpy(m->name, name, sizeof m->name));
  PetscFunctionReturn(0);
}

PetscErrorCode NppRegionsSetUp(Npp npp)
{
  NppFVGeom g = npp->geom;
  PetscBool *inRegion;
  char     *names[64];
  PetscInt  n = 64, unassigned = 0, total;
  PetscBool set;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetStringArray(NULL, NULL, "-region_names", names, &n, &set));
  if (!set || !n) NppInputError(npp->comm, "-region_names", "missing: list the mesh regions (physical groups) that carry a material");
  npp->nregions = n;
  PetscCall(PetscCalloc4(n, &npp->mat, n, &npp->regionCells, n, &npp->regionVolume, n, &npp->regionMinSize));
  PetscCall(PetscMalloc1(g->ncells, &npp->cellRegion));
  PetscCall(PetscMalloc1(g->ncells, &inRegion));
  for (PetscInt c = 0; c < g->ncells; c++) npp->cellRegion[c] = -1;
  for (PetscInt r = 0; r < n; r++) {
    DMLabel   label;
    PetscInt  count = 0;
    PetscReal vol = 0, hmin = PETSC_MAX_REAL;
    PetscCall(ReadMaterial(npp, names[r], &npp->mat[r]));
    PetscCall(DMGetLabel(npp->dm, names[r], &label));
    PetscCall(PetscArrayzero(inRegion, g->ncells));
    if (label) PetscCall(MarkLabelled(label, g->cStart, g->cStart + g->ncells, inRegion));
    for (PetscInt c = 0; c < g->ncells; c++) {
      if (!inRegion[c]) continue;
      if (npp->cellRegion[c] >= 0) NppInputError(npp->comm, "-region_names", "cells belong to both regions '%s' and '%s'", names[npp->cellRegion[c]], names[r]);
      npp->cellRegion[c] = r;
      if (g->owned[c]) count++, vol += g->volume[c], hmin = PetscMin(hmin, PetscPowReal(g->volume[c], 1.0 / g->dim));
    }
    PetscCall(MPIU_Allreduce(&count, &npp->regionCells[r], 1, MPIU_INT, MPI_SUM, npp->comm));
    PetscCall(MPIU_Allreduce(&vol, &npp->regionVolume[r], 1, MPIU_REAL, MPIU_SUM, npp->comm));
    PetscCall(MPIU_Allreduce(&hmin, &npp->regionMinSize[r], 1, MPIU_REAL, MPIU_MIN, npp->comm));
    if (!npp->regionCells[r]) {
      char have[1024];
      PetscCall(NppLabelNames(npp->dm, 0, have, sizeof have));
      NppInputError(npp->comm, "-region_names", "region '%s' is not a region of the mesh %s (its regions: %s)", names[r], npp->meshInfo.file, have);
    }
  }
  for (PetscInt c = 0; c < g->ncells; c++) unassigned += g->owned[c] && npp->cellRegion[c] < 0;
  PetscCall(MPIU_Allreduce(&unassigned, &total, 1, MPIU_INT, MPI_SUM, npp->comm));
  if (total) {
    char have[1024];
    PetscCall(NppLabelNames(npp->dm, 0, have, sizeof have));
    NppInputError(npp->comm, "-region_names", "%d cells of the mesh belong to none of the listed regions (mesh regions: %s)", (int)total, have);
  }
  PetscCall(PetscFree(inRegion));
  PetscCall(NppCaseIgnoreUnlistedRegions(npp->comm, n, names));
  for (PetscInt r = 0; r < n; r++) PetscCall(PetscFree(names[r]));
  PetscFunctionReturn(0);
}
