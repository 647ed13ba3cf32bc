/* SPDX-License-Identifier: BSD-2-Clause */
/* Skewed box meshes for the unit tests of the finite-volume geometry and reconstruction. */
#include "skewed_box.h"
#include <stdint.h>

/* A deterministic pseudo-random number in [-1, 1] from four integers (splitmix64 finaliser):
   the same on every rank and every run, so a failure can be reproduced. */
static PetscReal Random(PetscInt a, PetscInt b, PetscInt c, PetscInt d)
{
  uint64_t x = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)(b + 7) * 0xBF58476D1CE4E5B9ull ^ (uint64_t)(c + 13) * 0x94D049BB133111EBull ^ (uint64_t)(d + 29) * 0xD6E8FEB86659FD93ull;
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return 2.0 * (PetscReal)(x >> 11) / 9007199254740992.0 - 1.0;
}

/* boxes away from the origin and not unit cubes, so that an offset or a scale would show */
const SkewedBox skewedBoxes[SKEWED_BOX_COUNT] = {
  {"quadrilaterals 8x6", 2, PETSC_FALSE, {8, 6, 0}, {0.5, -0.25, 0},   {1.5, 0.55, 0},   0.2},
  {"triangles 2x8x6",    2, PETSC_TRUE,  {8, 6, 0}, {0.5, -0.25, 0},   {1.5, 0.55, 0},   0.2},
  {"hexahedra 5x4x3",    3, PETSC_FALSE, {5, 4, 3}, {0.5, -0.25, 1.0}, {1.5, 0.55, 1.6}, 0.2},
  {"tetrahedra 6x4x4x3", 3, PETSC_TRUE,  {4, 4, 3}, {0.5, -0.25, 1.0}, {1.3, 0.55, 1.6}, 0.2},
};

PetscReal SkewedBoxVolume(const SkewedBox *b)
{
  PetscReal v = 1;
  for (PetscInt d = 0; d < b->dim; d++) v *= b->upper[d] - b->lower[d];
  return v;
}

PetscReal SkewedBoxSurface(const SkewedBox *b)
{
  if (b->dim == 2) return 2 * (b->upper[0] - b->lower[0] + b->upper[1] - b->lower[1]);
  const PetscReal L[3] = {b->upper[0] - b->lower[0], b->upper[1] - b->lower[1], b->upper[2] - b->lower[2]};
  return 2 * (L[0] * L[1] + L[1] * L[2] + L[2] * L[0]);
}

PetscInt SkewedBoxNumCells(const SkewedBox *b)
{
  PetscInt n = 1;
  for (PetscInt d = 0; d < b->dim; d++) n *= b->n[d];
  if (b->simplex) n *= b->dim == 2 ? 2 : 6;
  return n;
}

/* Triangles (two per square, the diagonal alternating) or tetrahedra (six per cube along its main
   diagonal, Freudenthal's subdivision, conforming because every cube uses the same diagonal) of the
   structured grid. PETSc 3.18 here has neither Triangle nor TetGen, so DMPlexCreateBoxMesh cannot
   make simplices; the cell list can. Orientation as PETSc's reference cells: triangles
   counter-clockwise, tetrahedra with (v1 - v0) x (v2 - v0) . (v3 - v0) < 0. */
static PetscErrorCode CreateSimplexBox(MPI_Comm comm, const SkewedBox *b, DM *dm)
{
  PetscMPIInt    rank;
  const PetscInt dim = b->dim, nx = b->n[0], ny = b->n[1], nz = dim == 3 ? b->n[2] : 1;
  const PetscInt nvx = nx + 1, nvy = ny + 1, nvz = dim == 3 ? nz + 1 : 1;
  PetscInt       nc = 0, nv = 0, *cells = NULL;
  PetscReal     *coords = NULL;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (rank == 0) {
    nc = SkewedBoxNumCells(b), nv = nvx * nvy * nvz;
    PetscCall(PetscMalloc2((dim + 1) * nc, &cells, dim * nv, &coords));
    for (PetscInt k = 0; k < nvz; k++)
      for (PetscInt j = 0; j < nvy; j++)
        for (PetscInt i = 0; i < nvx; i++) {
          const PetscInt v = i + nvx * (j + nvy * k), ijk[3] = {i, j, k};
          for (PetscInt d = 0; d < dim; d++) coords[dim * v + d] = b->lower[d] + (b->upper[d] - b->lower[d]) * ijk[d] / b->n[d];
        }
    PetscInt *c = cells;
    for (PetscInt k = 0; k < nz; k++)
      for (PetscInt j = 0; j < ny; j++)
        for (PetscInt i = 0; i < nx; i++) {
#define V(a, bb, cc) ((i + (a)) + nvx * ((j + (bb)) + nvy * (k + (cc))))
          if (dim == 2) {
            if ((i + j) % 2 == 0) {
              c[0] = V(0, 0, 0), c[1] = V(1, 0, 0), c[2] = V(1, 1, 0), c += 3;
              c[0] = V(0, 0, 0), c[1] = V(1, 1, 0), c[2] = V(0, 1, 0), c += 3;
            } else {
              c[0] = V(0, 0, 0), c[1] = V(1, 0, 0), c[2] = V(0, 1, 0), c += 3;
              c[0] = V(1, 0, 0), c[1] = V(1, 1, 0), c[2] = V(0, 1, 0), c += 3;
            }
          } else {
            const PetscInt perm[6][3] = {
              {0, 1, 2},
              {0, 2, 1},
              {1, 0, 2},
              {1, 2, 0},
              {2, 0, 1},
              {2, 1, 0}
            };
            for (PetscInt p = 0; p < 6; p++) {
              PetscInt e[3] = {0, 0, 0}, t[4];
              t[0]          = V(0, 0, 0);
              e[perm[p][0]] = 1, t[1] = V(e[0], e[1], e[2]);
              e[perm[p][1]] = 1, t[2] = V(e[0], e[1], e[2]);
              t[3] = V(1, 1, 1);
              PetscReal a[3][3];
              for (PetscInt q = 0; q < 3; q++)
                for (PetscInt d = 0; d < 3; d++) a[q][d] = coords[3 * t[q + 1] + d] - coords[3 * t[0] + d];
              const PetscReal triple = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) * a[2][0] + (a[0][2] * a[1][0] - a[0][0] * a[1][2]) * a[2][1] + (a[0][0] * a[1][1] - a[0][1] * a[1][0]) * a[2][2];
              if (triple > 0) {
                const PetscInt s = t[2];
                t[2] = t[3], t[3] = s;
              }
              for (PetscInt q = 0; q < 4; q++) c[q] = t[q];
              c += 4;
            }
          }
#undef V
        }
  }
  PetscCall(DMPlexCreateFromCellListPetsc(comm, dim, nc, nv, dim + 1, PETSC_TRUE, cells, dim, coords, dm));
  PetscCall(PetscFree2(cells, coords));
  PetscFunctionReturn(0);
}

