/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "json.h"
#include "npp_log.h"
#include <string.h>
#include <sys/resource.h>

/* The run summary: one JSON object, written by rank 0 through the JSON writer (json.h), read by
   tests, sweeps and postproc/nppout.py. Keys, number formats and layout are those the readers
   know; a value that is not finite is written as null.
   Its writers take the whole Npp: the summary reports every stage (case, mesh, model,
   discretisation, the solve's log and balances, output), so each section reads across them. */

/* Effective conductivity between the two potential boundaries, sigma_eff = cur L / (A dV),
   with L the distance between their centroids and A the area of the first. */
static PetscBool EffectiveConductivity(Npp npp, PetscReal *sigma, PetscReal *L, PetscReal *A, PetscReal *dV, PetscReal *cur, PetscReal *cons)
{
  if (npp->model.nbc != 2 || npp->model.mms.on || !npp->model.bc[0].hasPotential || !npp->model.bc[1].hasPotential) return PETSC_FALSE;
  const NppBoundary *hi = &npp->model.bc[0], *lo = &npp->model.bc[1];
  if (hi->potential < lo->potential) hi = &npp->model.bc[1], lo = &npp->model.bc[0];
  *dV = hi->potential - lo->potential;
  if (*dV <= 0) return PETSC_FALSE;
  *L = 0;
  for (int i = 0; i < 3; i++) *L += PetscSqr(hi->centroid[i] - lo->centroid[i]);
  *L   = PetscSqrtReal(*L);
  *A   = hi->area;
  *cur = lo->current;                                       /* leaves through the low-potential boundary */
  if (!(PetscAbsReal(lo->current) > 0)) return PETSC_FALSE; /* no current (e.g. a blocking wall): nothing to measure */
  *cons  = PetscAbsReal(hi->current + lo->current) / PetscAbsReal(lo->current);
  *sigma = *cur * *L / (*A * *dV);
  return PETSC_TRUE;
}

/* Microstructure measures of a conductivity run (docs/theory.md, "Tortuosity"): the sample is
   the mesh's bounding box (the phases not meshed, e.g. the scaffold's fibres, count as void);
   per region its volume fraction phi_r, the conductivity ratio sigma_eff/sigma_r and the
   tortuosity factor tau_r = phi_r sigma_r / sigma_eff (sigma_eff = sigma_r phi_r / tau_r). tau_r is
   the tortuosity of region r when it alone conducts: with several conducting regions it is a
   formal ratio. */
static PetscErrorCode WriteMicrostructure(Npp npp, NppJSON j, PetscReal sigma)
{
  PetscReal lo[3], hi[3], Vbox = 1, Vmesh = 0;

  PetscFunctionBeginUser;
  PetscCall(DMGetBoundingBox(npp->disc.dm, lo, hi));
  for (PetscInt d = 0; d < npp->disc.geom->dim; d++) Vbox *= hi[d] - lo[d];
  for (PetscInt r = 0; r < npp->model.nregions; r++) Vmesh += npp->model.regionVolume[r];
  PetscCall(NppJSONBeginObject(j, "microstructure", NPP_JSON_INLINE));
  PetscCall(NppJSONReal(j, "sample_volume", "%.17g", Vbox));
  PetscCall(NppJSONReal(j, "void_fraction", "%.10g", 1 - Vmesh / Vbox));
  PetscCall(NppJSONBeginObject(j, "regions", NPP_JSON_INLINE));
  for (PetscInt r = 0; r < npp->model.nregions; r++) {
    const PetscReal phi = npp->model.regionVolume[r] / Vbox, sr = npp->model.mat[r].conductivity;
    PetscCall(NppJSONBeginObject(j, npp->model.mat[r].name, NPP_JSON_INLINE));
    PetscCall(NppJSONReal(j, "volume_fraction", "%.17g", phi));
    PetscCall(NppJSONReal(j, "conductivity_ratio", "%.17g", sigma / sr));
    PetscCall(NppJSONReal(j, "tortuosity_factor", "%.17g", phi * sr / sigma));
    PetscCall(NppJSONEndObject(j));
  }
  PetscCall(NppJSONEndObject(j));
  PetscCall(NppJSONEndObject(j));
  PetscFunctionReturn(0);
}

