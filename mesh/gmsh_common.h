/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_GMSH_COMMON_H
#define NPP_GMSH_COMMON_H
/* Helpers shared by the generators. Every Gmsh call goes through GMSH_TRY, which on failure
   records the call and Gmsh's last error in the error buffer and jumps to `fail`. */
#include <stdint.h>
#include <stdio.h>
#include <gmshc.h>
#include "gmsh_generators.h"

typedef struct {
  char  *err;
  size_t len;
} NppGmshErr;

#define GMSH_TRY(E, call) \
  do { \
    int ierr_ = 0; \
    call; \
    if (ierr_) { \
      NppGmshFailed((E), #call); \
      goto fail; \
    } \
  } while (0)
#define IERR (&ierr_)

void NppGmshFailed(NppGmshErr *E, const char *what);
int  NppGmshBegin(NppGmshErr *E, int verbose);
void NppGmshEnd(void);
/* Physical groups "xmin" ... "zmax" of the (dim-1)-entities lying on the faces of [0, box]. */
int NppGmshBoxBoundaries(NppGmshErr *E, int dim, const double box[3]);
/* Physical group of dimension dim, with an explicit tag and a name. */
int NppGmshRegion(NppGmshErr *E, int dim, int *tags, size_t n, int tag, const char *name);
/* Uniform in [0, 1) from a splitmix64 state: small, portable, the same sequence on every machine. */
double NppGmshUniform(uint64_t *state);
/* Cell size sizeMin on the given (dim-1)-entities, growing linearly to sizeMax at distance
   distMax (a Distance field, sampled `sampling` times per parameter edge if > 0, and a
   Threshold); returns the Threshold's field tag. */
int NppGmshDistanceThreshold(NppGmshErr *E, int dim, double *entities, size_t n, int sampling, double sizeMin, double sizeMax, double distMax, int *field);
/* Sets field as the background mesh with the options every generator uses with it: sizes from
   the field alone (not from points, curvature or the boundary), at most sizeMax. */
int NppGmshBackgroundField(NppGmshErr *E, int field, double sizeMax);
/* Meshes in dimension dim, counts the cells and writes the .msh file. */
int NppGmshMeshAndWrite(NppGmshErr *E, int dim, const char *path, long *ncells);
/* Checks a .msh file made elsewhere before PETSc's reader, which stops with a traceback or a
   segmentation fault on a broken one: Gmsh must read it, its cells of the top dimension must be
   of one type, and every node an element names must exist. 0, or 1 with the reason in E. */
int NppGmshCheckFile(NppGmshErr *E, const char *path);

#endif
