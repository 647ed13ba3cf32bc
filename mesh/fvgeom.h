/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_FVGEOM_H
#define NPP_FVGEOM_H
#include <petscdmplex.h>

/* Finite-volume geometry of the local (overlapping) part of a distributed DMPlex.
   Cells are numbered 0..ncells-1 (DMPlex point - cStart); faces 0..nfaces-1
   (point - fStart). Every face of an owned cell is "active": its flux is assembled. */
typedef struct {
  PetscInt  K, L; /* local cells on either side; L = -1 on a boundary face */
  PetscReal area;
  PetscReal normal[3]; /* unit normal pointing from K to L (outward on a boundary) */
  PetscReal centroid[3];
  PetscReal dK, dL;       /* normal distances from the cell centroids to the face; dL = 0 on a boundary */
  PetscReal rK[3], rL[3]; /* from each centroid to its projection onto the face's normal line */
  PetscBool active;       /* at least one side is owned by this rank */
} NppFace;

typedef struct _n_NppFVGeom *NppFVGeom;
struct _n_NppFVGeom {
  PetscInt   dim;
  PetscInt   cStart, ncells, fStart, nfaces;
  PetscInt   nowned;      /* cells owned by this rank */
  PetscReal *centroid;    /* [3*ncells] */
  PetscReal *volume;      /* [ncells] */
  PetscBool *owned;       /* [ncells] */
  PetscInt  *cellFaceOff; /* CSR: faces of each cell, [ncells+1] */
  PetscInt  *cellFaces;
  NppFace   *faces;       /* [nfaces] */
  PetscReal  minCellSize; /* smallest volume^(1/dim) of owned cells, over all ranks */
};

PetscErrorCode NppFVGeomCreate(DM dm, NppFVGeom *geom);
PetscErrorCode NppFVGeomDestroy(NppFVGeom *geom);
/* cos of the angle between the face normal and the line from K's centroid to L's (or to the
   face centroid on a boundary): 1 on an orthogonal mesh. */
PetscReal NppFaceOrthogonality(NppFVGeom geom, const NppFace *fc);
/* Orthogonality of the active faces over all ranks: min of n.d/|d| (1 on an orthogonal mesh)
   and the largest |rK|,|rL| relative to the face's cell distance (0 when no correction is needed). */
PetscErrorCode NppFVGeomQuality(NppFVGeom geom, MPI_Comm comm, PetscReal *minOrtho, PetscReal *maxSkew);

/* The corrected two-point flux of a cell field u through face f is T_f (u_K' - u_L'), with
     u_K' - u_L' = u_K - u_L + g_f . (rK - rL),  g_f = (g_K + g_L)/2   (interior faces),
     u_K' = u_K + g_K . rK,  u_L' = boundary value                    (boundary faces),
   g the least-squares cell gradients (fvrecon.c). Each side is stored as a sparse row over an
   extended index space: [0, ncells) are cells, ncells + f is the boundary value on face f.
   Rows 2f and 2f+1 hold u_K' and u_L' of face f; on interior faces each carries half the
   correction. */
typedef struct _n_NppFaceRecon *NppFaceRecon;
struct _n_NppFaceRecon {
  PetscInt  *off; /* [2*nfaces+1] */
  PetscInt  *idx;
  PetscReal *w;
  PetscInt   nfallback;    /* owned cells whose gradient was dropped (too few independent points) */
  PetscInt   nuncorrected; /* faces of owned cells left uncorrected (orthogonality below the threshold) */
};

/* cellCoef is the field's diffusion coefficient per cell (conductivity for the potential); it
   weights the interface values used by the gradients. cellScale (NULL: 1) is a per-cell factor
   s such that u s is continuous across group interfaces (fvrecon.c). faceZeroNormal (may be NULL)
   marks boundary faces without a value across which the field has no flux (its normal derivative
   is zero there). Faces whose orthogonality (cos of normal to centroid line) is below minOrtho
   keep the two-point flux. */
PetscErrorCode NppFaceReconCreate(NppFVGeom geom, const PetscInt cellGroup[], const PetscReal cellCoef[], const PetscReal cellScale[], const PetscBool faceHasValue[], const PetscBool faceZeroNormal[], PetscBool correct, PetscReal minOrtho, NppFaceRecon *recon);
PetscErrorCode NppFaceReconDestroy(NppFaceRecon *recon);

/* Apply row r of the reconstruction to an extended vector (cells then face values). */
static inline PetscReal NppFaceReconApply(NppFaceRecon rc, PetscInt r, const PetscReal *u, PetscInt ncells, const PetscReal *ub)
{
  PetscReal s = 0;
  for (PetscInt k = rc->off[r]; k < rc->off[r + 1]; k++) {
    const PetscInt j = rc->idx[k];
    s += rc->w[k] * (j < ncells ? u[j] : ub[j - ncells]);
  }
  return s;
}

#endif
