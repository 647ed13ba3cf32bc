/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "constants.h"

/* Global balances: amount of each species, total charge, and what leaves through each boundary. */

PetscErrorCode NppBalance(MPI_Comm comm, const NppModel *model, const NppDisc *disc, Vec X, PetscReal total[], PetscReal *charge)
{
  NppFVGeom          g  = disc->geom;
  const NppFields   *fl = &model->fld;
  const PetscInt     ns = model->phys.nspecies, nf = fl->nf;
  const PetscScalar *x;
  PetscReal          loc[NPP_MAX_SPECIES + 1] = {0};

  PetscFunctionBeginUser;
  PetscCall(VecGetArrayRead(X, &x));
  for (PetscInt c = 0; c < g->ncells; c++) {
    if (!g->owned[c]) continue;
    const PetscInt     r = disc->cellRegion[c];
    const PetscScalar *u = &x[nf * disc->ownedPos[c]];
    PetscReal          q = fl->rho[r];
    for (PetscInt i = 0; i < ns; i++) {
      const PetscReal s = NppFieldsConcentration(fl, ns, r, i, u);
      loc[i] += g->volume[c] * s * model->phys.cref;
      q += model->phys.sp[i].z * s;
    }
    loc[ns] += g->volume[c] * q * NPP_FARADAY * model->phys.cref;
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, loc, ns + 1, MPIU_REAL, MPIU_SUM, comm));
  for (PetscInt i = 0; i < ns; i++) total[i] = loc[i];
  *charge = loc[ns];
  PetscFunctionReturn(0);
}

typedef struct {
  PetscReal *loc; /* [nbc + 1][ns] species leaving through each boundary (the last: none named) */
} BoundaryFluxCtx;

static PetscErrorCode BoundaryFace(Npp npp, PetscInt f, void *ctx)
{
  PetscReal     *loc = ((BoundaryFluxCtx *)ctx)->loc;
  const PetscInt ns = npp->model.phys.nspecies, b = npp->disc.faceBC[f] >= 0 ? npp->disc.faceBC[f] : npp->model.nbc;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < ns; i++) loc[b * ns + i] += NppEvalSpeciesFlux(&npp->ev, i)[f] * npp->model.phys.speciesScale;
  PetscFunctionReturn(0);
}

/* Evaluates the fluxes of state X; out[i]: species i leaving the domain, mol/s. Also sets each
   boundary's species fluxes and current, and the electrodes' statistics. */
PetscErrorCode NppBoundaryFluxes(Npp npp, Vec X, PetscReal out[])
{
  const PetscInt ns = npp->model.phys.nspecies, nb = npp->model.nbc;
  PetscReal     *loc;

  PetscFunctionBeginUser;
  PetscCall(NppGlobalToLocal(npp->comm, &npp->disc, &npp->ev, X, npp->run.Xloc, PETSC_TRUE));
  PetscCall(NppOperatorEvaluate(npp, npp->run.Xloc, NULL, 0.0, NULL, NULL));
  PetscCall(PetscCalloc1((nb + 1) * ns, &loc));
  PetscCall(NppFaceWalk(npp, NPP_FACES_OWNED_BOUNDARY, BoundaryFace, &(BoundaryFluxCtx){loc}));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, loc, (nb + 1) * ns, MPIU_REAL, MPIU_SUM, npp->comm));
  for (PetscInt i = 0; i < ns; i++) out[i] = 0;
  for (PetscInt b = 0; b <= nb; b++)
    for (PetscInt i = 0; i < ns; i++) out[i] += loc[b * ns + i];
  for (PetscInt b = 0; b < nb; b++) {
    npp->model.bc[b].current = 0;
    for (PetscInt i = 0; i < ns; i++) {
      npp->model.bc[b].flux[i] = loc[b * ns + i];
      npp->model.bc[b].current += NPP_FARADAY * npp->model.phys.sp[i].z * loc[b * ns + i];
    }
  }
  PetscCall(PetscFree(loc));
  PetscCall(NppElectrodeStatistics(npp->comm, &npp->model, &npp->disc, &npp->ev));
  PetscFunctionReturn(0);
}