/* One value per species, keyed by its name. */
static PetscErrorCode WriteSpeciesValues(Npp npp, NppJSON j, const char key[], const PetscReal v[])
{
  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginObject(j, key, NPP_JSON_INLINE));
  for (PetscInt i = 0; i < npp->model.phys.nspecies; i++) PetscCall(NppJSONReal(j, npp->model.phys.sp[i].name, "%.17g", v[i]));
  PetscCall(NppJSONEndObject(j));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteMesh(Npp npp, NppJSON j)
{
  const NppMeshInfo *mi = &npp->meshInfo;

  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginObject(j, "mesh", NPP_JSON_INLINE));
  PetscCall(NppJSONString(j, "source", mi->source));
  PetscCall(NppJSONString(j, "file", mi->file));
  PetscCall(NppJSONReal(j, "min_orthogonality", "%.10g", npp->disc.minOrtho));
  PetscCall(NppJSONReal(j, "max_skewness", "%.10g", npp->disc.maxSkew));
  PetscCall(NppJSONReal(j, "min_cell_size", "%.10g", npp->disc.geom->minCellSize));
  PetscCall(NppJSONBool(j, "nonorthogonal_correction", npp->disc.correct));
  PetscCall(NppJSONInt(j, "gradient_fallback_cells", npp->disc.nfallback));
  PetscCall(NppJSONInt(j, "uncorrected_faces", npp->disc.nuncorrected));
  if (mi->nparticles) {
    const PetscBool grains = (PetscBool)!strcmp(mi->objects, "grains"), fibres = (PetscBool)!strcmp(mi->objects, "fibres");
    PetscCall(NppJSONInt(j, mi->objects, mi->nparticles));
    PetscCall(NppJSONReal(j, grains ? "solid_fraction" : fibres ? "fibre_fraction" : "particle_fraction", "%.10g", mi->particle_fraction));
    if (mi->shellFraction > 0) PetscCall(NppJSONReal(j, "shell_fraction", "%.10g", mi->shellFraction));
    if (mi->solidSpans >= 0) PetscCall(NppJSONBool(j, "solid_spans", (PetscBool)(mi->solidSpans != 0)));
    if (mi->poreSpans >= 0) PetscCall(NppJSONBool(j, fibres ? "electrolyte_spans" : "pore_spans", (PetscBool)(mi->poreSpans != 0)));
    if (mi->interfaceMeasure > 0) PetscCall(NppJSONReal(j, fibres ? "fibre_surface" : "interface_measure", "%.10g", mi->interfaceMeasure));
  }
  PetscCall(NppJSONEndObject(j));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteModel(Npp npp, NppJSON j)
{
  const NppPhysics *ph = &npp->model.phys;

  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginObject(j, "model", NPP_JSON_INLINE));
  PetscCall(NppJSONBool(j, "electroneutral", ph->electroneutral));
  PetscCall(NppJSONReal(j, "temperature", "%.10g", ph->T));
  PetscCall(NppJSONReal(j, "thermal_voltage", "%.17g", ph->VT));
  PetscCall(NppJSONReal(j, "reference_concentration", "%.17g", ph->cref));
  PetscCall(NppJSONReal(j, "reference_length", "%.17g", ph->Lref));
  PetscCall(NppJSONInt(j, "fields", npp->model.fld.nf));
  PetscCall(NppJSONBool(j, "pinned_potential", npp->disc.pinned));
  PetscCall(NppJSONEndObject(j));
  PetscCall(NppJSONBeginArray(j, "species", NPP_JSON_INLINE));
  for (PetscInt i = 0; i < ph->nspecies; i++) {
    PetscCall(NppJSONBeginObject(j, NULL, NPP_JSON_INLINE));
    PetscCall(NppJSONString(j, "name", ph->sp[i].name));
    PetscCall(NppJSONReal(j, "charge", "%.17g", ph->sp[i].z));
    PetscCall(NppJSONEndObject(j));
  }
  PetscCall(NppJSONEndArray(j));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteRegions(Npp npp, NppJSON j)
{
  const NppPhysics *ph = &npp->model.phys;

  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginArray(j, "regions", NPP_JSON_LINES));
  for (PetscInt r = 0; r < npp->model.nregions; r++) {
    const NppMaterial *m = &npp->model.mat[r];
    PetscCall(NppJSONBeginObject(j, NULL, NPP_JSON_INLINE));
    PetscCall(NppJSONString(j, "name", m->name));
    PetscCall(NppJSONInt(j, "id", r));
    PetscCall(NppJSONReal(j, "conductivity", "%.17g", m->conductivity));
    PetscCall(NppJSONReal(j, "electronic_conductivity", "%.17g", m->electronic_conductivity));
    PetscCall(NppJSONReal(j, "permittivity", "%.17g", m->permittivity));
    PetscCall(NppJSONReal(j, "fixed_charge", "%.17g", m->fixed_charge));
    PetscCall(NppJSONInt(j, "cells", npp->model.regionCells[r]));
    PetscCall(NppJSONReal(j, "volume", "%.17g", npp->model.regionVolume[r]));
    PetscCall(NppJSONReal(j, "min_cell_size", "%.17g", npp->model.regionMinSize[r]));
    PetscCall(NppJSONBeginObject(j, "species", NPP_JSON_INLINE));
    for (PetscInt i = 0; i < ph->nspecies; i++) {
      if (!m->present[i]) continue;
      PetscCall(NppJSONBeginObject(j, ph->sp[i].name, NPP_JSON_INLINE));
      PetscCall(NppJSONReal(j, "concentration", "%.17g", m->c[i]));
      PetscCall(NppJSONReal(j, "diffusivity", "%.17g", m->D[i]));
      PetscCall(NppJSONReal(j, "mu0", "%.17g", m->mu0[i]));
      PetscCall(NppJSONEndObject(j));
    }
    PetscCall(NppJSONEndObject(j));
    PetscCall(NppJSONEndObject(j));
  }
  PetscCall(NppJSONEndArray(j));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteElectrode(Npp npp, NppJSON j, const NppBoundary *bc)
{
  const NppElectrodeStats *st = &bc->stats;

  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginObject(j, "electrode", NPP_JSON_INLINE));
  PetscCall(NppJSONString(j, "control", bc->galvanostatic ? "galvanostatic" : "potentiostatic"));
  if (bc->galvanostatic) PetscCall(NppJSONReal(j, "applied_current_density", "%.17g", NppCurrentScheduleValue(&bc->schedule, npp->ev.time)));
  PetscCall(NppJSONBeginObject(j, "current_density", NPP_JSON_INLINE));
  PetscCall(NppJSONReal(j, "mean", "%.17g", st->mean));
  PetscCall(NppJSONReal(j, "min", "%.17g", st->min));
  PetscCall(NppJSONReal(j, "max", "%.17g", st->max));
  PetscCall(NppJSONReal(j, "apex", "%.17g", st->apex));
  PetscCall(NppJSONBeginArray(j, "apex_point", NPP_JSON_INLINE));
  for (int i = 0; i < 3; i++) PetscCall(NppJSONReal(j, NULL, "%.10g", st->apexPoint[i]));
  PetscCall(NppJSONEndArray(j));
  PetscCall(NppJSONReal(j, "amplification", "%.17g", st->amplification));
  PetscCall(NppJSONReal(j, "area_fraction_above_twice_mean", "%.17g", st->fractionAbove2));
  PetscCall(NppJSONEndObject(j));
  PetscCall(NppJSONReal(j, "overpotential", "%.17g", st->overpotential));
  PetscCall(NppJSONReal(j, "film_drop", "%.17g", st->filmDrop));
  PetscCall(NppJSONReal(j, "min_concentration", "%.17g", st->minConcentration));
  PetscCall(NppJSONEndObject(j));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteBoundaries(Npp npp, NppJSON j)
{
  PetscReal V;
  PetscBool any = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginArray(j, "boundaries", NPP_JSON_LINES));
  for (PetscInt b = 0; b < npp->model.nbc; b++) {
    const NppBoundary *bc = &npp->model.bc[b];
    PetscCall(NppJSONBeginObject(j, NULL, NPP_JSON_INLINE));
    PetscCall(NppJSONString(j, "name", bc->name));
    if (bc->hasPotential || bc->electrode) PetscCall(NppJSONReal(j, "potential", "%.17g", NppElectrodePotential(&npp->model, &npp->ev, bc)));
    PetscCall(NppJSONReal(j, "area", "%.17g", bc->area));
    PetscCall(NppJSONReal(j, "current", "%.17g", bc->current));
    PetscCall(WriteSpeciesValues(npp, j, "flux", bc->flux));
    if (bc->electrode) {
      PetscCall(NppJSONWrap(j)); /* the electrode's record on a line of its own */
      PetscCall(WriteElectrode(npp, j, bc));
    }
    PetscCall(NppJSONEndObject(j));
    any = (PetscBool)(any || bc->electrode);
  }
  PetscCall(NppJSONEndArray(j));
  PetscCall(NppCellVoltage(&npp->model, &npp->ev, &V));
  if (any) PetscCall(NppJSONReal(j, "cell_voltage", "%.17g", V));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteStop(Npp npp, NppJSON j)
{
  const PetscReal t = npp->run.stopped ? npp->run.stopTime : npp->ev.time;

  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginObject(j, "stop", NPP_JSON_INLINE));
  PetscCall(NppJSONBool(j, "stopped", npp->run.stopped));
  PetscCall(NppJSONString(j, "reason", npp->run.stopped ? npp->run.stopReason : "reached -time_final"));
  PetscCall(NppJSONReal(j, "time", "%.17g", t));
  for (PetscInt b = 0; b < npp->model.nbc; b++) {
    char key[NPP_NAME_LEN + 32];
    if (!npp->model.bc[b].galvanostatic) continue;
    PetscCall(PetscSNPrintf(key, sizeof key, "%s_applied_current_density", npp->model.bc[b].name));
    PetscCall(NppJSONReal(j, key, "%.17g", NppCurrentScheduleValue(&npp->model.bc[b].schedule, t)));
  }
  PetscCall(NppJSONEndObject(j));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteElectronic(Npp npp, NppJSON j)
{
  PetscReal total = 0;

  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginObject(j, "electronic", NPP_JSON_INLINE));
  PetscCall(NppJSONInt(j, "ksp_iterations", npp->run.elecKspIts));
  PetscCall(NppJSONBeginObject(j, "boundaries", NPP_JSON_INLINE));
  for (PetscInt b = 0; b < npp->model.nbc; b++) {
    const NppBoundary *bc = &npp->model.bc[b];
    if (!bc->hasPotential && !bc->electrode) continue;
    PetscCall(NppJSONBeginObject(j, bc->name, NPP_JSON_INLINE));
    PetscCall(NppJSONReal(j, "current", "%.17g", npp->run.elecCurrent[b]));
    PetscCall(NppJSONReal(j, "current_density", "%.17g", npp->run.elecCurrent[b] / bc->area));
    PetscCall(NppJSONReal(j, "fraction_of_ionic", "%.17g", bc->current != 0 ? PetscAbsReal(npp->run.elecCurrent[b] / bc->current) : 0.0));
    PetscCall(NppJSONEndObject(j));
    total += PetscAbsReal(npp->run.elecCurrent[b]);
  }
  PetscCall(NppJSONEndObject(j));
  PetscCall(NppJSONReal(j, "leakage_current", "%.17g", total / 2));
  PetscCall(NppJSONEndObject(j));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteConduction(Npp npp, NppJSON j)
{
  PetscReal sigma, L, A, dV, cur, cons;

  PetscFunctionBeginUser;
  if (!EffectiveConductivity(npp, &sigma, &L, &A, &dV, &cur, &cons)) PetscFunctionReturn(0);
  PetscCall(NppJSONReal(j, "effective_conductivity", "%.17g", sigma));
  PetscCall(NppJSONReal(j, "current", "%.17g", cur));
  PetscCall(NppJSONReal(j, "voltage", "%.17g", dV));
  PetscCall(NppJSONReal(j, "length", "%.17g", L));
  PetscCall(NppJSONReal(j, "area", "%.17g", A));
  PetscCall(NppJSONReal(j, "conservation_error", "%.6e", cons));
  PetscCall(WriteMicrostructure(npp, j, sigma));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteBalance(Npp npp, NppJSON j)
{
  const PetscInt ns = npp->model.phys.nspecies;
  PetscReal      total[NPP_MAX_SPECIES], charge, scale = 0, err = 0;

  PetscFunctionBeginUser;
  PetscCall(NppBalance(npp->comm, &npp->model, &npp->disc, npp->run.X, total, &charge));
  PetscCall(NppJSONBeginObject(j, "balance", NPP_JSON_INLINE));
  PetscCall(NppJSONReal(j, "total_charge", "%.17g", charge));
  PetscCall(WriteSpeciesValues(npp, j, "amount", total));
  if (npp->run.transient) {
    TSType    type;
    PetscBool be;
    PetscCall(WriteSpeciesValues(npp, j, "initial_amount", npp->run.total0));
    PetscCall(WriteSpeciesValues(npp, j, "boundary_inflow", npp->run.inflow));
    for (PetscInt i = 0; i < ns; i++) scale = PetscMax(scale, PetscAbsReal(npp->run.total0[i]));
    for (PetscInt i = 0; i < ns; i++) err = PetscMax(err, PetscAbsReal(total[i] - npp->run.total0[i] - npp->run.inflow[i]) / scale);
    /* the inflow is integrated with the backward-Euler rule: the balance closes exactly only for it */
    PetscCall(TSGetType(npp->run.ts, &type));
    PetscCall(PetscStrcmp(type, TSBEULER, &be));
    if (be) PetscCall(NppJSONReal(j, "mass_conservation_error", "%.6e", err));
    else {
      char note[256];
      PetscCall(PetscSNPrintf(note, sizeof note, "the boundary inflow is integrated with the backward-Euler rule, exact only for -ts_type beuler (here %s)", type));
      PetscCall(NppJSONNull(j, "mass_conservation_error"));
      PetscCall(NppJSONString(j, "mass_balance_note", note));
    }
  }
  PetscCall(NppJSONEndObject(j));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteMMS(Npp npp, NppJSON j)
{
  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginObject(j, "mms", NPP_JSON_INLINE));
  PetscCall(NppJSONReal(j, "l2_error", "%.17g", npp->model.mms.l2error[npp->model.fld.phi]));
  PetscCall(NppJSONReal(j, "h", "%.17g", npp->model.mms.h));
  PetscCall(NppJSONBeginObject(j, "l2_errors", NPP_JSON_INLINE));
  for (PetscInt f = 0; f < npp->model.fld.nf; f++) {
    char key[NPP_NAME_LEN + 8] = "potential";
    if (f != npp->model.fld.phi) PetscCall(PetscSNPrintf(key, sizeof key, "c_%s", npp->model.phys.sp[npp->model.fld.speciesOfField[f]].name));
    PetscCall(NppJSONReal(j, key, "%.17g", npp->model.mms.l2error[f]));
  }
  PetscCall(NppJSONEndObject(j));
  PetscCall(NppJSONEndObject(j));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteSolver(Npp npp, NppJSON j)
{
  const char *columns[] = {"t", "dt", "newton", "krylov"};

  PetscFunctionBeginUser;
  PetscCall(NppJSONBeginObject(j, "solver", NPP_JSON_INLINE));
  PetscCall(NppJSONInt(j, "snes_iterations", npp->run.snesIts));
  PetscCall(NppJSONInt(j, "ksp_iterations", npp->run.kspIts));
  PetscCall(NppJSONString(j, "continuation", npp->run.transient ? "none" : npp->run.continuation));
  PetscCall(NppJSONInt(j, "steps", npp->run.nsteps));
  if (npp->run.transient) {
    PetscCall(NppJSONBeginArray(j, "step_log", NPP_JSON_INLINE));
    for (PetscInt k = 0; k < npp->run.nsteps; k++) {
      PetscCall(NppJSONBeginArray(j, NULL, NPP_JSON_INLINE));
      PetscCall(NppJSONReal(j, NULL, "%.10g", npp->run.steps[k].t));
      PetscCall(NppJSONReal(j, NULL, "%.6g", npp->run.steps[k].dt));
      PetscCall(NppJSONInt(j, NULL, npp->run.steps[k].snes));
      PetscCall(NppJSONInt(j, NULL, npp->run.steps[k].ksp));
      PetscCall(NppJSONEndArray(j));
    }
    PetscCall(NppJSONEndArray(j));
    PetscCall(NppJSONBeginArray(j, "step_log_columns", NPP_JSON_INLINE));
    for (int i = 0; i < 4; i++) PetscCall(NppJSONString(j, NULL, columns[i]));
    PetscCall(NppJSONEndArray(j));
    PetscCall(NppJSONInt(j, "checkpoints", npp->out.ncheckpoints)); /* written, over all parts of the run */
    PetscCall(NppJSONInt(j, "restarts", npp->run.restarts));        /* continued from a checkpoint */
    if (npp->run.restarts) PetscCall(NppJSONReal(j, "restarted_at", "%.17g", npp->run.restartTime));
  }
  PetscCall(NppJSONEndObject(j));
  PetscCall(NppJSONBeginArray(j, "output_times", NPP_JSON_INLINE));
  for (PetscInt k = 0; k < npp->out.nwritten; k++) PetscCall(NppJSONReal(j, NULL, "%.17g", npp->out.written[k]));
  PetscCall(NppJSONEndArray(j));
  PetscFunctionReturn(0);
}

/* Wall time of the stages (s) and the peak resident memory of the ranks (bytes). */
static PetscErrorCode WriteResources(Npp npp, NppJSON j)
{
  double        rss, rssMax, rssSum;
  struct rusage ru;

  PetscFunctionBeginUser;
  getrusage(RUSAGE_SELF, &ru);
  rss = ru.ru_maxrss * 1024.0; /* kB on Linux */
  PetscCallMPI(MPI_Allreduce(&rss, &rssMax, 1, MPI_DOUBLE, MPI_MAX, npp->comm));
  PetscCallMPI(MPI_Allreduce(&rss, &rssSum, 1, MPI_DOUBLE, MPI_SUM, npp->comm));
  PetscCall(NppJSONBeginObject(j, "time", NPP_JSON_INLINE));
  PetscCall(NppJSONReal(j, "mesh", "%.4f", npp->run.t.mesh));
  PetscCall(NppJSONReal(j, "distribute", "%.4f", npp->run.t.distribute));
  PetscCall(NppJSONReal(j, "setup", "%.4f", npp->run.t.setup));
  PetscCall(NppJSONReal(j, "solve", "%.4f", npp->run.t.solve));
  PetscCall(NppJSONReal(j, "output", "%.4f", npp->run.t.output));
  PetscCall(NppJSONEndObject(j));
  PetscCall(NppJSONBeginObject(j, "memory", NPP_JSON_INLINE));
  PetscCall(NppJSONReal(j, "peak_rss_max_rank", "%.0f", rssMax));
  PetscCall(NppJSONReal(j, "peak_rss_total", "%.0f", rssSum));
  PetscCall(NppJSONEndObject(j));
  PetscFunctionReturn(0);
}

PetscErrorCode NppWriteSummary(Npp npp, const char path[])
{
  NppJSON     j;
  PetscMPIInt size;

  PetscFunctionBeginUser;
  PetscCall(PetscLogEventBegin(NPP_Summary, 0, 0, 0, 0));
  PetscCallMPI(MPI_Comm_size(npp->comm, &size));
  PetscCall(NppJSONOpen(npp->comm, path, &j));
  PetscCall(NppJSONBeginObject(j, NULL, NPP_JSON_LINES));
  PetscCall(NppJSONString(j, "case", npp->cs.name));
  PetscCall(NppJSONString(j, "case_file", npp->cs.file));
  /* a failed run keeps the output times it completed; the values below that come from the state
     would be those of a failed iterate, so they are left out */
  PetscCall(NppJSONString(j, "status", npp->run.failed ? "failed" : "completed"));
  if (npp->run.failed) {
    PetscCall(NppJSONString(j, "error", npp->run.failReason));
    if (npp->run.transient) PetscCall(NppJSONReal(j, "time_reached", "%.17g", npp->run.failTime));
  }
  PetscCall(NppJSONInt(j, "ranks", size));
  PetscCall(NppJSONInt(j, "dim", npp->disc.geom->dim));
  PetscCall(NppJSONInt(j, "cells", npp->disc.globalCells));
  PetscCall(WriteMesh(npp, j));
  PetscCall(WriteModel(npp, j));
  PetscCall(WriteRegions(npp, j));
  if (!npp->run.failed) {
    PetscCall(WriteBoundaries(npp, j));
    if (npp->run.transient && (npp->run.stopVoltage > 0 || npp->run.stopConcentration > 0 || npp->run.stopped)) PetscCall(WriteStop(npp, j));
    if (npp->run.elec) PetscCall(WriteElectronic(npp, j));
    PetscCall(WriteConduction(npp, j));
    PetscCall(WriteBalance(npp, j));
    if (npp->model.mms.on) PetscCall(WriteMMS(npp, j));
  }
  PetscCall(WriteSolver(npp, j));
  PetscCall(WriteResources(npp, j));
  PetscCall(NppJSONEndObject(j));
  PetscCall(NppJSONClose(&j));
  PetscCall(PetscLogEventEnd(NPP_Summary, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}
