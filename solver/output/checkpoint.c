/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE /* ftruncate, fileno */
#include "npp.h"
#include <petscviewerhdf5.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Checkpoint and restart of a transient run.

   checkpoint.h5 holds what the run needs to go on as if it had not stopped: the state of the
   last step and of the one before (cell unknowns in the numbers of the mesh as read, so that a
   restart on another partition or rank count finds its cells; the global unknowns), the time of
   both, the step size chosen for the next step, the step count and log, the iteration counters,
   the mass balance, the output times written with the mesh file of each, and the length of
   electrodes.csv; with them the mesh file the run read and its options. It is written under a
   temporary name, synced and renamed, every -checkpoint_every steps and every
   -checkpoint_interval seconds of wall time.

   Why two states: the step-size controller's error estimate of a step uses the step before it
   (PETSc's TSTHETA keeps it privately). A restart therefore repeats the last step from the state
   before it, with the controller's history reset as after any first step, and then puts back the
   stored state, time and next step size (transient.c): the controller then has the same history
   as the uninterrupted run, and writing a checkpoint never changes a run's steps.

   A rerun of the same command into the directory continues from its checkpoint (-restart 0
   starts afresh); -restart continues even where options differ (say, a later -time_final, other
   solver options), naming them. The mesh is read from the file the checkpointed run read (a
   generated mesh: its mesh.msh), never generated again. */

#define NPP_CHECKPOINT "checkpoint.h5"

PetscErrorCode NppCheckpointOptions(MPI_Comm comm, NppOutput *out)
{
  PetscFunctionBeginUser;
  out->checkpointInterval = 600;
  PetscOptionsBegin(comm, "checkpoint_", "Checkpoints of a transient run (-checkpoint_*)", NULL);
  PetscCall(NppOptionsInt(PetscOptionsObject, "-every", "write a checkpoint every N steps (0: by wall time only)", "-", out->checkpointEvery, &out->checkpointEvery, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-interval", "write a checkpoint after this much wall time since the last (0: by steps only)", "s", out->checkpointInterval, &out->checkpointInterval, NULL));
  PetscOptionsEnd();
  if (out->checkpointEvery < 0) NppInputError(comm, "-checkpoint_every", "%d must be a non-negative number of steps (0: by wall time only)", (int)out->checkpointEvery);
  if (!(out->checkpointInterval >= 0)) NppInputError(comm, "-checkpoint_interval", "%g s must be non-negative (0: by steps only)", (double)out->checkpointInterval);
  PetscFunctionReturn(0);
}

/* Test hook (the restart tests kill runs at chosen moments): NPP_FAULT=<where>:<n>[:<rank>]
   kills this process with SIGKILL at the n-th passage through the point named where, on the
   given rank (default 0). Points: jacobian (inside a step), output (an output file half
   written), checkpoint (a checkpoint half written). */
PetscErrorCode NppFaultPoint(MPI_Comm comm, const char where[])
{
  static int  count[8];
  static char names[8][16];
  const char *spec = getenv("NPP_FAULT");
  char        w[16];
  int         n = 0, r = 0, k;
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  if (!spec || sscanf(spec, "%15[^:]:%d:%d", w, &n, &r) < 2 || strcmp(w, where)) PetscFunctionReturn(0);
  for (k = 0; k < 8 && names[k][0] && strcmp(names[k], where); k++) { }
  if (k == 8) PetscFunctionReturn(0);
  if (!names[k][0]) PetscCall(PetscStrncpy(names[k], where, sizeof names[k]));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (++count[k] == n && rank == r) {
    fprintf(stderr, "npp: NPP_FAULT: killed at %s %d\n", where, n);
    fflush(stderr);
    raise(SIGKILL);
  }
  PetscFunctionReturn(0);
}

/* The options of the run as one string, without those that cannot change its results
   (checkpointing, restart, progress, viewers and monitors), sorted: two runs continue each other
   only if their strings are equal. */
static PetscErrorCode OptionsFingerprint(char **fp)
{
  char       *all, *tok, *save = NULL, **pairs;
  size_t      n      = 0, len;
  const char *skip[] = {"-restart", "-checkpoint_", "-output_progress", "-log_", "-malloc", "-options_left", "-help", "-info", "-version"};

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetAll(NULL, &all));
  PetscCall(PetscStrlen(all, &len));
  PetscCall(PetscMalloc1(len / 2 + 2, &pairs));
  for (tok = strtok_r(all, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
    const PetscBool key = (PetscBool)(tok[0] == '-' && ((tok[1] >= 'a' && tok[1] <= 'z') || (tok[1] >= 'A' && tok[1] <= 'Z')));
    if (key) pairs[n++] = tok;
    else if (n) tok[-1] = '='; /* "-key=value" as one entry */
  }
  {
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      PetscBool drop = (PetscBool)(strstr(pairs[i], "_view") || strstr(pairs[i], "monitor") || strstr(pairs[i], "converged_reason"));
      for (size_t j = 0; j < sizeof skip / sizeof skip[0] && !drop; j++) drop = (PetscBool)!strncmp(pairs[i], skip[j], strlen(skip[j]));
      if (!drop) pairs[m++] = pairs[i];
    }
    n = m;
  }
  qsort(pairs, n, sizeof *pairs, (int (*)(const void *, const void *))strcmp);
  PetscCall(PetscMalloc1(len + 2, fp));
  (*fp)[0] = 0;
  for (size_t i = 0; i < n; i++) {
    if (i) PetscCall(PetscStrlcat(*fp, " ", len + 2));
    PetscCall(PetscStrlcat(*fp, pairs[i], len + 2));
  }
  PetscCall(PetscFree(pairs));
  PetscCall(PetscFree(all));
  PetscFunctionReturn(0);
}

/* The keys whose entries differ between two fingerprints, for a note. */
static PetscErrorCode DifferingKeys(const char a[], const char b[], char list[], size_t len)
{
  PetscFunctionBeginUser;
  list[0] = 0;
  for (int pass = 0; pass < 2; pass++) {
    const char *x = pass ? b : a, *y = pass ? a : b;
    for (const char *p = x; *p;) {
      const char *e = strchr(p, ' ');
      size_t      n = e ? (size_t)(e - p) : strlen(p);
      char        entry[512], key[512];
      PetscBool   found = PETSC_FALSE;
      (void)snprintf(entry, sizeof entry, "%.*s", (int)n, p);
      for (const char *q = y; *q && !found;) { /* the same entry in y? */
        const char *f = strchr(q, ' ');
        size_t      m = f ? (size_t)(f - q) : strlen(q);
        found         = (PetscBool)(m == n && !strncmp(q, p, n));
        q             = f ? f + 1 : q + m;
      }
      if (!found) {
        (void)snprintf(key, sizeof key, "%s", entry);
        if (strchr(key, '=')) *strchr(key, '=') = 0;
        if (!strstr(list, key) && strlen(list) + strlen(key) + 3 < len) {
          if (list[0]) PetscCall(PetscStrlcat(list, ", ", len));
          PetscCall(PetscStrlcat(list, key, len));
        }
      }
      p = e ? e + 1 : p + n;
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppRestartOption(MPI_Comm comm, PetscBool *want, PetscBool *set)
{
  PetscFunctionBeginUser;
  *want = PETSC_FALSE;
  PetscOptionsBegin(comm, "", "Restart", NULL);
  PetscCall(NppOptionsBool(PetscOptionsObject, "-restart", "continue from the checkpoint in -output_dir (default: when it is of the same options); 0: start afresh", "-", *want, want, set));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/* Before the mesh: whether this run continues from a checkpoint in its directory, and if so on
   which mesh file. -restart: yes (an error without a checkpoint), -restart 0: no, not given: if
   the checkpoint's options are this run's. */
PetscErrorCode NppCheckpointProbe(MPI_Comm comm, NppOutput *out, PetscBool transient, char meshFile[], size_t len, PetscBool *restart)
{
  PetscBool   want = PETSC_FALSE, set, exists = PETSC_FALSE;
  PetscMPIInt rank;
  char        path[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  *restart = PETSC_FALSE;
  PetscCall(NppRestartOption(comm, &want, &set));
  PetscCall(OptionsFingerprint(&out->fingerprint)); /* the user's options, before npp adds any defaults */
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/" NPP_CHECKPOINT, out->outdir));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    struct stat st;
    exists = (PetscBool)(stat(path, &st) == 0);
  }
  PetscCallMPI(MPI_Bcast(&exists, 1, MPIU_BOOL, 0, comm));
  if (set && want && !transient) NppInputError(comm, "-restart", "only a transient run (-time_final) restarts from a checkpoint");
  if (set && want && !exists) NppInputError(comm, "-restart", "no checkpoint in %s to continue from (a transient run writes %s there: -checkpoint_every, -checkpoint_interval)", out->outdir, NPP_CHECKPOINT);
  if (!exists || !transient || (set && !want)) PetscFunctionReturn(0);
  { /* written whole or not at all (renamed when complete): unreadable means damaged since */
    int ok = 1;
    if (!rank) {
      const hid_t f      = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
      const char *attr[] = {"options", "mesh", "time", "step", "cells"};
      ok                 = f >= 0 && H5Lexists(f, "state", H5P_DEFAULT) > 0 && H5Lexists(f, "previous", H5P_DEFAULT) > 0;
      for (size_t i = 0; ok && i < sizeof attr / sizeof attr[0]; i++) ok = H5Aexists_by_name(f, "/", attr[i], H5P_DEFAULT) > 0;
      if (f >= 0) H5Fclose(f);
    }
    PetscCallMPI(MPI_Bcast(&ok, 1, MPI_INT, 0, comm));
    if (!ok) NppInputError(comm, "-restart", "the checkpoint %s is damaged (not a complete npp checkpoint): remove it, or give -restart 0 to start afresh", path);
  }
  {
    PetscViewer v;
    char       *theirs = NULL, *mesh = NULL, *ours, differ[512];
    PetscReal   t;
    NppErrorWriting(NULL);
    PetscCall(PetscViewerHDF5Open(comm, path, FILE_MODE_READ, &v));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "options", PETSC_STRING, NULL, &theirs));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "mesh", PETSC_STRING, NULL, &mesh));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "time", PETSC_REAL, NULL, &t));
    PetscCall(PetscViewerDestroy(&v));
    ours = out->fingerprint;
    PetscCall(DifferingKeys(theirs, ours, differ, sizeof differ));
    if (!set && differ[0]) {
      PetscCall(PetscPrintf(comm, "npp: note: %s holds a checkpoint of a run with other options (%s): starting afresh (-restart continues from it anyway)\n", out->outdir, differ));
    } else {
      *restart = PETSC_TRUE;
      PetscCall(PetscStrncpy(meshFile, mesh, len));
      char when[64]; /* plain C formatting: PETSc's %g writes 4. */
      snprintf(when, sizeof when, "%g", (double)t);
      PetscCall(PetscPrintf(comm, "npp: continuing the run in %s from its checkpoint at t = %s s%s%s%s\n", out->outdir, when, differ[0] ? " (options changed: " : "", differ, differ[0] ? ")" : ""));
    }
    PetscCall(PetscFree(theirs));
    PetscCall(PetscFree(mesh));
  }
  PetscFunctionReturn(0);
}

