#include "npp.h"
#include <stdio.h>
#include <unistd.h>

/* Time series of the electrodes, one row per time step: electrodes.csv(.partial), rank 0. */
PetscErrorCode NppSeriesOpen(Npp npp)
{
  PetscMPIInt rank;
  char        path[PETSC_MAX_PATH_LEN];
  PetscBool   any = PETSC_FALSE;

  PetscFunctionBeginUser;
  for (PetscInt b = 0; b < npp->nbc; b++) any = (PetscBool)(any || npp->bc[b].electrode);
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  if (!any || rank) PetscFunctionReturn(0);
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/electrodes.csv.partial", npp->outdir));
  npp->csv = fopen(path, "w");
  PetscCheck(npp->csv, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", path);
  fprintf(npp->csv, "time_s,cell_voltage_V");
  for (PetscInt b = 0; b < npp->nbc; b++) {
    const char *n = npp->bc[b].name;
    if (!npp->bc[b].electrode) continue;
    fprintf(npp->csv, ",%s_potential_V,%s_applied_current_density_A_m2,%s_current_density_A_m2,%s_overpotential_V,%s_film_drop_V,%s_min_concentration_mol_m3,%s_apex_current_density_A_m2,%s_amplification", n, n, n, n, n, n, n, n);
  }
  fprintf(npp->csv, "\n");
  PetscFunctionReturn(0);
}

PetscErrorCode NppSeriesWrite(Npp npp, PetscReal t)
{
  PetscReal V;

  PetscFunctionBeginUser;
  if (!npp->csv) PetscFunctionReturn(0);
  PetscCall(NppCellVoltage(npp, &V));
  fprintf(npp->csv, "%.10g,%.10g", (double)t, (double)V);
  for (PetscInt b = 0; b < npp->nbc; b++) {
    const NppBoundary       *bc = &npp->bc[b];
    const NppElectrodeStats *st = &bc->stats;
    PetscReal                iapp = 0;
    if (!bc->electrode) continue;
    if (bc->galvanostatic) iapp = NppCurrentScheduleValue(&bc->schedule, t);
    fprintf(npp->csv, ",%.10g,", (double)NppElectrodePotential(npp, bc));
    if (bc->galvanostatic) fprintf(npp->csv, "%.10g", (double)iapp); /* empty for a potentiostatic electrode */
    fprintf(npp->csv, ",%.10g,%.10g,%.10g,%.10g,%.10g,%.10g", (double)st->mean, (double)st->overpotential, (double)st->filmDrop, (double)st->minConcentration, (double)st->apex, (double)st->amplification);
  }
  fprintf(npp->csv, "\n");
  fflush(npp->csv);
  PetscFunctionReturn(0);
}

/* Closes the series; keep: rename it to electrodes.csv, else remove it. Rank 0 only work. */
PetscErrorCode NppSeriesClose(Npp npp, PetscBool keep)
{
  char a[PETSC_MAX_PATH_LEN], b[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  if (!npp->csv) PetscFunctionReturn(0);
  fclose(npp->csv);
  npp->csv = NULL;
  PetscCall(PetscSNPrintf(a, sizeof a, "%s/electrodes.csv.partial", npp->outdir));
  PetscCall(PetscSNPrintf(b, sizeof b, "%s/electrodes.csv", npp->outdir));
  if (keep) PetscCheck(!rename(a, b), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot rename %s to %s", a, b);
  else (void)unlink(a);
  PetscFunctionReturn(0);
}
