/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "constants.h"

/* The results of an evaluation of the operator (npp->ev: cell values and face fluxes) and the
   cell current density derived from them. */

/* Sized by the mesh; its inputs start at the full driving forces and charge, and the global
   unknowns at the given electrode potentials (their initial guess). */
PetscErrorCode NppEvaluationCreate(const NppModel *model, const NppDisc *disc, NppEvaluation *ev)
{
  NppFVGeom      g  = disc->geom;
  const PetscInt ns = model->phys.nspecies, nc = g->ncells;
  PetscReal     *work;

  PetscFunctionBeginUser;
  ev->ncells = nc, ev->nfaces = g->nfaces, ev->nowned = g->nowned;
  PetscCall(PetscMalloc2((3 * ns + 1) * nc, &work, (ns + 1) * g->nfaces, &ev->faceFlux));
  ev->ct   = work;
  ev->phi  = work + ns * nc;
  ev->eta  = work + (ns + 1) * nc;
  ev->chat = work + (2 * ns + 1) * nc;
  PetscCall(PetscCalloc3(g->nfaces, &ev->faceCurrent, g->nfaces, &ev->faceEta, 3 * g->nowned, &ev->cellCurrent));
  ev->phiScale = ev->chargeScale = 1.0;
  PetscCall(PetscCalloc2(disc->nglobal + 1, &ev->globalValue, disc->nglobal + 1, &ev->globalSum));
  for (PetscInt k = 0; k < disc->nglobal; k++) ev->globalValue[k] = model->bc[disc->globalBC[k]].potential / model->phys.VT;
  PetscFunctionReturn(0);
}

PetscErrorCode NppEvaluationDestroy(NppEvaluation *ev)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree2(ev->ct, ev->faceFlux));
  PetscCall(PetscFree3(ev->faceCurrent, ev->faceEta, ev->cellCurrent));
  PetscCall(PetscFree2(ev->globalValue, ev->globalSum));
  ev->phi = ev->eta = ev->chat = NULL;
  PetscFunctionReturn(0);
}

/* Per-cell current density from the face charge fluxes: j_K = (1/V_K) sum_f q_f (x_f - x_K),
   exact for a uniform current (divergence theorem). A visitor of the face walk. */
static PetscErrorCode CurrentDensityFace(Npp npp, PetscInt f, void *ctx)
{
  NppFVGeom       g  = npp->disc.geom;
  const NppFace  *fc = &g->faces[f];
  const PetscReal Fs = NPP_FARADAY * npp->model.phys.speciesScale;
  PetscReal      *j = (PetscReal *)ctx, q = 0, sign[2];
  PetscInt        cell[2];
  const PetscInt  nsides = NppFaceOwnedSides(g, f, cell, sign);

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < npp->model.phys.nspecies; i++) q += Fs * npp->model.phys.sp[i].z * NppEvalSpeciesFlux(&npp->ev, i)[f];
  for (PetscInt s = 0; s < nsides; s++) {
    const PetscInt c = cell[s];
    for (int d = 0; d < 3; d++) j[3 * npp->disc.ownedPos[c] + d] += sign[s] * q * (fc->centroid[d] - g->centroid[3 * c + d]) / g->volume[c];
  }
  PetscFunctionReturn(0);
}

/* The cell current density of the last evaluation, into npp->ev.cellCurrent. */
PetscErrorCode NppCellCurrentDensity(Npp npp)
{
  PetscFunctionBeginUser;
  PetscCall(PetscArrayzero(npp->ev.cellCurrent, 3 * npp->disc.geom->nowned));
  PetscCall(NppFaceWalk(npp, NPP_FACES_ACTIVE, CurrentDensityFace, npp->ev.cellCurrent));
  PetscFunctionReturn(0);
}
