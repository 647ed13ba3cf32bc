/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include <stdio.h>
#include <unistd.h>

/* Electrode diagnostics from the last evaluation of the operator (NppEvaluation: the electrode
   faces' current density and overpotential, the cell concentrations): the normal current density
   statistics over each electrode and the cell voltage. Each walks its electrode's owned faces
   (bc->faces). */

/* The apex of an electrode: the face that reaches furthest against its mean outward normal n
   (unit, from the electrolyte into the electrode), i.e. deepest into the electrolyte. Mirror
   images of a face tie in exact arithmetic, and n is a parallel sum that differs at round-off
   with the partition: heights within 1e-9 of the electrode's coordinates count as equal, and the
   tie goes to the face whose centroid is lexicographically smallest (x, then y, then z), so the
   same face is chosen on any number of ranks. Gives its size and centroid on every rank. */
static PetscErrorCode ApexFace(MPI_Comm comm, NppFVGeom g, const NppBoundary *bc, const PetscReal n[3], PetscReal apex[4])
{
  PetscReal   hmax = -PETSC_MAX_REAL, scale = 0, tol, *h;
  PetscBool  *cand;
  PetscMPIInt rank, size, owner, mine;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMalloc2(bc->nfaces, &h, bc->nfaces, &cand));
  for (PetscInt k = 0; k < bc->nfaces; k++) {
    const NppFace *fc = &g->faces[bc->faces[k]];
    h[k]              = 0;
    for (int d = 0; d < 3; d++) h[k] -= fc->centroid[d] * n[d], scale = PetscMax(scale, PetscAbsReal(fc->centroid[d]));
    hmax = PetscMax(hmax, h[k]);
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &hmax, 1, MPIU_REAL, MPIU_MAX, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &scale, 1, MPIU_REAL, MPIU_MAX, comm));
  tol = 1e-9 * scale;
  for (PetscInt k = 0; k < bc->nfaces; k++) cand[k] = (PetscBool)(h[k] >= hmax - tol);
  for (int d = 0; d < 3; d++) { /* lexicographic minimum among the candidates */
    PetscReal m = PETSC_MAX_REAL;
    for (PetscInt k = 0; k < bc->nfaces; k++)
      if (cand[k]) m = PetscMin(m, g->faces[bc->faces[k]].centroid[d]);
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &m, 1, MPIU_REAL, MPIU_MIN, comm));
    for (PetscInt k = 0; k < bc->nfaces; k++)
      if (cand[k] && g->faces[bc->faces[k]].centroid[d] > m + tol) cand[k] = PETSC_FALSE;
  }
  apex[0] = apex[1] = apex[2] = apex[3] = 0;
  mine                                  = size;
  for (PetscInt k = 0; k < bc->nfaces && mine == size; k++)
    if (cand[k]) {
      const NppFace *fc = &g->faces[bc->faces[k]];
      mine              = rank;
      apex[0]           = g->dim > 1 ? PetscPowReal(fc->area, 1.0 / (g->dim - 1)) : 0.0;
      for (int d = 0; d < 3; d++) apex[1 + d] = fc->centroid[d];
    }
  PetscCallMPI(MPI_Allreduce(&mine, &owner, 1, MPI_INT, MPI_MIN, comm));
  if (owner < size) PetscCallMPI(MPI_Bcast(apex, 4, MPIU_REAL, owner, comm));
  PetscCall(PetscFree2(h, cand));
  PetscFunctionReturn(0);
}

