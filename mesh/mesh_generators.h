/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_MESH_GENERATORS_H
#define NPP_MESH_GENERATORS_H
/* The generator registry of the mesh stage (private to mesh/): each generator reads its -mesh_*
   keys and, when asked, runs its Gmsh SDK builder on rank 0 and fills a typed report. */
#include "mesh.h"

/* What a generator reports back, broadcast from rank 0 as one struct. */
typedef struct {
  int    ierr; /* non-zero: the generator failed with message err */
  char   err[1024];
  char   objects[16];           /* what it placed: "particles", "grains", "fibres" */
  int    count;                 /* how many */
  double fraction;              /* their achieved volume fraction */
  int    solidSpans, poreSpans; /* 1/0 spanning xmin to xmax; -1: not checked */
  double interfaceMeasure, shellFraction;
} NppMeshReport;

/* One run of a generator. Every generator reads all its keys (and with -help lists them) on every
   run, also when another generator is in use: its keys are then known, not typos, so that
   switching -mesh_generator on the command line keeps a case valid. Only with `generate` are the
   values checked and the mesh written (on rank 0, into file); a "generator" may instead name an
   existing file. */
typedef struct {
  MPI_Comm            comm;
  PetscBool           generate;
  NppMeshPathResolver resolve;
  void               *resolveCtx;
  char                file[PETSC_MAX_PATH_LEN];
  NppMeshReport       report;
} NppMeshJob;

typedef PetscErrorCode (*NppMeshGenerator)(NppMeshJob *);

/* The names in the order -help lists them, and the registry (a PetscFunctionList of
   NppMeshGenerator by name, built on first use and freed at PetscFinalize). */
extern const char *const NppMeshGeneratorNames[];
extern const size_t      NppMeshGeneratorCount;
PetscErrorCode           NppMeshGeneratorsRegister(PetscFunctionList *list);

#endif
