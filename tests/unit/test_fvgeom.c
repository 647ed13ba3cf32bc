/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit test of the finite-volume geometry (mesh/fvgeom.c) on skewed box meshes made without Gmsh
   (quadrilaterals, triangles, hexahedra, tetrahedra), on any number of ranks. Every check is an
   identity that holds exactly for the polyhedral cells, so its tolerance is round-off: a small
   multiple of the machine epsilon, scaled by the number of terms summed where that matters. */
#include "fvgeom.h"
#include "skewed_box.h"
#include "test_util.h"

/* Geometry of the face's vertices, in closure order (cyclic for a polygon, as PETSc assumes). */
static PetscErrorCode FaceVertices(DM dm, PetscInt face, PetscInt *nv, PetscReal v[][3])
{
  Vec          X;
  PetscSection cs;
  PetscScalar *x = NULL;
  PetscInt     n, cdim;

  PetscFunctionBeginUser;
  PetscCall(DMGetCoordinateDim(dm, &cdim));
  PetscCall(DMGetCoordinatesLocal(dm, &X));
  PetscCall(DMGetCoordinateSection(dm, &cs));
  PetscCall(DMPlexVecGetClosure(dm, cs, X, face, &n, &x));
  *nv = n / cdim;
  PetscCheck(*nv >= 2 && *nv <= 8, PETSC_COMM_SELF, PETSC_ERR_PLIB, "face %d has %d vertices", (int)face, (int)*nv);
  for (PetscInt i = 0; i < *nv; i++)
    for (PetscInt d = 0; d < 3; d++) v[i][d] = d < cdim ? PetscRealPart(x[cdim * i + d]) : 0.0;
  PetscCall(DMPlexVecRestoreClosure(dm, cs, X, face, &n, &x));
  PetscFunctionReturn(0);
}

/* How far inside its face the face centroid lies: the smallest distance to an edge (a vertex of a
   segment) relative to the face's size; negative when outside. *offPlane: its distance from the
   face's line or plane. */
static void CentroidInFace(PetscInt dim, PetscInt nv, PetscReal v[][3], const PetscReal xf[3], const PetscReal n[3], PetscReal *margin, PetscReal *offPlane)
{
  PetscReal size = 0, e[3], r[3];
  for (PetscInt i = 0; i < nv; i++) {
    Sub3(v[(i + 1) % nv], v[i], e);
    size = PetscMax(size, Norm3(e));
  }
  Sub3(xf, v[0], r);
  *offPlane = PetscAbsReal(Dot3(r, n));
  if (dim == 2) { /* a segment: the parameter of x_f along it, in (0, 1) */
    Sub3(v[1], v[0], e);
    const PetscReal t = Dot3(r, e) / Dot3(e, e);
    *margin           = PetscMin(t, 1 - t);
    return;
  }
  /* a planar polygon: x_f on the inner side of every edge, n . (e x (x_f - v_i)) of one sign */
  PetscReal sMin = PETSC_MAX_REAL, sMax = -PETSC_MAX_REAL;
  for (PetscInt i = 0; i < nv; i++) {
    PetscReal c[3];
    Sub3(v[(i + 1) % nv], v[i], e);
    Sub3(xf, v[i], r);
    Cross3(e, r, c);
    const PetscReal s = Dot3(c, n) / (Norm3(e) * size);
    sMin = PetscMin(sMin, s), sMax = PetscMax(sMax, s);
  }
  *margin = sMin > 0 ? sMin : (sMax < 0 ? -sMax : -PetscMax(-sMin, sMax));
}

