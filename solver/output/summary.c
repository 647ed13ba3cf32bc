#include "npp.h"
#include <string.h>
#include <sys/resource.h>

/* The run summary: one JSON object, written by rank 0, read by tests and sweeps. */

/* Effective conductivity between the two potential boundaries, sigma_eff = cur L / (A dV),
   with L the distance between their centroids and A the area of the first. */
static PetscBool EffectiveConductivity(Npp npp, PetscReal *sigma, PetscReal *L, PetscReal *A, PetscReal *dV, PetscReal *cur, PetscReal *cons)
{
  if (npp->nbc != 2 || npp->mms.on || !npp->bc[0].hasPotential || !npp->bc[1].hasPotential) return PETSC_FALSE;
  const NppBoundary *hi = &npp->bc[0], *lo = &npp->bc[1];
  if (hi->potential < lo->potential) hi = &npp->bc[1], lo = &npp->bc[0];
  *dV = hi->potential - lo->potential;
  if (*dV <= 0) return PETSC_FALSE;
  *L = 0;
  for (int i = 0; i < 3; i++) *L += PetscSqr(hi->centroid[i] - lo->centroid[i]);
  *L     = PetscSqrtReal(*L);
  *A     = hi->area;
  *cur     = lo->current; /* leaves through the low-potential boundary */
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
static PetscErrorCode WriteMicrostructure(Npp npp, FILE *fp, PetscReal sigma)
{
  MPI_Comm  comm = npp->comm;
  PetscReal lo[3], hi[3], Vbox = 1, Vmesh = 0;

  PetscFunctionBeginUser;
  PetscCall(DMGetBoundingBox(npp->dm, lo, hi));
  for (PetscInt d = 0; d < npp->geom->dim; d++) Vbox *= hi[d] - lo[d];
  for (PetscInt r = 0; r < npp->nregions; r++) Vmesh += npp->regionVolume[r];
  PetscCall(PetscFPrintf(comm, fp, "  \"microstructure\": {\"sample_volume\": %.17g, \"void_fraction\": %.10g, \"regions\": {", (double)Vbox, (double)(1 - Vmesh / Vbox)));
  for (PetscInt r = 0; r < npp->nregions; r++) {
    const PetscReal phi = npp->regionVolume[r] / Vbox, sr = npp->mat[r].conductivity;
    PetscCall(PetscFPrintf(comm, fp, "%s\"%s\": {\"volume_fraction\": %.17g, \"conductivity_ratio\": %.17g, \"tortuosity_factor\": %.17g}", r ? ", " : "", npp->mat[r].name, (double)phi, (double)(sigma / sr), (double)(phi * sr / sigma)));
  }
  PetscCall(PetscFPrintf(comm, fp, "}},\n"));
  PetscFunctionReturn(0);
}

PetscErrorCode NppWriteSummary(Npp npp, const char path[])
{
  MPI_Comm    comm = npp->comm;
  NppPhysics *ph   = &npp->phys;
  PetscInt    ns   = ph->nspecies;
  FILE       *fp;
  PetscMPIInt size;
  PetscReal   sigma, L, A, dV, cur, cons;
  double      rss, rssMax, rssSum;
  struct rusage ru;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  getrusage(RUSAGE_SELF, &ru);
  rss = ru.ru_maxrss * 1024.0; /* kB on Linux */
  PetscCallMPI(MPI_Allreduce(&rss, &rssMax, 1, MPI_DOUBLE, MPI_MAX, comm));
  PetscCallMPI(MPI_Allreduce(&rss, &rssSum, 1, MPI_DOUBLE, MPI_SUM, comm));
  PetscCall(PetscFOpen(comm, path, "w", &fp));
  PetscCall(PetscFPrintf(comm, fp, "{\n  \"case\": \"%s\",\n  \"case_file\": \"%s\",\n  \"ranks\": %d,\n  \"dim\": %d,\n  \"cells\": %d,\n", npp->cs.name, npp->cs.file, size, (int)npp->geom->dim, (int)npp->globalCells));
  PetscCall(PetscFPrintf(comm, fp, "  \"mesh\": {\"source\": \"%s\", \"file\": \"%s\", \"min_orthogonality\": %.10g, \"max_skewness\": %.10g, \"min_cell_size\": %.10g, \"nonorthogonal_correction\": %s, \"gradient_fallback_cells\": %d, \"uncorrected_faces\": %d",
                         npp->meshInfo.source, npp->meshInfo.file, (double)npp->minOrtho, (double)npp->maxSkew, (double)npp->geom->minCellSize, npp->correct ? "true" : "false", (int)npp->nfallback, (int)npp->nuncorrected));
  if (npp->meshInfo.nparticles) {
    const NppMeshInfo *mi = &npp->meshInfo;
    const char        *fraction = !strcmp(mi->objects, "grains") ? "solid_fraction" : !strcmp(mi->objects, "fibres") ? "fibre_fraction" : "particle_fraction";
    PetscCall(PetscFPrintf(comm, fp, ", \"%s\": %d, \"%s\": %.10g", mi->objects, (int)mi->nparticles, fraction, (double)mi->particle_fraction));
    if (mi->shellFraction > 0) PetscCall(PetscFPrintf(comm, fp, ", \"shell_fraction\": %.10g", (double)mi->shellFraction));
    if (mi->solidSpans >= 0) PetscCall(PetscFPrintf(comm, fp, ", \"solid_spans\": %s", mi->solidSpans ? "true" : "false"));
    if (mi->poreSpans >= 0) PetscCall(PetscFPrintf(comm, fp, ", \"%s_spans\": %s", !strcmp(mi->objects, "fibres") ? "electrolyte" : "pore", mi->poreSpans ? "true" : "false"));
    if (mi->interfaceMeasure > 0) PetscCall(PetscFPrintf(comm, fp, ", \"%s\": %.10g", !strcmp(mi->objects, "fibres") ? "fibre_surface" : "interface_measure", (double)mi->interfaceMeasure));
  }
  PetscCall(PetscFPrintf(comm, fp, "},\n"));
  PetscCall(PetscFPrintf(comm, fp, "  \"model\": {\"electroneutral\": %s, \"temperature\": %.10g, \"thermal_voltage\": %.17g, \"reference_concentration\": %.17g, \"reference_length\": %.17g, \"fields\": %d, \"pinned_potential\": %s},\n", ph->electroneutral ? "true" : "false", (double)ph->T, (double)ph->VT, (double)ph->cref, (double)ph->Lref, (int)npp->fld.nf, npp->pinned ? "true" : "false"));
  PetscCall(PetscFPrintf(comm, fp, "  \"species\": ["));
  for (PetscInt i = 0; i < ns; i++) PetscCall(PetscFPrintf(comm, fp, "%s{\"name\": \"%s\", \"charge\": %.17g}", i ? ", " : "", ph->sp[i].name, (double)ph->sp[i].z));
  PetscCall(PetscFPrintf(comm, fp, "],\n  \"regions\": [\n"));
  for (PetscInt r = 0; r < npp->nregions; r++) {
    const NppMaterial *m = &npp->mat[r];
    PetscCall(PetscFPrintf(comm, fp, "    {\"name\": \"%s\", \"id\": %d, \"conductivity\": %.17g, \"electronic_conductivity\": %.17g, \"permittivity\": %.17g, \"fixed_charge\": %.17g, \"cells\": %d, \"volume\": %.17g, \"min_cell_size\": %.17g, \"species\": {", m->name, (int)r, m->conductivity, m->electronic_conductivity, m->permittivity, m->fixed_charge, (int)npp->regionCells[r], (double)npp->regionVolume[r], (double)npp->regionMinSize[r]));
    for (PetscInt i = 0, k = 0; i < ns; i++)
      if (m->present[i]) PetscCall(PetscFPrintf(comm, fp, "%s\"%s\": {\"concentration\": %.17g, \"diffusivity\": %.17g, \"mu0\": %.17g}", k++ ? ", " : "", ph->sp[i].name, m->c[i], m->D[i], m->mu0[i]));
    PetscCall(PetscFPrintf(comm, fp, "}}%s\n", r + 1 < npp->nregions ? "," : ""));
  }
  PetscCall(PetscFPrintf(comm, fp, "  ],\n  \"boundaries\": [\n"));
  for (PetscInt b = 0; b < npp->nbc; b++) {
    const NppBoundary *bc = &npp->bc[b];
    PetscCall(PetscFPrintf(comm, fp, "    {\"name\": \"%s\", ", bc->name));
    if (bc->hasPotential || bc->electrode) PetscCall(PetscFPrintf(comm, fp, "\"potential\": %.17g, ", (double)NppElectrodePotential(npp, bc)));
    PetscCall(PetscFPrintf(comm, fp, "\"area\": %.17g, \"current\": %.17g, \"flux\": {", (double)bc->area, (double)bc->current));
    for (PetscInt i = 0; i < ns; i++) PetscCall(PetscFPrintf(comm, fp, "%s\"%s\": %.17g", i ? ", " : "", ph->sp[i].name, (double)bc->flux[i]));
    PetscCall(PetscFPrintf(comm, fp, "}"));
    if (bc->electrode) {
      const NppElectrodeStats *st = &bc->stats;
      PetscCall(PetscFPrintf(comm, fp, ",\n     \"electrode\": {\"control\": \"%s\", ", bc->galvanostatic ? "galvanostatic" : "potentiostatic"));
      if (bc->galvanostatic) {
        const PetscReal iapp = NppCurrentScheduleValue(&bc->schedule, npp->time);
        PetscCall(PetscFPrintf(comm, fp, "\"applied_current_density\": %.17g, ", (double)iapp));
      }
      PetscCall(PetscFPrintf(comm, fp, "\"current_density\": {\"mean\": %.17g, \"min\": %.17g, \"max\": %.17g, \"apex\": %.17g, \"apex_point\": [%.10g, %.10g, %.10g], \"amplification\": %.17g, \"area_fraction_above_twice_mean\": %.17g}, ", (double)st->mean, (double)st->min, (double)st->max, (double)st->apex, (double)st->apexPoint[0], (double)st->apexPoint[1], (double)st->apexPoint[2], (double)st->amplification, (double)st->fractionAbove2));
      PetscCall(PetscFPrintf(comm, fp, "\"overpotential\": %.17g, \"film_drop\": %.17g, \"min_concentration\": %.17g}", (double)st->overpotential, (double)st->filmDrop, (double)st->minConcentration));
    }
    PetscCall(PetscFPrintf(comm, fp, "}%s\n", b + 1 < npp->nbc ? "," : ""));
  }
  PetscCall(PetscFPrintf(comm, fp, "  ],\n"));
  {
    PetscReal V;
    PetscBool any = PETSC_FALSE;
    for (PetscInt b = 0; b < npp->nbc; b++) any = (PetscBool)(any || npp->bc[b].electrode);
    PetscCall(NppCellVoltage(npp, &V));
    if (any) PetscCall(PetscFPrintf(comm, fp, "  \"cell_voltage\": %.17g,\n", (double)V));
  }
  if (npp->transient && (npp->stopVoltage > 0 || npp->stopConcentration > 0 || npp->stopped)) {
    PetscCall(PetscFPrintf(comm, fp, "  \"stop\": {\"stopped\": %s, \"reason\": \"%s\", \"time\": %.17g", npp->stopped ? "true" : "false", npp->stopped ? npp->stopReason : "reached -time_final", (double)(npp->stopped ? npp->stopTime : npp->time)));
    for (PetscInt b = 0; b < npp->nbc; b++) {
      PetscReal iapp;
      if (!npp->bc[b].galvanostatic) continue;
      iapp = NppCurrentScheduleValue(&npp->bc[b].schedule, npp->stopped ? npp->stopTime : npp->time);
      PetscCall(PetscFPrintf(comm, fp, ", \"%s_applied_current_density\": %.17g", npp->bc[b].name, (double)iapp));
    }
    PetscCall(PetscFPrintf(comm, fp, "},\n"));
  }
  if (npp->elec) {
    PetscReal total = 0;
    PetscCall(PetscFPrintf(comm, fp, "  \"electronic\": {\"ksp_iterations\": %d, \"boundaries\": {", (int)npp->elecKspIts));
    for (PetscInt b = 0, k = 0; b < npp->nbc; b++) {
      const NppBoundary *bc = &npp->bc[b];
      if (!bc->hasPotential && !bc->electrode) continue;
      PetscCall(PetscFPrintf(comm, fp, "%s\"%s\": {\"current\": %.17g, \"current_density\": %.17g, \"fraction_of_ionic\": %.17g}", k++ ? ", " : "", bc->name, (double)npp->elecCurrent[b], (double)(npp->elecCurrent[b] / bc->area), bc->current != 0 ? (double)PetscAbsReal(npp->elecCurrent[b] / bc->current) : 0.0));
      total += PetscAbsReal(npp->elecCurrent[b]);
    }
    PetscCall(PetscFPrintf(comm, fp, "}, \"leakage_current\": %.17g},\n", (double)(total / 2)));
  }
  if (EffectiveConductivity(npp, &sigma, &L, &A, &dV, &cur, &cons)) {
    PetscCall(PetscFPrintf(comm, fp, "  \"effective_conductivity\": %.17g,\n  \"current\": %.17g,\n  \"voltage\": %.17g,\n  \"length\": %.17g,\n  \"area\": %.17g,\n  \"conservation_error\": %.6e,\n", (double)sigma, (double)cur, (double)dV, (double)L, (double)A, (double)cons));
    PetscCall(WriteMicrostructure(npp, fp, sigma));
  }
  {
    PetscReal total[NPP_MAX_SPECIES], charge, scale = 0;
    PetscCall(NppBalance(npp, npp->X, total, &charge));
    PetscCall(PetscFPrintf(comm, fp, "  \"balance\": {\"total_charge\": %.17g, \"amount\": {", (double)charge));
    for (PetscInt i = 0; i < ns; i++) PetscCall(PetscFPrintf(comm, fp, "%s\"%s\": %.17g", i ? ", " : "", ph->sp[i].name, (double)total[i]));
    PetscCall(PetscFPrintf(comm, fp, "}"));
    if (npp->transient) {
      PetscReal err = 0;
      PetscCall(PetscFPrintf(comm, fp, ", \"initial_amount\": {"));
      for (PetscInt i = 0; i < ns; i++) PetscCall(PetscFPrintf(comm, fp, "%s\"%s\": %.17g", i ? ", " : "", ph->sp[i].name, (double)npp->total0[i]));
      PetscCall(PetscFPrintf(comm, fp, "}, \"boundary_inflow\": {"));
      for (PetscInt i = 0; i < ns; i++) PetscCall(PetscFPrintf(comm, fp, "%s\"%s\": %.17g", i ? ", " : "", ph->sp[i].name, (double)npp->inflow[i]));
      for (PetscInt i = 0; i < ns; i++) scale = PetscMax(scale, PetscAbsReal(npp->total0[i]));
      for (PetscInt i = 0; i < ns; i++) err = PetscMax(err, PetscAbsReal(total[i] - npp->total0[i] - npp->inflow[i]) / scale);
      /* the inflow is integrated with the backward-Euler rule: the balance closes exactly only for it */
      {
        TSType    type;
        PetscBool be;
        PetscCall(TSGetType(npp->ts, &type));
        PetscCall(PetscStrcmp(type, TSBEULER, &be));
        if (be) PetscCall(PetscFPrintf(comm, fp, "}, \"mass_conservation_error\": %.6e", (double)err));
        else PetscCall(PetscFPrintf(comm, fp, "}, \"mass_conservation_error\": null, \"mass_balance_note\": \"the boundary inflow is integrated with the backward-Euler rule, exact only for -ts_type beuler (here %s)\"", type));
      }
    }
    PetscCall(PetscFPrintf(comm, fp, "},\n"));
  }
  if (npp->mms.on) {
    PetscCall(PetscFPrintf(comm, fp, "  \"mms\": {\"l2_error\": %.17g, \"h\": %.17g, \"l2_errors\": {", (double)npp->mms.l2error[npp->fld.phi], (double)npp->mms.h));
    for (PetscInt f = 0; f < npp->fld.nf; f++) PetscCall(PetscFPrintf(comm, fp, "%s\"%s%s\": %.17g", f ? ", " : "", f == npp->fld.phi ? "potential" : "c_", f == npp->fld.phi ? "" : ph->sp[npp->fld.speciesOfField[f]].name, (double)npp->mms.l2error[f]));
    PetscCall(PetscFPrintf(comm, fp, "}},\n"));
  }
  PetscCall(PetscFPrintf(comm, fp, "  \"solver\": {\"snes_iterations\": %d, \"ksp_iterations\": %d, \"continuation\": \"%s\", \"steps\": %d", (int)npp->snesIts, (int)npp->kspIts, npp->transient ? "none" : npp->continuation, (int)npp->nsteps));
  if (npp->transient) {
    PetscCall(PetscFPrintf(comm, fp, ", \"step_log\": ["));
    for (PetscInt k = 0; k < npp->nsteps; k++) PetscCall(PetscFPrintf(comm, fp, "%s[%.10g, %.6g, %d, %d]", k ? ", " : "", (double)npp->steps[k].t, (double)npp->steps[k].dt, (int)npp->steps[k].snes, (int)npp->steps[k].ksp));
    PetscCall(PetscFPrintf(comm, fp, "], \"step_log_columns\": [\"t\", \"dt\", \"newton\", \"krylov\"]"));
  }
  PetscCall(PetscFPrintf(comm, fp, "},\n"));
  PetscCall(PetscFPrintf(comm, fp, "  \"output_times\": ["));
  for (PetscInt k = 0; k < npp->nwritten; k++) PetscCall(PetscFPrintf(comm, fp, "%s%.17g", k ? ", " : "", (double)npp->written[k]));
  PetscCall(PetscFPrintf(comm, fp, "],\n"));
  PetscCall(PetscFPrintf(comm, fp, "  \"time\": {\"mesh\": %.4f, \"distribute\": %.4f, \"setup\": %.4f, \"solve\": %.4f, \"output\": %.4f},\n", npp->t.mesh, npp->t.distribute, npp->t.setup, npp->t.solve, npp->t.output));
  PetscCall(PetscFPrintf(comm, fp, "  \"memory\": {\"peak_rss_max_rank\": %.0f, \"peak_rss_total\": %.0f}\n}\n", rssMax, rssSum));
  PetscCall(PetscFClose(comm, fp));
  PetscFunctionReturn(0);
}
