#ifndef NPP_MESH_H
#define NPP_MESH_H
#include <petscdmplex.h>
#include "case.h"

/* What the mesh stage reports for the run summary. */
typedef struct {
  char      source[32];          /* generator name or "file" */
  char      file[PETSC_MAX_PATH_LEN];
  PetscBool generated;          /* the .msh was written by this run */
  PetscInt  nparticles;          /* particles and anode generators only */
  PetscReal particle_fraction;   /* achieved volume fraction (anode: of the composite layer) */
  PetscReal time_generate, time_distribute; /* generate + read; distribute */
} NppMeshInfo;

/* Builds the mesh named by the -mesh_* options (a Gmsh generator on rank 0, or a .msh file),
   reads it into a DMPlex whose labels carry the Gmsh physical names, optionally refines it
   (-mesh_refine n), and distributes it with an overlap of `overlap` cells. The generated .msh
   is written into outdir. */
PetscErrorCode NppMeshCreate(MPI_Comm comm, const NppCase *cs, const char outdir[], PetscInt overlap, DM *dm, NppMeshInfo *info);

#endif