/* The scatter between the cell part of X and a vector of the cells in the numbers of the mesh
   as read (nf entries per cell). */
static PetscErrorCode NaturalScatter(Npp npp, Vec *xc, Vec *nat, VecScatter *sc)
{
  const NppDisc *disc = &npp->disc;
  const PetscInt nf = npp->model.fld.nf, no = disc->geom->nowned;
  PetscInt      *idx;
  IS             is;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc1(nf * no + 1, &idx));
  for (PetscInt c = 0; c < disc->geom->ncells; c++)
    if (disc->geom->owned[c])
      for (PetscInt f = 0; f < nf; f++) idx[nf * disc->ownedPos[c] + f] = nf * npp->meshInfo.cellNumber[c] + f;
  PetscCall(ISCreateGeneral(npp->comm, nf * no, idx, PETSC_OWN_POINTER, &is));
  PetscCall(VecCreateMPI(npp->comm, nf * no, PETSC_DETERMINE, xc));
  PetscCall(VecCreateMPI(npp->comm, PETSC_DECIDE, nf * disc->globalCells, nat));
  PetscCall(VecSetBlockSize(*nat, nf));
  PetscCall(VecScatterCreate(*xc, NULL, *nat, is, sc));
  PetscCall(ISDestroy(&is));
  PetscFunctionReturn(0);
}

