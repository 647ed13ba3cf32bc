#include "npp.h"
#include <sys/stat.h>
#include <errno.h>
#include <unistd.h>

PetscErrorCode NppCreate(MPI_Comm comm, Npp *npp)
{
  PetscFunctionBeginUser;
  PetscCall(PetscNew(npp));
  (*npp)->comm = comm;
  PetscFunctionReturn(0);
}

/* Rank 0 creates the output directory; every rank learns whether it could. */
static PetscErrorCode CreateOutputDir(Npp npp)
{
  PetscMPIInt rank;
  int         err = 0;
  PetscBool   set;
  char        val[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  PetscCall(PetscSNPrintf(val, sizeof val, "output/%s", npp->cs.name[0] ? npp->cs.name : "run"));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-output_dir", val, sizeof val, &set));
  PetscCall(PetscStrncpy(npp->outdir, val, sizeof npp->outdir));
  if (!rank) {
    char  tmp[PETSC_MAX_PATH_LEN];
    struct stat st;
    PetscCall(PetscStrncpy(tmp, npp->outdir, sizeof tmp));
    npp->outdirCreated = stat(tmp, &st) != 0;
    for (char *p = tmp + 1; *p && !err; p++) /* mkdir -p */
      if (*p == '/') {
        *p = 0;
        if (mkdir(tmp, 0755) && errno != EEXIST) err = errno;
        *p = '/';
      }
    if (!err && mkdir(tmp, 0755) && errno != EEXIST) err = errno;
    if (!err && (stat(tmp, &st) || !S_ISDIR(st.st_mode) || access(tmp, W_OK))) err = ENOTDIR;
  }
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, npp->comm));
  if (err) NppInputError(npp->comm, "-output_dir", "cannot create or write directory %s: %s", npp->outdir, strerror(err));
  PetscFunctionReturn(0);
}

PetscErrorCode NppSetUp(Npp npp, int argc, char **argv)
{
  PetscLogDouble t0, t1;
  PetscInt       overlap;

  PetscFunctionBeginUser;
  PetscCall(PetscTime(&t0));
  PetscCall(NppCaseLoad(npp->comm, argc, argv, &npp->cs));
  PetscCall(CreateOutputDir(npp));
  npp->correct = PETSC_TRUE;
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-fv_nonorthogonal_correction", &npp->correct, NULL));
  npp->correctMinOrtho = 0.1; /* see docs/theory.md */
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-fv_correction_min_orthogonality", &npp->correctMinOrtho, NULL));
  if (!(npp->correctMinOrtho >= 0 && npp->correctMinOrtho <= 1)) NppInputError(npp->comm, "-fv_correction_min_orthogonality", "%g must be in [0, 1]", (double)npp->correctMinOrtho);
  /* The corrected flux at a face next to a ghost cell uses that ghost's neighbours. */
  overlap = npp->correct ? 2 : 1;
  PetscCall(NppMeshCreate(npp->comm, &npp->cs, npp->outdir, overlap, &npp->dm, &npp->meshInfo));
  npp->t.mesh       = npp->meshInfo.time_generate;
  npp->t.distribute = npp->meshInfo.time_distribute;
  PetscCall(PetscTime(&t1));
  t0 = t1;

  PetscCall(NppFVGeomCreate(npp->dm, &npp->geom));
  PetscCall(NppFVGeomQuality(npp->geom, npp->comm, &npp->minOrtho, &npp->maxSkew));
  PetscCall(NppRegionsSetUp(npp));
  PetscCall(NppBoundariesSetUp(npp));
  PetscCall(PetscCalloc1(npp->geom->ncells, &npp->cellSource));
  PetscCall(NppMMSSetUp(npp));
  PetscCall(NppConductionSetUp(npp));
  PetscCall(NppCaseCheckUnused(npp->comm, PETSC_TRUE));
  PetscCall(PetscTime(&t1));
  npp->t.setup = t1 - t0;

  {
    PetscMPIInt size;
    PetscCallMPI(MPI_Comm_size(npp->comm, &size));
    PetscCall(PetscPrintf(npp->comm, "npp: case %s: %d cells (%d-D) on %d rank%s, mesh %s\n", npp->cs.file[0] ? npp->cs.file : "(command line)", (int)npp->globalCells, (int)npp->geom->dim, size, size > 1 ? "s" : "", npp->meshInfo.file));
    PetscCall(PetscPrintf(npp->comm, "npp: mesh quality: min orthogonality %.4f (1 = orthogonal), max skewness %.3g, non-orthogonal correction %s", (double)npp->minOrtho, (double)npp->maxSkew, npp->correct ? "on" : "off"));
    if (npp->nfallback) PetscCall(PetscPrintf(npp->comm, "; %d cells fall back to two-point fluxes", (int)npp->nfallback));
    if (npp->nuncorrected) PetscCall(PetscPrintf(npp->comm, "; %d faces too skewed to correct", (int)npp->nuncorrected));
    PetscCall(PetscPrintf(npp->comm, "\n"));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppSolve(Npp npp)
{
  SNESConvergedReason reason;
  PetscLogDouble      t0, t1;

  PetscFunctionBeginUser;
  PetscCall(PetscTime(&t0));
  PetscCall(VecSet(npp->X, 0.0));
  PetscCall(SNESSolve(npp->snes, NULL, npp->X));
  PetscCall(SNESGetConvergedReason(npp->snes, &reason));
  PetscCall(SNESGetIterationNumber(npp->snes, &npp->snesIts));
  PetscCall(SNESGetLinearSolveIterations(npp->snes, &npp->kspIts));
  PetscCheck(reason > 0, npp->comm, PETSC_ERR_NOT_CONVERGED, "the solver did not converge (%s after %d Newton and %d Krylov iterations); rerun with -snes_monitor -ksp_monitor -snes_converged_reason to see why", SNESConvergedReasons[reason], (int)npp->snesIts, (int)npp->kspIts);
  PetscCall(NppMMSError(npp));
  PetscCall(PetscTime(&t1));
  npp->t.solve = t1 - t0;
  /* PETSc reads some of its options only during the solve: check them all before writing. */
  PetscCall(NppCaseCheckUnused(npp->comm, PETSC_FALSE));
  PetscFunctionReturn(0);
}

PetscErrorCode NppDestroy(Npp *npp)
{
  Npp n = *npp;

  PetscFunctionBeginUser;
  if (!n) PetscFunctionReturn(0);
  PetscCall(SNESDestroy(&n->snes));
  PetscCall(MatDestroy(&n->J));
  PetscCall(VecDestroy(&n->X));
  PetscCall(VecDestroy(&n->Xloc));
  PetscCall(NppFaceReconDestroy(&n->recon));
  PetscCall(NppFVGeomDestroy(&n->geom));
  PetscCall(DMDestroy(&n->dm));
  PetscCall(PetscFree3(n->mat, n->regionCells, n->regionVolume));
  PetscCall(PetscFree(n->cellRegion));
  PetscCall(PetscFree3(n->faceBC, n->faceHasValue, n->faceValue));
  PetscCall(PetscFree(n->bc));
  PetscCall(PetscFree2(n->faceTrans, n->faceFlux));
  PetscCall(PetscFree(n->cellSource));
  PetscCall(PetscFree2(n->cellRow, n->ownedPos));
  PetscCall(PetscFree(n->cooVal));
  PetscCall(PetscFree(*npp));
  PetscFunctionReturn(0);
}