/* Shift the vertices (on the serial mesh). The grid index of a vertex is recovered from its
   unperturbed coordinates. Quads, triangles and tetrahedra: each coordinate of a vertex that is
   not on the boundary in that direction moves by up to amplitude * h. Hexahedra: their faces
   must stay planar, because PETSc computes a hexahedron's volume with each quadrilateral face split
   along one diagonal and the face's area and centroid split along the other, which agree only
   for a planar face (a warped one would break the identities the test checks by O(warp), not by
   round-off). So the x-y shift of a vertex depends on its column only (vertical faces stay
   planar), and each interior layer of vertices k lies on a tilted, shifted plane
   z = z_k + a_k + b_k x' + c_k y' (horizontal faces stay planar). */
static PetscErrorCode Perturb(DM dm, const SkewedBox *b)
{
  Vec          X;
  PetscScalar *x;
  PetscInt     n, cdim;
  PetscReal    h[3], L[3];

  PetscFunctionBeginUser;
  PetscCall(DMGetCoordinateDim(dm, &cdim));
  for (PetscInt d = 0; d < b->dim; d++) L[d] = b->upper[d] - b->lower[d], h[d] = L[d] / b->n[d];
  PetscCall(DMGetCoordinates(dm, &X));
  PetscCall(VecGetLocalSize(X, &n));
  PetscCall(VecGetArray(X, &x));
  for (PetscInt v = 0; v < n / cdim; v++) {
    PetscReal *p      = &x[cdim * v];
    PetscInt   ijk[3] = {0, 0, 0};
    for (PetscInt d = 0; d < b->dim; d++) ijk[d] = (PetscInt)PetscFloorReal((p[d] - b->lower[d]) / h[d] + 0.5);
    const PetscBool hex = (PetscBool)(b->dim == 3 && !b->simplex);
    for (PetscInt d = 0; d < (hex ? 2 : b->dim); d++)
      if (ijk[d] > 0 && ijk[d] < b->n[d]) p[d] += b->amplitude * h[d] * Random(ijk[0], ijk[1], hex ? 0 : ijk[2], d);
    if (hex && ijk[2] > 0 && ijk[2] < b->n[2]) {
      const PetscReal sx = 2 * (p[0] - b->lower[0]) / L[0] - 1, sy = 2 * (p[1] - b->lower[1]) / L[1] - 1; /* in [-1, 1] */
      p[2] += b->amplitude * h[2] * (Random(ijk[2], 0, 0, 3) + Random(ijk[2], 0, 0, 4) * sx + Random(ijk[2], 0, 0, 5) * sy) / 3;
    }
  }
  PetscCall(VecRestoreArray(X, &x));
  PetscCall(DMSetCoordinates(dm, X)); /* drops the cached local coordinates */
  PetscFunctionReturn(0);
}

PetscErrorCode SkewedBoxCreate(MPI_Comm comm, const SkewedBox *b, PetscInt overlap, DM *dm)
{
  DMLabel boundary;
  DM      dist = NULL;

  PetscFunctionBeginUser;
  if (b->simplex) PetscCall(CreateSimplexBox(comm, b, dm));
  else PetscCall(DMPlexCreateBoxMesh(comm, b->dim, PETSC_FALSE, b->n, b->lower, b->upper, NULL, PETSC_TRUE, dm));
  PetscCall(Perturb(*dm, b));
  PetscCall(DMCreateLabel(*dm, "boundary"));
  PetscCall(DMGetLabel(*dm, "boundary", &boundary));
  PetscCall(DMPlexMarkBoundaryFaces(*dm, 1, boundary));
  PetscCall(DMPlexDistribute(*dm, overlap, NULL, &dist));
  if (dist) {
    PetscCall(DMDestroy(dm));
    *dm = dist;
  }
  PetscCall(DMGetCoordinatesLocalSetUp(*dm)); /* collective; the geometry then reads them per cell */
  PetscCall(PetscObjectSetName((PetscObject)*dm, b->name));
  PetscFunctionReturn(0);
}
