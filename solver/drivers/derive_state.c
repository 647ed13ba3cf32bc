/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"

/* Everything output writes of state X that is not X itself: the evaluation (face fluxes,
   electrode faces, cell values), the cell current density, and the electronic leakage with this
   state's electrode potentials (every run writes its final state, so the summary's leakage is the
   final one). The drivers call it before NppOutputWrite, which only writes. */
PetscErrorCode NppDeriveState(Npp npp, Vec X)
{
  PetscFunctionBeginUser;
  PetscCall(NppGlobalToLocal(npp->comm, &npp->disc, &npp->ev, X, npp->run.Xloc, PETSC_TRUE));
  PetscCall(NppOperatorEvaluate(npp, npp->run.Xloc, NULL, 0.0, NULL, NULL));
  PetscCall(NppCellCurrentDensity(npp));
  if (npp->run.elec) PetscCall(NppElectronicSolve(npp));
  PetscFunctionReturn(0);
}

/* A state the drivers write: derived, then written (every output time of every run). */
PetscErrorCode NppWriteState(Npp npp, Vec X, PetscReal t)
{
  PetscFunctionBeginUser;
  PetscCall(NppDeriveState(npp, X));
  PetscCall(NppOutputWrite(npp, X, t));
  PetscFunctionReturn(0);
}
