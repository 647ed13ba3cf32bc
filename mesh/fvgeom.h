#ifndef NPP_FVGEOM_H
#define NPP_FVGEOM_H
#include <petscdmplex.h>

/* Finite-volume geometry of the local (overlapping) part of a distributed DMPlex.
   Cells are numbered 0..ncells-1 (DMPlex point - cStart); faces 0..nfaces-1
   (point - fStart). Every face of an owned cell is "active": its flux is assembled. */
typedef struct {
  PetscInt  K, L;        /* local cells on either side; L = -1 on a boundary face */
  PetscReal area;
  PetscReal normal[3];   /* unit normal pointing from K to L (outward on a boundary) */
  PetscReal centroid[3];
  PetscReal dK, dL;      /* normal distances from the cell centroids to the face; dL = 0 on a boundary */
  PetscReal rK[3], rL[3];/* from each centroid to its projection onto the face's normal line */
  PetscBool active;      /* at least one side is owned by this rank */
} NppFace;

typedef struct _n_NppFVGeom *NppFVGeom;
struct _n_NppFVGeom {
  PetscInt   dim;
  PetscInt   cStart, ncells, fStart, nfaces;
  PetscInt   nowned;       /* cells owned by this rank */
  PetscReal *centroid;     /* [3*ncells] */
  PetscReal *volume;       /* [ncells] */
  PetscBool *owned;        /* [ncells] */
  PetscInt  *cellFaceOff;  /* CSR: faces of each cell, [ncells+1] */
  PetscInt  *cellFaces;
  NppFace   *faces;        /* [nfaces] */
  PetscReal  minCellSize;  /* smallest volume^(1/dim) of owned cells, over all ranks */
};

PetscErrorCode NppFVGeomCreate(DM dm, NppFVGeom *geom);
PetscErrorCode NppFVGeomDestroy(NppFVGeom *geom);
/* Orthogonality of the active faces over all ranks: min of n.d/|d| (1 on an orthogonal mesh)
   and the largest |rK|,|rL| relative to the face's cell distance (0 when no correction is needed). */
PetscErrorCode NppFVGeomQuality(NppFVGeom geom, MPI_Comm comm, PetscReal *minOrtho, PetscReal *maxSkew);

/* Linear reconstruction of a cell field at the two points of each face where the
   two-point flux is exact: u_K' = u_K + g_K . rK, with g_K the least-squares gradient over
   the face neighbours of K in the same group (region) and the boundary faces that carry a
   value (and interface faces with their flux-continuity value). Each reconstruction is stored as a sparse row over an extended index space:
   [0, ncells) are cells, ncells + f is the boundary value on face f.
   Rows 2f and 2f+1 give u_K' and u_L' of face f (on a boundary u_L' is the face value). */
typedef struct _n_NppFaceRecon *NppFaceRecon;
struct _n_NppFaceRecon {
  PetscInt  *off;  /* [2*nfaces+1] */
  PetscInt  *idx;
  PetscReal *w;
  PetscInt   nlimited;     /* owned cells whose gradient was dropped (too few independent neighbours) */
  PetscInt   nfacelimited; /* faces of owned cells left uncorrected (orthogonality below the threshold) */
};

/* cellCoef is the field's diffusion coefficient per cell (conductivity for the potential); it
   weights the interface values used by the gradients. Faces whose orthogonality (cos of normal
   to centroid line) is below minOrtho keep the two-point flux. */
PetscErrorCode NppFaceReconCreate(NppFVGeom geom, const PetscInt cellGroup[], const PetscReal cellCoef[], const PetscBool faceHasValue[], PetscBool correct, PetscReal minOrtho, NppFaceRecon *recon);
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