/* Cell part of X <-> xc (same local layout, X has the global unknowns after the cells). */
static PetscErrorCode CellPart(Npp npp, Vec X, Vec xc, PetscBool toX)
{
  PetscScalar *x, *c;
  PetscInt     n;

  PetscFunctionBeginUser;
  PetscCall(VecGetLocalSize(xc, &n));
  PetscCall(VecGetArray(X, &x));
  PetscCall(VecGetArray(xc, &c));
  if (toX) PetscCall(PetscArraycpy(x, c, n));
  else PetscCall(PetscArraycpy(c, x, n));
  PetscCall(VecRestoreArray(xc, &c));
  PetscCall(VecRestoreArray(X, &x));
  PetscFunctionReturn(0);
}

/* The global unknowns of X, on every rank (g[nglobal]), or set from g. */
static PetscErrorCode Globals(Npp npp, Vec X, PetscScalar g[], PetscBool toX)
{
  const NppDisc *d = &npp->disc;
  PetscMPIInt    rank;
  PetscScalar   *x;

  PetscFunctionBeginUser;
  if (!d->nglobal) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  PetscCall(VecGetArray(X, &x));
  for (PetscInt i = 0; i < d->nglobal && rank == d->globalOwner; i++) {
    if (toX) x[d->nlocalCells + i] = g[i];
    else g[i] = x[d->nlocalCells + i];
  }
  PetscCall(VecRestoreArray(X, &x));
  if (!toX) PetscCallMPI(MPI_Bcast(g, (PetscMPIInt)d->nglobal, MPIU_SCALAR, d->globalOwner, npp->comm));
  PetscFunctionReturn(0);
}