static PetscErrorCode TestBox(MPI_Comm comm, const SkewedBox *box, TestCounter *t)
{
  DM              dm;
  NppFVGeom       g;
  const PetscReal eps = PETSC_MACHINE_EPSILON;
  const PetscInt  N   = SkewedBoxNumCells(box);
  PetscMPIInt     size;
  DMLabel         boundary;
  PetscReal       minOrtho, maxSkew;
  /* local maxima (or minima) of each check, reduced over the ranks below */
  PetscReal vol = 0, minVol = PETSC_MAX_REAL, bArea = 0, unit = 0, closed = 0, div = 0, offPlane = 0, margin = PETSC_MAX_REAL;
  PetscReal dSum = 0, dPos = PETSC_MAX_REAL, foot = 0, rPerp = 0, bNormal = 0, owned, inactive = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(SkewedBoxCreate(comm, box, 3, &dm));
  PetscCall(DMGetLabel(dm, "boundary", &boundary));
  PetscCall(NppFVGeomCreate(dm, &g));
  PetscCall(NppFVGeomQuality(g, comm, &minOrtho, &maxSkew));
  {
    PetscInt fewest;
    PetscCall(MPIU_Allreduce(&g->nowned, &fewest, 1, MPIU_INT, MPI_MIN, comm));
    PetscCall(PetscPrintf(comm, "%s: %d cells on %d rank(s) (fewest owned by one rank: %d), perturbed by %.0f %% of h: min orthogonality %.4f, max skewness %.3f\n", box->name, (int)N, size, (int)fewest, 100 * (double)box->amplitude, (double)minOrtho, (double)maxSkew));
  }
  owned = g->nowned;

  for (PetscInt c = 0; c < g->ncells; c++) {
    if (!g->owned[c]) continue;
    const PetscReal *xc   = &g->centroid[3 * c];
    PetscReal        s[3] = {0, 0, 0}, area = 0, xn = 0;
    vol += g->volume[c];
    minVol = PetscMin(minVol, g->volume[c]);
    for (PetscInt k = g->cellFaceOff[c]; k < g->cellFaceOff[c + 1]; k++) {
      const NppFace  *fc  = &g->faces[g->cellFaces[k]];
      const PetscReal sgn = fc->K == c ? 1.0 : -1.0; /* outward from c */
      PetscReal       r[3];
      Sub3(fc->centroid, xc, r);
      for (PetscInt d = 0; d < 3; d++) s[d] += sgn * fc->area * fc->normal[d];
      area += fc->area;
      xn += sgn * fc->area * Dot3(r, fc->normal);
      if (!fc->active) inactive++;
    }
    closed = PetscMax(closed, Norm3(s) / area);                                                     /* sum_f A_f n_f = 0 */
    div    = PetscMax(div, PetscAbsReal(xn - box->dim * g->volume[c]) / (box->dim * g->volume[c])); /* sum_f (x_f - x_c).n_f A_f = dim V */
  }
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace   *fc = &g->faces[f];
    const PetscReal *xK = &g->centroid[3 * fc->K];
    PetscReal        v[8][3], m, off, r[3], scale, X;
    PetscInt         nv = 0, isBoundary;
    if (!fc->active) continue;
    unit = PetscMax(unit, PetscAbsReal(Norm3(fc->normal) - 1));
    PetscCall(FaceVertices(dm, g->fStart + f, &nv, v));
    CentroidInFace(box->dim, nv, v, fc->centroid, fc->normal, &m, &off);
    /* coordinates carry round-off relative to their size |x_f|, not to the cell's */
    X      = Norm3(fc->centroid);
    margin = PetscMin(margin, m), offPlane = PetscMax(offPlane, off / X);
    /* x_K + r_K + d_K n = x_f: r_K is the offset of the foot of the normal line, perpendicular to n */
    for (PetscInt d = 0; d < 3; d++) r[d] = xK[d] + fc->rK[d] + fc->dK * fc->normal[d] - fc->centroid[d];
    scale = fc->dK + fc->dL;
    foot  = PetscMax(foot, Norm3(r) / X);
    rPerp = PetscMax(rPerp, PetscAbsReal(Dot3(fc->rK, fc->normal)) / X);
    dPos  = PetscMin(dPos, fc->dK / scale);
    if (fc->L >= 0) {
      const PetscReal *xL = &g->centroid[3 * fc->L];
      PetscReal        dKL[3];
      for (PetscInt d = 0; d < 3; d++) r[d] = xL[d] + fc->rL[d] - fc->dL * fc->normal[d] - fc->centroid[d];
      foot  = PetscMax(foot, Norm3(r) / X);
      rPerp = PetscMax(rPerp, PetscAbsReal(Dot3(fc->rL, fc->normal)) / X);
      dPos  = PetscMin(dPos, fc->dL / scale);
      Sub3(xL, xK, dKL); /* d_K + d_L is the centroid-to-centroid distance along n */
      dSum = PetscMax(dSum, PetscAbsReal(fc->dK + fc->dL - Dot3(dKL, fc->normal)) / X);
    } else {
      PetscCall(DMLabelGetValue(boundary, g->fStart + f, &isBoundary));
      PetscCheck(isBoundary == 1, PETSC_COMM_SELF, PETSC_ERR_PLIB, "an active face with one cell that is not on the box's boundary");
      /* a box face: its normal is the outward axis, counted once (its only cell is owned) */
      if (g->owned[fc->K]) {
        PetscReal nBox[3] = {0, 0, 0}, dn[3];
        for (PetscInt d = 0; d < box->dim; d++) {
          if (PetscAbsReal(fc->centroid[d] - box->lower[d]) < 1e-9 * (box->upper[d] - box->lower[d])) nBox[d] = -1;
          if (PetscAbsReal(fc->centroid[d] - box->upper[d]) < 1e-9 * (box->upper[d] - box->lower[d])) nBox[d] = 1;
        }
        Sub3(fc->normal, nBox, dn);
        bNormal = PetscMax(bNormal, Norm3(dn));
        bArea += fc->area;
      }
    }
  }
  {
    PetscReal sums[3] = {vol, bArea, owned}, S[3], maxs[10] = {unit, closed, div, offPlane, dSum, foot, rPerp, bNormal, -margin, -dPos} /* minima as -max */, M[10], vmin;
    PetscCall(MPIU_Allreduce(sums, S, 3, MPIU_REAL, MPIU_SUM, comm));
    PetscCall(MPIU_Allreduce(maxs, M, 10, MPIU_REAL, MPIU_MAX, comm));
    PetscCall(MPIU_Allreduce(&minVol, &vmin, 1, MPIU_REAL, MPIU_MIN, comm));
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &inactive, 1, MPIU_REAL, MPIU_SUM, comm));
    const PetscReal V = SkewedBoxVolume(box), A = SkewedBoxSurface(box);
    /* counts and sanity: the test means something only if the mesh is skewed and not tangled */
    PetscCall(TestCheck(comm, t, "|owned cells over all ranks - cells of the box|", PetscAbsReal(S[2] - N), 0.0));
    PetscCall(TestCheck(comm, t, "faces of owned cells that are not active", inactive, 0.0));
    PetscCall(TestCheckAtLeast(comm, t, "the mesh is non-orthogonal: 1 - min orthogonality", 1 - minOrtho, 0.01));
    PetscCall(TestCheckAtLeast(comm, t, "no degenerate cell: min volume / (box volume / cells)", vmin / (V / N), 0.1));
    PetscCall(TestCheckAtLeast(comm, t, "face centroid inside the face: min margin to an edge / face size", -M[8], 0.05));
    PetscCall(TestCheckAtLeast(comm, t, "d_K, d_L > 0: min d / (d_K + d_L)", -M[9], 0.05));
    /* identities, to round-off: sums of N terms get N eps, coordinates eps |x| */
    PetscCall(TestCheck(comm, t, "|sum of owned cell volumes - box volume| / box volume", PetscAbsReal(S[0] - V) / V, 4 * N * eps));
    PetscCall(TestCheck(comm, t, "|sum of boundary face areas - box surface| / box surface", PetscAbsReal(S[1] - A) / A, 4 * N * eps));
    PetscCall(TestCheck(comm, t, "boundary faces: max |n - outward axis of the box|", M[7], 8 * eps));
    PetscCall(TestCheck(comm, t, "max ||n| - 1| (unit normals)", M[0], 4 * eps));
    PetscCall(TestCheck(comm, t, "max over cells |sum_f A_f n_f| / sum_f A_f (closed cells)", M[1], 16 * eps));
    PetscCall(TestCheck(comm, t, "max over cells |sum_f (x_f - x_c).n_f A_f - dim V| / (dim V)", M[2], 64 * eps));
    PetscCall(TestCheck(comm, t, "face centroid in the face's line/plane: max distance / |x_f|", M[3], 16 * eps));
    PetscCall(TestCheck(comm, t, "max |d_K + d_L - (x_L - x_K).n| / |x_f|", M[4], 16 * eps));
    PetscCall(TestCheck(comm, t, "max |x_K + r_K + d_K n - x_f| / |x_f| (and for L)", M[5], 16 * eps));
    PetscCall(TestCheck(comm, t, "max |r_K . n| / |x_f| (r perpendicular to n, and for L)", M[6], 16 * eps));
  }
  PetscCall(NppFVGeomDestroy(&g));
  PetscCall(DMDestroy(&dm));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  TestCounter t = {0, 0};

  PetscCall(PetscInitialize(&argc, &argv, NULL, "Unit test of the finite-volume geometry on skewed box meshes"));
  for (PetscInt b = 0; b < SKEWED_BOX_COUNT; b++) PetscCall(TestBox(PETSC_COMM_WORLD, &skewedBoxes[b], &t));
  PetscCall(TestFinish(PETSC_COMM_WORLD, &t));
  PetscCall(PetscFinalize());
  return t.failed ? 1 : 0;
}
