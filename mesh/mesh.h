/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_MESH_H
#define NPP_MESH_H
#include <petscdmplex.h>
#include "npp_options.h"

/* What the mesh stage reports for the run summary. */
typedef struct {
  char      source[32]; /* generator name or "file" */
  char      file[PETSC_MAX_PATH_LEN];
  PetscBool generated;                      /* the .msh was written by this run */
  char      objects[16];                    /* what the generator placed: "particles", "grains" (skeleton), "fibres" (scaffold) */
  PetscInt  nparticles;                     /* how many (particles, anode, skeleton and scaffold generators) */
  PetscReal particle_fraction;              /* achieved volume fraction of them (anode: of the composite layer;
                                    skeleton: of the solid; scaffold: of the fibres in the whole film) */
  PetscInt  solidSpans, poreSpans;          /* skeleton: solid / pore connects xmin to xmax (1/0); scaffold: the
                                      electrolyte does (poreSpans); -1: not checked */
  PetscReal shellFraction;                  /* particles with shells: achieved shell fraction */
  PetscReal interfaceMeasure;               /* skeleton: solid/pore interface; scaffold: fibre surface, m^(dim-1) */
  PetscReal time_generate, time_distribute; /* generate + read; distribute */
  char      converted[PETSC_MAX_PATH_LEN];  /* -mesh_convert: the npp HDF5 mesh file written */
  char      cache[PETSC_MAX_PATH_LEN];      /* -mesh_cache: the directory of converted generated meshes */
  PetscInt  cached;                         /* 0: no cache; 1: made and stored there; 2: loaded from it; 3: a restart's mesh */
  PetscInt *cellNumber;                     /* [local cells] number of the cell in the mesh as read (file order), for checkpoints */
} NppMeshInfo;

/* Resolves the path given in option key (the caller knows where a relative path is relative to,
   e.g. the case directory for a key of the case file). */
typedef PetscErrorCode (*NppMeshPathResolver)(void *ctx, const char key[], const char value[], char path[], size_t len);

/* Reads (and with -help lists) every -mesh_* key of every generator, without meshing. */
PetscErrorCode NppMeshOptions(MPI_Comm comm);

/* Builds the mesh named by the -mesh_* options (a Gmsh generator on rank 0, or a .msh file whose
   path the resolver turns into a file name), reads it into a DMPlex whose labels carry the Gmsh
   physical names, optionally refines it (-mesh_refine n), and distributes it with an overlap of
   `overlap` cells. The generated .msh is written into outdir. A restart (restartMesh not NULL)
   reads that file instead, the mesh its checkpoint was computed on, with the same refinement. */
PetscErrorCode NppMeshCreate(MPI_Comm comm, NppMeshPathResolver resolve, void *resolveCtx, const char outdir[], PetscInt overlap, const char restartMesh[], DM *dm, NppMeshInfo *info);

/* npp's HDF5 mesh file (mesh_h5.c): written once from an undistributed mesh (with the generator's
   report, if given); loaded in parallel, each rank reading a share of the cells, labels included
   (and the report into *report, if the file has one). */
PetscErrorCode NppMeshWriteH5(DM dm, const char path[], const char source[], const NppMeshInfo *report);
PetscErrorCode NppMeshLoadH5(MPI_Comm comm, const char path[], DM *dm, NppMeshInfo *report);

#endif