PetscErrorCode NppElectrodeStatistics(MPI_Comm comm, NppModel *model, const NppDisc *disc, const NppEvaluation *ev)
{
  NppFVGeom g = disc->geom;

  PetscFunctionBeginUser;
  for (PetscInt b = 0; b < model->nbc; b++) {
    NppBoundary       *bc     = &model->bc[b];
    NppElectrodeStats *st     = &bc->stats;
    PetscReal          sum[6] = {0}, ext[3] = {PETSC_MAX_REAL, PETSC_MAX_REAL, PETSC_MAX_REAL}, nbar[3] = {0, 0, 0}, nn = 0;
    PetscReal          apex[4]; /* the apex face's size and centroid */
    if (!bc->electrode) continue;
    /* mean outward normal, from the electrolyte into the electrode (ApexFace) */
    for (PetscInt k = 0; k < bc->nfaces; k++) {
      const NppFace *fc = &g->faces[bc->faces[k]];
      for (int d = 0; d < 3; d++) nbar[d] += fc->area * fc->normal[d];
    }
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, nbar, 3, MPIU_REAL, MPIU_SUM, comm));
    for (int d = 0; d < 3; d++) nn += nbar[d] * nbar[d];
    nn = PetscSqrtReal(nn);
    for (PetscInt k = 0; k < bc->nfaces; k++) {
      const PetscInt  f  = bc->faces[k];
      const NppFace  *fc = &g->faces[f];
      const PetscReal i = ev->faceCurrent[f], a = fc->area;
      sum[0] += a, sum[1] += a * i, sum[2] += a * ev->faceEta[f], sum[3] += a * i * bc->filmResistance;
      ext[0] = PetscMin(ext[0], i), ext[1] = PetscMin(ext[1], -i);
      ext[2] = PetscMin(ext[2], NppEvalConcentration(ev, bc->electrodeSpecies)[fc->K] * model->phys.cref);
    }
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, sum, 4, MPIU_REAL, MPIU_SUM, comm));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, ext, 3, MPIU_REAL, MPIU_MIN, comm));
    for (int d = 0; d < 3; d++) nbar[d] /= nn > 0 ? nn : 1;
    PetscCall(ApexFace(comm, g, bc, nbar, apex));
    {
      /* the apex value: area mean over the faces within one apex-face size of the apex (the
         apex face and its neighbours), which damps the face-to-face scatter of a faceted
         surface and tends to the point value as the mesh is refined */
      PetscReal cap[2] = {0, 0};
      for (PetscInt k = 0; k < bc->nfaces; k++) {
        const NppFace *fc = &g->faces[bc->faces[k]];
        PetscReal      d2 = 0;
        for (int d = 0; d < 3; d++) d2 += PetscSqr(fc->centroid[d] - apex[1 + d]);
        if (d2 <= PetscSqr(apex[0]) * (1 + 1e-12)) cap[0] += fc->area * ev->faceCurrent[bc->faces[k]], cap[1] += fc->area;
      }
      PetscCall(MPIU_Allreduce(MPI_IN_PLACE, cap, 2, MPIU_REAL, MPIU_SUM, comm));
      st->apex = cap[0] / cap[1];
      for (int d = 0; d < 3; d++) st->apexPoint[d] = apex[1 + d];
    }
    st->mean             = sum[1] / sum[0];
    st->overpotential    = sum[2] / sum[0];
    st->filmDrop         = sum[3] / sum[0];
    st->min              = ext[0];
    st->max              = -ext[1];
    st->minConcentration = ext[2];
    st->amplification    = st->mean != 0.0 ? st->apex / st->mean : 0.0;
    sum[4]               = 0;
    for (PetscInt k = 0; k < bc->nfaces; k++)
      if (PetscAbsReal(ev->faceCurrent[bc->faces[k]]) > 2 * PetscAbsReal(st->mean)) sum[4] += g->faces[bc->faces[k]].area;
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sum[4], 1, MPIU_REAL, MPIU_SUM, comm));
    st->fractionAbove2 = sum[4] / sum[0];
  }
  PetscFunctionReturn(0);
}

/* Potential of an electrode boundary (solved for a galvanostatic one), V. */
PetscReal NppElectrodePotential(const NppModel *model, const NppEvaluation *ev, const NppBoundary *bc)
{
  return bc->galvanostatic ? ev->globalValue[bc->unknown] * model->phys.VT : bc->potential;
}

/* Cell voltage: the first electrode (or potential boundary) of -bc_names minus the last one; 0
   with fewer than two. */
PetscErrorCode NppCellVoltage(const NppModel *model, const NppEvaluation *ev, PetscReal *V)
{
  const NppBoundary *first = NULL, *last = NULL;

  PetscFunctionBeginUser;
  for (PetscInt b = 0; b < model->nbc; b++)
    if (model->bc[b].electrode || model->bc[b].hasPotential) {
      if (!first) first = &model->bc[b];
      last = &model->bc[b];
    }
  *V = first && last != first ? NppElectrodePotential(model, ev, first) - NppElectrodePotential(model, ev, last) : 0.0;
  PetscFunctionReturn(0);
}

/* Smallest concentration of any electrode's reacting species over all cells where it varies
   (mol/m^3), from the last evaluation: where Li+ runs out first -- next to a bare electrode, or on
   the electrolyte side of an SEI. */
PetscErrorCode NppMinElectrodeSpeciesConcentration(MPI_Comm comm, const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, PetscReal *cmin)
{
  NppFVGeom g = disc->geom;
  PetscReal m = PETSC_MAX_REAL;

  PetscFunctionBeginUser;
  for (PetscInt b = 0; b < model->nbc; b++) {
    const PetscInt i = model->bc[b].electrodeSpecies;
    if (!model->bc[b].electrode || !disc->recon[i]) continue; /* constant wherever it has no reconstruction */
    const PetscReal *chat = NppEvalConcentration(ev, i);
    for (PetscInt c = 0; c < g->ncells; c++)
      if (g->owned[c] && model->mat[disc->cellRegion[c]].present[i]) m = PetscMin(m, chat[c] * model->phys.cref);
  }
  PetscCall(MPIU_Allreduce(&m, cmin, 1, MPIU_REAL, MPIU_MIN, comm));
  PetscFunctionReturn(0);
}
