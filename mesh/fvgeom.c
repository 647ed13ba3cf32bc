/* SPDX-License-Identifier: BSD-2-Clause */
#include "fvgeom.h"
#include <petscsf.h>

static PetscReal Dot3(const PetscReal a[3], const PetscReal b[3])
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* Cells that are leaves of the point SF belong to another rank. */
static PetscErrorCode MarkOwnedCells(DM dm, NppFVGeom g)
{
  PetscSF         sf;
  PetscInt        nleaves;
  const PetscInt *leaves;

  PetscFunctionBeginUser;
  for (PetscInt c = 0; c < g->ncells; c++) g->owned[c] = PETSC_TRUE;
  PetscCall(DMGetPointSF(dm, &sf));
  PetscCall(PetscSFGetGraph(sf, NULL, &nleaves, &leaves, NULL));
  for (PetscInt l = 0; l < nleaves && leaves; l++) {
    const PetscInt c = leaves[l] - g->cStart;
    if (c >= 0 && c < g->ncells) g->owned[c] = PETSC_FALSE;
  }
  g->nowned = 0;
  for (PetscInt c = 0; c < g->ncells; c++) g->nowned += g->owned[c];
  PetscFunctionReturn(0);
}

/* Geometry of face f; *bad is set when a cell centroid lies on the wrong side of it (a tangled
   or degenerate cell), which the caller reports collectively. */
static PetscErrorCode ComputeFace(DM dm, NppFVGeom g, PetscInt f, PetscBool *bad)
{
  NppFace        *fc = &g->faces[f];
  const PetscInt  p  = g->fStart + f;
  const PetscInt *supp;
  PetscInt        ns;
  PetscReal       d[3] = {0, 0, 0}, *xK, *xL = NULL;

  PetscFunctionBeginUser;
  *bad = PETSC_FALSE;
  PetscCall(DMPlexGetSupportSize(dm, p, &ns));
  PetscCall(DMPlexGetSupport(dm, p, &supp));
  PetscCheck(ns >= 1 && ns <= 2, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "Face %" PetscInt_FMT " has %" PetscInt_FMT " cells", p, ns);
  fc->K = supp[0] - g->cStart;
  fc->L = ns == 2 ? supp[1] - g->cStart : -1;
  xK    = &g->centroid[3 * fc->K];
  if (fc->L >= 0) xL = &g->centroid[3 * fc->L];
  PetscCall(PetscArrayzero(fc->centroid, 3));
  PetscCall(PetscArrayzero(fc->normal, 3));
  if (g->dim == 1) { /* a face is a vertex */
    PetscCall(DMPlexComputeCellGeometryFVM(dm, p, NULL, fc->centroid, NULL));
    fc->area      = 1.0;
    fc->normal[0] = 1.0;
  } else PetscCall(DMPlexComputeCellGeometryFVM(dm, p, &fc->area, fc->centroid, fc->normal));
  { /* orient the normal from K to L (outward on the boundary) */
    const PetscReal *xo = xL ? xL : fc->centroid;
    for (int i = 0; i < 3; i++) d[i] = xo[i] - xK[i];
    const PetscReal nn = PetscSqrtReal(Dot3(fc->normal, fc->normal));
    for (int i = 0; i < 3; i++) fc->normal[i] /= nn;
    if (Dot3(d, fc->normal) < 0)
      for (int i = 0; i < 3; i++) fc->normal[i] = -fc->normal[i];
  }
  {
    PetscReal a[3];
    for (int i = 0; i < 3; i++) a[i] = fc->centroid[i] - xK[i];
    fc->dK = Dot3(a, fc->normal);
    for (int i = 0; i < 3; i++) fc->rK[i] = fc->centroid[i] - fc->dK * fc->normal[i] - xK[i];
    fc->dL = 0;
    PetscCall(PetscArrayzero(fc->rL, 3));
    if (xL) {
      for (int i = 0; i < 3; i++) a[i] = xL[i] - fc->centroid[i];
      fc->dL = Dot3(a, fc->normal);
      for (int i = 0; i < 3; i++) fc->rL[i] = fc->centroid[i] + fc->dL * fc->normal[i] - xL[i];
    }
    *bad = (PetscBool) !(fc->dK > 0 && (!xL || fc->dL > 0));
  }
  fc->active = g->owned[fc->K] || (fc->L >= 0 && g->owned[fc->L]);
  PetscFunctionReturn(0);
}