/* Small arrays go to the file as vectors held by rank 0. */
static PetscErrorCode WriteArray(MPI_Comm comm, PetscViewer v, const char name[], PetscInt n, const PetscReal a[])
{
  PetscMPIInt rank;
  Vec         w;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecCreateMPIWithArray(comm, 1, rank ? 0 : n, n, a, &w));
  PetscCall(PetscObjectSetName((PetscObject)w, name));
  PetscCall(VecView(w, v));
  PetscCall(VecDestroy(&w));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadArray(MPI_Comm comm, PetscViewer v, const char name[], PetscInt n, PetscReal a[])
{
  PetscMPIInt        rank;
  Vec                w;
  const PetscScalar *x;

  PetscFunctionBeginUser;
  if (!n) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecCreateMPI(comm, rank ? 0 : n, n, &w));
  PetscCall(PetscObjectSetName((PetscObject)w, name));
  PetscCall(VecLoad(w, v));
  PetscCall(VecGetArrayRead(w, &x));
  for (PetscInt i = 0; i < n && !rank; i++) a[i] = PetscRealPart(x[i]);
  PetscCall(VecRestoreArrayRead(w, &x));
  PetscCall(VecDestroy(&w));
  PetscCallMPI(MPI_Bcast(a, (PetscMPIInt)n, MPIU_REAL, 0, comm));
  PetscFunctionReturn(0);
}

/* A check that the restart's mesh is the checkpoint's: total volume and a volume-weighted sum
   of the cell numbers. */
static PetscErrorCode MeshSignature(Npp npp, PetscReal sig[2])
{
  const NppFVGeom g = npp->disc.geom;

  PetscFunctionBeginUser;
  sig[0] = sig[1] = 0;
  for (PetscInt c = 0; c < g->ncells; c++)
    if (g->owned[c]) sig[0] += g->volume[c], sig[1] += g->volume[c] * (PetscReal)(npp->meshInfo.cellNumber[c] % 1000);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sig, 2, MPIU_REAL, MPIU_SUM, npp->comm));
  PetscFunctionReturn(0);
}

