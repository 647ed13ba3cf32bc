/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE /* truncate */
#include "npp.h"
#include <stdio.h>
#include <unistd.h>
#include <errno.h>
#include <string.h>

/* Time series of the electrodes, one row per time step: electrodes.csv(.partial), rank 0. */
PetscErrorCode NppSeriesOpen(MPI_Comm comm, const NppModel *model, NppOutput *out)
{
  PetscMPIInt rank;
  char        path[PETSC_MAX_PATH_LEN];
  PetscBool   any = PETSC_FALSE;

  PetscFunctionBeginUser;
  for (PetscInt b = 0; b < model->nbc; b++) any = (PetscBool)(any || model->bc[b].electrode);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!any || rank) PetscFunctionReturn(0);
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/electrodes.csv.partial", out->outdir));
  out->csv = fopen(path, "w");
  PetscCheck(out->csv, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write %s", path);
  fprintf(out->csv, "time_s,cell_voltage_V");
  for (PetscInt b = 0; b < model->nbc; b++) {
    const char *n = model->bc[b].name;
    if (!model->bc[b].electrode) continue;
    fprintf(out->csv, ",%s_potential_V,%s_applied_current_density_A_m2,%s_current_density_A_m2,%s_overpotential_V,%s_film_drop_V,%s_min_concentration_mol_m3,%s_apex_current_density_A_m2,%s_amplification", n, n, n, n, n, n, n, n);
  }
  fprintf(out->csv, "\n");
  PetscFunctionReturn(0);
}

PetscErrorCode NppSeriesWrite(const NppModel *model, const NppEvaluation *ev, NppOutput *out, PetscReal t)
{
  PetscReal V;

  PetscFunctionBeginUser;
  if (!out->csv) PetscFunctionReturn(0);
  PetscCall(NppCellVoltage(model, ev, &V));
  fprintf(out->csv, "%.10g,%.10g", (double)t, (double)V);
  for (PetscInt b = 0; b < model->nbc; b++) {
    const NppBoundary       *bc   = &model->bc[b];
    const NppElectrodeStats *st   = &bc->stats;
    PetscReal                iapp = 0;
    if (!bc->electrode) continue;
    if (bc->galvanostatic) iapp = NppCurrentScheduleValue(&bc->schedule, t);
    fprintf(out->csv, ",%.10g,", (double)NppElectrodePotential(model, ev, bc));
    if (bc->galvanostatic) fprintf(out->csv, "%.10g", (double)iapp); /* empty for a potentiostatic electrode */
    fprintf(out->csv, ",%.10g,%.10g,%.10g,%.10g,%.10g,%.10g", (double)st->mean, (double)st->overpotential, (double)st->filmDrop, (double)st->minConcentration, (double)st->apex, (double)st->amplification);
  }
  fprintf(out->csv, "\n");
  fflush(out->csv);
  PetscFunctionReturn(0);
}

/* Collective: the series becomes electrodes.csv (synced, checked, renamed). */
PetscErrorCode NppSeriesCommit(MPI_Comm comm, NppOutput *out)
{
  PetscBool any = (PetscBool)(out->csv != NULL), all;
  char      path[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Allreduce(&any, &all, 1, MPIU_BOOL, MPI_LOR, comm));
  if (!all) PetscFunctionReturn(0);
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/electrodes.csv", out->outdir));
  PetscCall(NppFileClose(comm, out->csv, path));
  out->csv = NULL;
  PetscCall(NppFileCommit(comm, out->outdir, "electrodes.csv.partial", "electrodes.csv"));
  PetscFunctionReturn(0);
}

/* After a failure on some rank: the series is removed. Not collective. */
PetscErrorCode NppSeriesDiscard(NppOutput *out)
{
  char a[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  if (!out->csv) PetscFunctionReturn(0);
  fclose(out->csv);
  out->csv = NULL;
  PetscCall(PetscSNPrintf(a, sizeof a, "%s/electrodes.csv.partial", out->outdir));
  (void)unlink(a);
  PetscFunctionReturn(0);
}

/* A restart's series: the rows up to its checkpoint (length bytes of electrodes.csv.partial, or
   of electrodes.csv if the run that stopped had completed it), then this run's. Collective. */
PetscErrorCode NppSeriesResume(MPI_Comm comm, const NppModel *model, NppOutput *out, PetscInt length)
{
  PetscMPIInt rank;
  PetscBool   any = PETSC_FALSE;
  int         err = 0;
  char        path[PETSC_MAX_PATH_LEN], done[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  for (PetscInt b = 0; b < model->nbc; b++) any = (PetscBool)(any || model->bc[b].electrode);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!any) PetscFunctionReturn(0);
  if (!rank) {
    PetscCall(PetscSNPrintf(path, sizeof path, "%s/electrodes.csv.partial", out->outdir));
    PetscCall(PetscSNPrintf(done, sizeof done, "%s/electrodes.csv", out->outdir));
    if (access(path, F_OK) && rename(done, path)) err = errno;
    if (!err && truncate(path, (off_t)length)) err = errno;
    if (!err && !(out->csv = fopen(path, "a"))) err = errno;
  }
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
  PetscCheck(!err, comm, NPP_ERR_WRITE, "cannot continue %s/electrodes.csv.partial from the checkpoint: %s", out->outdir, strerror(err));
  PetscFunctionReturn(0);
}
