/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit test of the non-orthogonal face reconstruction (mesh/fvrecon.c) on skewed box meshes made
   without Gmsh, on any number of ranks: for a linear field u = a + b . x given at the cell centroids
   (and at the boundary faces that carry a value) it must be exact.

   What "exact" means follows from the rows (fvgeom.h): the corrected two-point flux uses
   u_K' - u_L', the field at the two points x_f - d_K n and x_f + d_L n of the face's normal line;
   each interior row carries half the correction, so only the difference is a point value. So:
     interior face:  u_K' - u_L' = u(x_f - d_K n) - u(x_f + d_L n) = -(d_K + d_L) b . n
     boundary face:  u_K' = u(x_f - d_K n), and u_L' is the face's own boundary value.
   The error is relative to |b| (d_K + d_L), the change of u along the normal stencil; the least-
   squares gradients are exact for a linear field, so it is round-off (bound 1e-12).

   Two variants: every box face carries a value; or the y faces are walls without a value across
   which the field has no flux (zeroNormal: n . grad u = 0 joins the least squares), with b_y = 0 so
   that the linear field satisfies it. Faces without a value (the walls, and the faces at the outer
   edge of a rank's ghost layers) get NaN as their value: a row that used one would show. */
#include "fvgeom.h"
#include "skewed_box.h"
#include "test_util.h"
#include <math.h>

static PetscReal Linear(const PetscReal a, const PetscReal b[3], const PetscReal x[3])
{
  return a + Dot3(b, x);
}

static PetscErrorCode TestBox(MPI_Comm comm, const SkewedBox *box, PetscBool walls, TestCounter *t)
{
  DM              dm;
  NppFVGeom       g;
  NppFaceRecon    rc;
  DMLabel         boundary;
  const PetscReal a = 2.5, b[3] = {1.3, walls ? 0.0 : -0.7, box->dim == 3 ? 0.45 : 0.0};
  PetscInt       *group;
  PetscReal      *coef, *u, *ub, errInterior = 0, errBoundary = 0, valueRow = 0, minOrtho, maxSkew;
  PetscBool      *hasValue, *zeroNormal;
  PetscInt        counts[4] = {0, 0, 0, 0}, C[4]; /* interior faces, faces with a value, walls, fallbacks */
  PetscMPIInt     size;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(SkewedBoxCreate(comm, box, 3, &dm)); /* npp's overlap with the correction on */
  PetscCall(DMGetLabel(dm, "boundary", &boundary));
  PetscCall(NppFVGeomCreate(dm, &g));
  PetscCall(NppFVGeomQuality(g, comm, &minOrtho, &maxSkew));
  PetscCall(PetscPrintf(comm, "%s, %s: on %d rank(s), min orthogonality %.4f, max skewness %.3f\n", box->name, walls ? "walls at the y faces (no value, no flux)" : "a value on every box face", size, (double)minOrtho, (double)maxSkew));
  PetscCall(PetscMalloc4(g->ncells, &group, g->ncells, &coef, g->ncells, &u, g->nfaces, &ub));
  PetscCall(PetscMalloc2(g->nfaces, &hasValue, g->nfaces, &zeroNormal));
  for (PetscInt c = 0; c < g->ncells; c++) group[c] = 0, coef[c] = 1.0, u[c] = Linear(a, b, &g->centroid[3 * c]);
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace *fc = &g->faces[f];
    PetscInt       isBoundary;
    PetscCall(DMLabelGetValue(boundary, g->fStart + f, &isBoundary));
    hasValue[f] = zeroNormal[f] = PETSC_FALSE;
    ub[f]                       = NAN; /* math.h */
    if (fc->L >= 0 || isBoundary != 1) continue;
    if (walls && PetscAbsReal(fc->normal[1]) > 0.5) zeroNormal[f] = PETSC_TRUE;
    else hasValue[f] = PETSC_TRUE, ub[f] = Linear(a, b, fc->centroid);
  }
  /* minOrtho 0: correct every face (npp's default 0.1 leaves very skewed faces alone) */
  PetscCall(NppFaceReconCreate(g, group, coef, NULL, hasValue, zeroNormal, PETSC_TRUE, 0.0, &rc));
  counts[3] = rc->nfallback;
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace *fc = &g->faces[f];
    PetscReal      xK[3], xL[3];
    if (!fc->active) continue;
    for (PetscInt d = 0; d < 3; d++) xK[d] = fc->centroid[d] - fc->dK * fc->normal[d], xL[d] = fc->centroid[d] + fc->dL * fc->normal[d];
    const PetscReal uK    = NppFaceReconApply(rc, 2 * f, u, g->ncells, ub);
    const PetscReal scale = Norm3(b) * (fc->dK + fc->dL);
    if (fc->L >= 0) {
      const PetscReal uL = NppFaceReconApply(rc, 2 * f + 1, u, g->ncells, ub);
      const PetscReal e  = PetscAbsReal((uK - uL) - (Linear(a, b, xK) - Linear(a, b, xL))) / scale;
      errInterior        = PetscIsNanReal(e) ? PETSC_MAX_REAL : PetscMax(errInterior, e);
      counts[0]++;
    } else {
      const PetscReal e = PetscAbsReal(uK - Linear(a, b, xK)) / scale;
      errBoundary       = PetscIsNanReal(e) ? PETSC_MAX_REAL : PetscMax(errBoundary, e);
      if (hasValue[f]) { /* the L row is the face's value itself */
        const PetscReal uL = NppFaceReconApply(rc, 2 * f + 1, u, g->ncells, ub);
        valueRow           = PetscMax(valueRow, PetscIsNanReal(uL) ? PETSC_MAX_REAL : PetscAbsReal(uL - ub[f]));
        counts[1]++;
      } else counts[2]++;
    }
  }
  PetscCall(MPIU_Allreduce(counts, C, 4, MPIU_INT, MPI_SUM, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &errInterior, 1, MPIU_REAL, MPIU_MAX, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &errBoundary, 1, MPIU_REAL, MPIU_MAX, comm));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &valueRow, 1, MPIU_REAL, MPIU_MAX, comm));
  PetscCall(PetscPrintf(comm, "  active faces checked over the ranks (one at a rank boundary on both): %d interior, %d with a value, %d walls\n", (int)C[0], (int)C[1], (int)C[2]));
  PetscCall(TestCheck(comm, t, "cells whose gradient fell back (too few points)", (PetscReal)C[3], 0.0));
  PetscCall(TestCheck(comm, t, "interior faces: max |(u_K' - u_L') - exact| / (|b| (d_K + d_L))", errInterior, 1e-12));
  PetscCall(TestCheck(comm, t, "boundary faces: max |u_K' - u(x_f - d_K n)| / (|b| d_K)", errBoundary, 1e-12));
  PetscCall(TestCheck(comm, t, "faces with a value: max |u_L' - value|", valueRow, 0.0));
  PetscCall(PetscFree4(group, coef, u, ub));
  PetscCall(PetscFree2(hasValue, zeroNormal));
  PetscCall(NppFaceReconDestroy(&rc));
  PetscCall(NppFVGeomDestroy(&g));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  TestCounter t = {0, 0};

  PetscCall(PetscInitialize(&argc, &argv, NULL, "Unit test: the face reconstruction is exact for linear fields on skewed meshes"));
  for (PetscInt b = 0; b < SKEWED_BOX_COUNT; b++)
    for (PetscInt walls = 0; walls < 2; walls++) PetscCall(TestBox(PETSC_COMM_WORLD, &skewedBoxes[b], (PetscBool)walls, &t));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &t));
  PetscCall(PetscFinalize());
  return t.failed ? 1 : 0;
}