PetscBool NppCheckpointDue(Npp npp, PetscInt step)
{
  const NppOutput *out = &npp->out;
  PetscLogDouble   now = 0;
  PetscBool        due = PETSC_FALSE;

  if (out->checkpointEvery > 0 && step - out->checkpointLastStep >= out->checkpointEvery) due = PETSC_TRUE;
  if (out->checkpointInterval > 0) {
    (void)PetscTime(&now);
    if (now - out->checkpointLastTime >= out->checkpointInterval) due = PETSC_TRUE;
  }
  /* wall time differs between ranks: rank 0 decides (collective by construction of the caller) */
  (void)MPI_Bcast(&due, 1, MPIU_BOOL, 0, npp->comm);
  return due;
}

/* Writes checkpoint.h5 after step `step`: state X at time t, the state before it Xprev at tprev,
   the next step size dt. */
PetscErrorCode NppCheckpointWrite(Npp npp, PetscInt step, Vec X, PetscReal t, Vec Xprev, PetscReal tprev, PetscReal dt)
{
  NppOutput     *out = &npp->out;
  NppRun        *run = &npp->run;
  const PetscInt ns = npp->model.phys.nspecies, ng = npp->disc.nglobal;
  PetscViewer    v;
  Vec            xc, nat;
  VecScatter     sc;
  char           path[PETSC_MAX_PATH_LEN];
  PetscReal     *a, sig[2];
  PetscScalar   *g;
  long           csvLength = 0;
  PetscMPIInt    rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  if (!rank && out->csv) { /* the series up to this step, on the disk before the checkpoint names its length */
    int err   = fflush(out->csv) || fsync(fileno(out->csv));
    csvLength = err ? -1 : ftell(out->csv);
  }
  PetscCallMPI(MPI_Bcast(&csvLength, 1, MPI_LONG, 0, npp->comm));
  PetscCheck(csvLength >= 0, npp->comm, NPP_ERR_WRITE, "cannot write %s/electrodes.csv.partial (is the disk full?)", out->outdir);
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/" NPP_CHECKPOINT ".partial", out->outdir));
  NppErrorWriting(path);
  PetscCall(PetscViewerHDF5Open(npp->comm, path, FILE_MODE_WRITE, &v));
  PetscCall(NaturalScatter(npp, &xc, &nat, &sc));
  for (int k = 0; k < 2; k++) {
    PetscCall(CellPart(npp, k ? Xprev : X, xc, PETSC_FALSE));
    PetscCall(VecScatterBegin(sc, xc, nat, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterEnd(sc, xc, nat, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(PetscObjectSetName((PetscObject)nat, k ? "previous" : "state"));
    PetscCall(VecView(nat, v));
  }
  PetscCall(VecScatterDestroy(&sc));
  PetscCall(VecDestroy(&xc));
  PetscCall(VecDestroy(&nat));
  PetscCall(NppFaultPoint(npp->comm, "checkpoint"));
  PetscCall(PetscMalloc2(2 * ng + 1, &g, 4 * run->nsteps + 2 * out->nwritten + 4 * ns + 2 * ng + 1, &a));
  PetscCall(Globals(npp, X, g, PETSC_FALSE));
  PetscCall(Globals(npp, Xprev, g + ng, PETSC_FALSE));
  for (PetscInt i = 0; i < 2 * ng; i++) a[i] = PetscRealPart(g[i]);
  PetscCall(WriteArray(npp->comm, v, "globals", 2 * ng, a));
  for (PetscInt i = 0; i < run->nsteps; i++) {
    a[4 * i] = run->steps[i].t, a[4 * i + 1] = run->steps[i].dt;
    a[4 * i + 2] = run->steps[i].snes, a[4 * i + 3] = run->steps[i].ksp;
  }
  PetscCall(WriteArray(npp->comm, v, "steps", 4 * run->nsteps, a));
  for (PetscInt i = 0; i < out->nwritten; i++) a[2 * i] = out->written[i], a[2 * i + 1] = out->segment[i];
  PetscCall(WriteArray(npp->comm, v, "written", 2 * out->nwritten, a));
  for (PetscInt i = 0; i < ns; i++) a[i] = run->total0[i], a[ns + i] = run->inflow[i];
  PetscCall(WriteArray(npp->comm, v, "balance", 2 * ns, a));
  PetscCall(PetscFree2(g, a));
  PetscCall(MeshSignature(npp, sig));
  {
    const PetscInt  ints[]   = {step, run->nsteps, run->snesIts, run->kspIts, out->nwritten, npp->disc.globalCells, npp->model.fld.nf, ng, ns, (PetscInt)csvLength, out->ncheckpoints + 1};
    const char     *inames[] = {"step", "nsteps", "snes_iterations", "ksp_iterations", "nwritten", "cells", "fields", "globals", "species", "csv_length", "checkpoints"};
    const PetscReal reals[]  = {t, tprev, dt, sig[0], sig[1]};
    const char     *rnames[] = {"time", "previous_time", "next_step", "mesh_volume", "mesh_signature"};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) PetscCall(PetscViewerHDF5WriteAttribute(v, "/", inames[i], PETSC_INT, &ints[i]));
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) PetscCall(PetscViewerHDF5WriteAttribute(v, "/", rnames[i], PETSC_REAL, &reals[i]));
  }
  PetscCall(PetscViewerHDF5WriteAttribute(v, "/", "options", PETSC_STRING, out->fingerprint ? out->fingerprint : ""));
  PetscCall(PetscViewerHDF5WriteAttribute(v, "/", "mesh", PETSC_STRING, npp->meshInfo.file));
  {
    hid_t fid;
    int   bad, any;
    PetscCall(PetscViewerHDF5GetFileId(v, &fid));
    bad = H5Fflush(fid, H5F_SCOPE_GLOBAL) < 0;
    PetscCallMPI(MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_LOR, npp->comm));
    PetscCheck(!any, npp->comm, NPP_ERR_WRITE, "cannot write %s: HDF5 could not flush it (is the disk full?)", path);
  }
  PetscCall(PetscViewerDestroy(&v));
  NppErrorWriting(NULL);
  PetscCall(NppFileCommit(npp->comm, out->outdir, NPP_CHECKPOINT ".partial", NPP_CHECKPOINT));
  out->ncheckpoints++;
  out->checkpointLastStep = step;
  PetscCall(PetscTime(&out->checkpointLastTime));
  PetscFunctionReturn(0);
}