PetscErrorCode NppFVGeomCreate(DM dm, NppFVGeom *geom)
{
  NppFVGeom g;
  PetscInt  cEnd, fEnd;
  PetscReal hmin = PETSC_MAX_REAL;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&g));
  PetscCall(DMGetDimension(dm, &g->dim));
  PetscCall(DMPlexGetHeightStratum(dm, 0, &g->cStart, &cEnd));
  PetscCall(DMPlexGetHeightStratum(dm, 1, &g->fStart, &fEnd));
  g->ncells = cEnd - g->cStart;
  g->nfaces = fEnd - g->fStart;
  PetscCall(PetscCalloc3(3 * g->ncells, &g->centroid, g->ncells, &g->volume, g->ncells, &g->owned));
  PetscCall(PetscCalloc1(g->nfaces, &g->faces));
  PetscCall(MarkOwnedCells(dm, g));
  for (PetscInt c = 0; c < g->ncells; c++) {
    PetscCall(DMPlexComputeCellGeometryFVM(dm, g->cStart + c, &g->volume[c], &g->centroid[3 * c], NULL));
    if (g->owned[c]) hmin = PetscMin(hmin, PetscPowReal(g->volume[c], 1.0 / g->dim));
  }
  PetscCall(MPIU_Allreduce(&hmin, &g->minCellSize, 1, MPIU_REAL, MPIU_MIN, PetscObjectComm((PetscObject)dm)));
  {
    /* every rank checks its faces; the first bad one is reported by all ranks together (an error
       on one rank alone would leave the others waiting in the next collective call) */
    MPI_Comm    comm = PetscObjectComm((PetscObject)dm);
    PetscMPIInt rank, size, first;
    PetscReal   where[3] = {0, 0, 0};
    PetscBool   found    = PETSC_FALSE;
    for (PetscInt f = 0; f < g->nfaces; f++) {
      PetscBool bad;
      PetscCall(ComputeFace(dm, g, f, &bad));
      if (bad && !found) {
        found = PETSC_TRUE;
        PetscCall(PetscArraycpy(where, g->faces[f].centroid, 3));
      }
    }
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    PetscCallMPI(MPI_Comm_size(comm, &size));
    {
      PetscMPIInt mine = found ? rank : size;
      PetscCall(MPIU_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm));
    }
    if (first < size) {
      PetscCallMPI(MPI_Bcast(where, 3, MPIU_REAL, first, comm));
      PetscCall(NppFVGeomDestroy(&g));
      SETERRQ(comm, PETSC_ERR_USER_INPUT, "the mesh has a tangled or degenerate cell: a cell centroid lies on the wrong side of the face at (%g, %g, %g) m (a generated mesh: try another seed or cell size)", (double)where[0], (double)where[1], (double)where[2]);
    }
  }

  /* cell -> faces, from the cones */
  PetscCall(PetscMalloc1(g->ncells + 1, &g->cellFaceOff));
  g->cellFaceOff[0] = 0;
  for (PetscInt c = 0; c < g->ncells; c++) {
    PetscInt n;
    PetscCall(DMPlexGetConeSize(dm, g->cStart + c, &n));
    g->cellFaceOff[c + 1] = g->cellFaceOff[c] + n;
  }
  PetscCall(PetscMalloc1(g->cellFaceOff[g->ncells], &g->cellFaces));
  for (PetscInt c = 0; c < g->ncells; c++) {
    const PetscInt *cone;
    PetscCall(DMPlexGetCone(dm, g->cStart + c, &cone));
    for (PetscInt k = g->cellFaceOff[c]; k < g->cellFaceOff[c + 1]; k++) g->cellFaces[k] = cone[k - g->cellFaceOff[c]] - g->fStart;
  }
  *geom = g;
  PetscFunctionReturn(0);
}

PetscErrorCode NppFVGeomDestroy(NppFVGeom *geom)
{
  PetscFunctionBeginUser;
  if (!*geom) PetscFunctionReturn(0);
  PetscCall(PetscFree3((*geom)->centroid, (*geom)->volume, (*geom)->owned));
  PetscCall(PetscFree((*geom)->faces));
  PetscCall(PetscFree((*geom)->cellFaceOff));
  PetscCall(PetscFree((*geom)->cellFaces));
  PetscCall(PetscFree(*geom));
  PetscFunctionReturn(0);
}

PetscReal NppFaceOrthogonality(NppFVGeom g, const NppFace *fc)
{
  const PetscReal *xK = &g->centroid[3 * fc->K], *xo = fc->L >= 0 ? &g->centroid[3 * fc->L] : fc->centroid;
  PetscReal        d[3];
  for (int i = 0; i < 3; i++) d[i] = xo[i] - xK[i];
  return Dot3(d, fc->normal) / PetscSqrtReal(Dot3(d, d));
}

PetscErrorCode NppFVGeomQuality(NppFVGeom g, MPI_Comm comm, PetscReal *minOrtho, PetscReal *maxSkew)
{
  PetscReal q[2] = {1.0, 0.0}, Q[2]; /* q[1] holds -maxSkew so one MIN reduction does both */

  PetscFunctionBeginUser;
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace *fc = &g->faces[f];
    if (!fc->active) continue;
    const PetscReal dist = fc->dK + fc->dL, rk = PetscSqrtReal(Dot3(fc->rK, fc->rK)), rl = PetscSqrtReal(Dot3(fc->rL, fc->rL));
    q[0] = PetscMin(q[0], NppFaceOrthogonality(g, fc));
    q[1] = PetscMin(q[1], -PetscMax(rk, rl) / dist);
  }
  PetscCall(MPIU_Allreduce(q, Q, 2, MPIU_REAL, MPIU_MIN, comm));
  *minOrtho = Q[0];
  *maxSkew  = -Q[1];
  PetscFunctionReturn(0);
}
