#ifndef NPP_H
#define NPP_H
#include <petscsnes.h>
#include "case.h"
#include "mesh.h"
#include "fvgeom.h"
#include "material.h"

/* One named boundary of the mesh with its condition. */
typedef struct {
  char      name[NPP_NAME_LEN];
  PetscReal potential; /* Dirichlet electric potential, V */
  PetscReal area;      /* over all ranks, m^2 */
  PetscReal centroid[3];
  PetscReal current;   /* current leaving the domain through it, A */
} NppBoundary;

/* Manufactured solution for verification: the exact potential and its source term. */
typedef struct {
  PetscBool on;
  PetscReal l2error, h;
} NppMMS;

typedef struct {
  PetscLogDouble mesh, distribute, setup, solve, output, total;
} NppTimes;

/* The whole run: case -> mesh -> discretisation -> solver -> output. */
typedef struct _n_Npp *Npp;
struct _n_Npp {
  MPI_Comm     comm;
  NppCase      cs;
  char         outdir[PETSC_MAX_PATH_LEN];
  PetscBool    outdirCreated;
  DM           dm; /* mesh with its labels; one potential dof per cell */
  NppMeshInfo  meshInfo;
  NppFVGeom    geom;
  NppFaceRecon recon;
  PetscBool    correct;     /* non-orthogonal correction on */
  PetscReal    correctMinOrtho; /* faces less orthogonal than this are not corrected */
  PetscReal    minOrtho, maxSkew;
  PetscInt     nfallback;    /* cells whose gradient fell back to zero, over all ranks */
  PetscInt     nuncorrected; /* faces too skewed to correct, over all ranks */
  PetscInt     globalCells;

  PetscInt     nregions;
  NppMaterial *mat;
  PetscInt    *cellRegion;  /* [ncells] */
  PetscInt    *regionCells; /* [nregions] over all ranks */
  PetscReal   *regionVolume;

  PetscInt     nbc;
  NppBoundary *bc;
  PetscInt    *faceBC;       /* [nfaces] boundary index, -1 if none */
  PetscBool   *faceHasValue; /* [nfaces] Dirichlet face */
  PetscReal   *faceValue;    /* [nfaces] Dirichlet value */
  PetscReal   *faceTrans;    /* [nfaces] two-point transmissibility, S */
  PetscReal   *faceFlux;     /* [nfaces] work array: current through each face, A */
  PetscReal   *cellSource;   /* [ncells] volumetric current source, A m^-3 (manufactured solutions) */

  PetscInt    *cellRow;  /* [ncells] global row of every local cell */
  PetscInt    *ownedPos; /* [ncells] position in the local part of a global vector, -1 for ghosts */
  PetscBool    symmetric; /* operator symmetric: no active correction */
  PetscCount   ncoo;
  PetscReal   *cooVal; /* Jacobian values in face order */

  Vec          X, Xloc;
  Mat          J;
  SNES         snes;
  PetscInt     snesIts, kspIts;
  NppMMS       mms;
  NppTimes     t;
};

PetscErrorCode NppCreate(MPI_Comm comm, Npp *npp);
PetscErrorCode NppSetUp(Npp npp, int argc, char **argv);
PetscErrorCode NppSolve(Npp npp);
PetscErrorCode NppWriteOutput(Npp npp);
PetscErrorCode NppDestroy(Npp *npp);
PetscErrorCode NppAbortOutput(Npp npp);
PetscErrorCode NppWriteSummary(Npp npp, const char path[]);

/* set-up stages, one file each */
PetscErrorCode NppRegionsSetUp(Npp npp);
PetscErrorCode NppBoundariesSetUp(Npp npp);
PetscErrorCode NppMMSSetUp(Npp npp);
PetscErrorCode NppMMSError(Npp npp);
PetscErrorCode NppConductionSetUp(Npp npp);
PetscErrorCode NppConductionFaceFlux(Npp npp, const PetscReal u[], PetscReal q[]);
PetscErrorCode NppLabelNames(DM dm, PetscInt height, char list[], size_t len);

#endif