/* Reads the checkpoint into X (the state before the last step, from which the restart repeats
   it) and Xlast (the last step's), with the counters, step log, balance and output times; checks
   that it fits this run. */
PetscErrorCode NppCheckpointRead(Npp npp, Vec X, Vec Xlast, NppRestart *rs)
{
  NppOutput     *out = &npp->out;
  NppRun        *run = &npp->run;
  const PetscInt ns = npp->model.phys.nspecies, ng = npp->disc.nglobal;
  PetscViewer    v;
  Vec            xc, nat;
  VecScatter     sc;
  char           path[PETSC_MAX_PATH_LEN];
  PetscInt       cells, fields, globals, species, nsteps, nwritten, csvLength, nck;
  PetscReal      sig[2], theirs[2], *a;
  PetscScalar   *g;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/" NPP_CHECKPOINT, out->outdir));
  PetscCall(PetscViewerHDF5Open(npp->comm, path, FILE_MODE_READ, &v));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "cells", PETSC_INT, NULL, &cells));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "fields", PETSC_INT, NULL, &fields));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "globals", PETSC_INT, NULL, &globals));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "species", PETSC_INT, NULL, &species));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "mesh_volume", PETSC_REAL, NULL, &theirs[0]));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "mesh_signature", PETSC_REAL, NULL, &theirs[1]));
  PetscCall(MeshSignature(npp, sig));
  if (cells != npp->disc.globalCells || PetscAbsReal(sig[0] - theirs[0]) > 1e-9 * PetscAbsReal(theirs[0]) || PetscAbsReal(sig[1] - theirs[1]) > 1e-9 * PetscAbsReal(theirs[1]))
    NppInputError(npp->comm, "-restart", "the mesh %s (%d cells) is not the one of the checkpoint %s (%d cells): was it changed since?", npp->meshInfo.file, (int)npp->disc.globalCells, path, (int)cells);
  if (fields != npp->model.fld.nf || globals != ng || species != ns)
    NppInputError(npp->comm, "-restart", "the checkpoint %s has %d unknowns per cell, %d species and %d electrode potentials; this run has %d, %d and %d: its model differs (-restart 0 starts afresh)", path, (int)fields, (int)species, (int)globals,
                  (int)npp->model.fld.nf, (int)ns, (int)ng);
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "time", PETSC_REAL, NULL, &rs->t));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "previous_time", PETSC_REAL, NULL, &rs->tprev));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "next_step", PETSC_REAL, NULL, &rs->dt));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "step", PETSC_INT, NULL, &rs->step));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "nsteps", PETSC_INT, NULL, &nsteps));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "snes_iterations", PETSC_INT, NULL, &run->snesIts));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "ksp_iterations", PETSC_INT, NULL, &run->kspIts));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "nwritten", PETSC_INT, NULL, &nwritten));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "csv_length", PETSC_INT, NULL, &csvLength));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/", "checkpoints", PETSC_INT, NULL, &nck));
  rs->csvLength = csvLength;
  PetscCall(NaturalScatter(npp, &xc, &nat, &sc));
  for (int k = 0; k < 2; k++) {
    PetscCall(PetscObjectSetName((PetscObject)nat, k ? "state" : "previous"));
    PetscCall(VecLoad(nat, v));
    PetscCall(VecScatterBegin(sc, nat, xc, INSERT_VALUES, SCATTER_REVERSE));
    PetscCall(VecScatterEnd(sc, nat, xc, INSERT_VALUES, SCATTER_REVERSE));
    PetscCall(CellPart(npp, k ? Xlast : X, xc, PETSC_TRUE));
  }
  PetscCall(VecScatterDestroy(&sc));
  PetscCall(VecDestroy(&xc));
  PetscCall(VecDestroy(&nat));
  PetscCall(PetscMalloc2(2 * ng + 1, &g, 4 * nsteps + 2 * nwritten + 2 * ns + 2 * ng + 1, &a));
  PetscCall(ReadArray(npp->comm, v, "globals", 2 * ng, a));
  for (PetscInt i = 0; i < 2 * ng; i++) g[i] = a[i];
  PetscCall(Globals(npp, Xlast, g, PETSC_TRUE));
  PetscCall(Globals(npp, X, g + ng, PETSC_TRUE));
  PetscCall(ReadArray(npp->comm, v, "steps", 4 * nsteps, a));
  run->maxsteps = nsteps + 64;
  PetscCall(PetscRealloc(run->maxsteps * sizeof(NppStepLog), &run->steps));
  for (PetscInt i = 0; i < nsteps; i++) {
    run->steps[i].t = a[4 * i], run->steps[i].dt = a[4 * i + 1];
    run->steps[i].snes = (PetscInt)a[4 * i + 2], run->steps[i].ksp = (PetscInt)a[4 * i + 3];
  }
  run->nsteps = nsteps;
  PetscCall(ReadArray(npp->comm, v, "written", 2 * nwritten, a));
  out->maxwritten = nwritten + 16;
  PetscCall(PetscRealloc(out->maxwritten * sizeof(PetscReal), &out->written));
  PetscCall(PetscRealloc(out->maxwritten * sizeof(PetscInt), &out->segment));
  for (PetscInt i = 0; i < nwritten; i++) out->written[i] = a[2 * i], out->segment[i] = (PetscInt)a[2 * i + 1];
  out->nwritten = nwritten;
  PetscCall(ReadArray(npp->comm, v, "balance", 2 * ns, a));
  for (PetscInt i = 0; i < ns; i++) run->total0[i] = a[i], run->inflow[i] = a[ns + i];
  PetscCall(PetscFree2(g, a));
  PetscCall(PetscViewerDestroy(&v));
  out->ncheckpoints       = nck;
  out->checkpointLastStep = rs->step;
  PetscCall(PetscTime(&out->checkpointLastTime));
  run->restarts++;
  run->restartTime = rs->t;
  PetscFunctionReturn(0);
}

/* A completed run needs no checkpoint. */
PetscErrorCode NppCheckpointRemove(MPI_Comm comm, NppOutput *out)
{
  PetscMPIInt rank;
  char        path[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank) PetscFunctionReturn(0);
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/" NPP_CHECKPOINT, out->outdir));
  (void)unlink(path);
  PetscFunctionReturn(0);
}
