/* SPDX-License-Identifier: BSD-2-Clause */
static const char help[] = "npp: finite-volume Nernst-Planck-Poisson solver for solid-state Li-metal batteries.\n"
                           "Usage: npp <case directory or case.yaml> [-key value ...]\n"
                           "Every key of the case file can be overridden on the command line.\n"
                           "npp -help lists every key with its default; npp <case> -help with the case's values.\n"
                           "npp -materials lists the material library (docs/materials.md).\n";

#include "npp.h"
#include <hdf5.h>

/* Runs one case; a failure leaves no partial output behind. */
static PetscErrorCode Run(int argc, char **argv, Npp npp)
{
  PetscBool listOnly;

  PetscFunctionBeginUser;
  PetscCall(NppSetUp(npp, argc, argv));
  PetscCall(PetscOptionsHasHelp(NULL, &listOnly));
  if (listOnly) PetscFunctionReturn(0);                   /* the keys are listed: no mesh, no solve */
  if (npp->meshInfo.converted[0]) PetscFunctionReturn(0); /* -mesh_convert: the mesh is the result */
  PetscCall(NppSolve(npp));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  Npp            npp = NULL;
  PetscErrorCode ierr;

  PetscCall(PetscInitialize(&argc, &argv, NULL, help));
  (void)H5Eset_auto2(H5E_DEFAULT, NULL, NULL); /* HDF5's failures reach the user as one npp: error line, not HDF5's stack dumps */
  PetscCall(NppErrorHandlerPush());
  {
    PetscBool list = PETSC_FALSE;
    PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "npp", NULL);
    PetscCall(NppOptionsBool(PetscOptionsObject, "-materials", "list the material library (docs/materials.md) and exit", "-", list, &list, NULL));
    PetscOptionsEnd();
    if (list) {
      PetscCall(NppMaterialListPrint(PETSC_COMM_WORLD));
      PetscCall(NppCaseFinalize());
      PetscCall(PetscFinalize());
      return 0;
    }
  }
  PetscCall(NppCreate(PETSC_COMM_WORLD, &npp));
  ierr = Run(argc, argv, npp);
  if (ierr) {
    /* Input errors, non-convergence and our write checks are raised on all ranks alike: what the
       run completed is kept, and it ends cleanly. Anything else may be local to one rank: end the
       whole job rather than hang. */
    PetscMPIInt     size;
    const PetscBool collective = (PetscBool)(ierr == PETSC_ERR_USER_INPUT || ierr == PETSC_ERR_NOT_CONVERGED || ierr == NPP_ERR_WRITE);
    MPI_Comm_size(PETSC_COMM_WORLD, &size);
    if (collective && ierr != NPP_ERR_WRITE) (void)NppOutputKeepFailed(npp, NppErrorMessage());
    (void)NppAbortOutput(npp);
    if (!collective && size > 1) MPI_Abort(PETSC_COMM_WORLD, (int)ierr);
    (void)NppDestroy(&npp);
    (void)NppCaseFinalize();
    (void)PetscFinalize();
    return 1;
  }
  PetscCall(NppDestroy(&npp));
  PetscCall(NppCaseFinalize());
  PetscCall(PetscFinalize());
  return 0;
}
