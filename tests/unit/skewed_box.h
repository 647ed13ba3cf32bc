/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_TEST_SKEWED_BOX_H
#define NPP_TEST_SKEWED_BOX_H
#include <petscdmplex.h>

/* A box [lower, upper] of n[0] x n[1] (x n[2]) cells, quads/hexes or triangles/tetrahedra, made
   without Gmsh, whose vertices are shifted by a deterministic pseudo-random amount of up to
   `amplitude` times the cell size per coordinate: interior vertices move freely, boundary vertices
   slide along the boundary, so the domain stays exactly the box while the mesh is non-orthogonal. */
typedef struct {
  const char *name;
  PetscInt    dim;
  PetscBool   simplex;
  PetscInt    n[3];
  PetscReal   lower[3], upper[3];
  PetscReal   amplitude;
} SkewedBox;

/* The mesh is made and perturbed on rank 0, its boundary faces are marked 1 in the label
   "boundary", and it is distributed with `overlap` layers of ghost cells (npp uses 3 with the
   non-orthogonal correction). */
PetscErrorCode SkewedBoxCreate(MPI_Comm comm, const SkewedBox *box, PetscInt overlap, DM *dm);
PetscReal      SkewedBoxVolume(const SkewedBox *box);
PetscReal      SkewedBoxSurface(const SkewedBox *box);
PetscInt       SkewedBoxNumCells(const SkewedBox *box);

/* The meshes both tests run on: quadrilaterals, triangles, hexahedra, tetrahedra. */
#define SKEWED_BOX_COUNT 4
extern const SkewedBox skewedBoxes[SKEWED_BOX_COUNT];

#endif
