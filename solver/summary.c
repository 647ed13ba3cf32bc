#include "npp.h"
#include <sys/resource.h>

/* The run summary: one JSON object, written by rank 0, read by tests and sweeps. */

/* Effective conductivity between the two potential boundaries, sigma_eff = cur L / (A dV),
   with L the distance between their centroids and A the area of the first. */
static PetscBool EffectiveConductivity(Npp npp, PetscReal *sigma, PetscReal *L, PetscReal *A, PetscReal *dV, PetscReal *cur, PetscReal *cons)
{
  if (npp->nbc != 2 || npp->mms.on) return PETSC_FALSE;
  const NppBoundary *hi = &npp->bc[0], *lo = &npp->bc[1];
  if (hi->potential < lo->potential) hi = &npp->bc[1], lo = &npp->bc[0];
  *dV = hi->potential - lo->potential;
  if (*dV <= 0) return PETSC_FALSE;
  *L = 0;
  for (int i = 0; i < 3; i++) *L += PetscSqr(hi->centroid[i] - lo->centroid[i]);
  *L     = PetscSqrtReal(*L);
  *A     = hi->area;
  *cur     = lo->current; /* leaves through the low-potential boundary */
  *cons  = PetscAbsReal(hi->current + lo->current) / PetscAbsReal(lo->current);
  *sigma = *cur * *L / (*A * *dV);
  return PETSC_TRUE;
}

PetscErrorCode NppWriteSummary(Npp npp, const char path[])
{
  MPI_Comm    comm = npp->comm;
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
  if (npp->meshInfo.nparticles) PetscCall(PetscFPrintf(comm, fp, ", \"particles\": %d, \"particle_fraction\": %.10g", (int)npp->meshInfo.nparticles, (double)npp->meshInfo.particle_fraction));
  PetscCall(PetscFPrintf(comm, fp, "},\n  \"regions\": [\n"));
  for (PetscInt r = 0; r < npp->nregions; r++)
    PetscCall(PetscFPrintf(comm, fp, "    {\"name\": \"%s\", \"id\": %d, \"conductivity\": %.17g, \"cells\": %d, \"volume\": %.17g}%s\n", npp->mat[r].name, (int)r, npp->mat[r].conductivity, (int)npp->regionCells[r], (double)npp->regionVolume[r], r + 1 < npp->nregions ? "," : ""));
  PetscCall(PetscFPrintf(comm, fp, "  ],\n  \"boundaries\": [\n"));
  for (PetscInt b = 0; b < npp->nbc; b++)
    PetscCall(PetscFPrintf(comm, fp, "    {\"name\": \"%s\", \"potential\": %.17g, \"area\": %.17g, \"current\": %.17g}%s\n", npp->bc[b].name, (double)npp->bc[b].potential, (double)npp->bc[b].area, (double)npp->bc[b].current, b + 1 < npp->nbc ? "," : ""));
  PetscCall(PetscFPrintf(comm, fp, "  ],\n"));
  if (EffectiveConductivity(npp, &sigma, &L, &A, &dV, &cur, &cons))
    PetscCall(PetscFPrintf(comm, fp, "  \"effective_conductivity\": %.17g,\n  \"current\": %.17g,\n  \"voltage\": %.17g,\n  \"length\": %.17g,\n  \"area\": %.17g,\n  \"conservation_error\": %.6e,\n", (double)sigma, (double)cur, (double)dV, (double)L, (double)A, (double)cons));
  if (npp->mms.on) PetscCall(PetscFPrintf(comm, fp, "  \"mms\": {\"l2_error\": %.17g, \"h\": %.17g},\n", (double)npp->mms.l2error, (double)npp->mms.h));
  PetscCall(PetscFPrintf(comm, fp, "  \"solver\": {\"snes_iterations\": %d, \"ksp_iterations\": %d},\n", (int)npp->snesIts, (int)npp->kspIts));
  PetscCall(PetscFPrintf(comm, fp, "  \"time\": {\"mesh\": %.4f, \"distribute\": %.4f, \"setup\": %.4f, \"solve\": %.4f, \"output\": %.4f},\n", npp->t.mesh, npp->t.distribute, npp->t.setup, npp->t.solve, npp->t.output));
  PetscCall(PetscFPrintf(comm, fp, "  \"memory\": {\"peak_rss_max_rank\": %.0f, \"peak_rss_total\": %.0f}\n}\n", rssMax, rssSum));
  PetscCall(PetscFClose(comm, fp));
  PetscFunctionReturn(0);
}
