/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_GMSH_SKELETON_H
#define NPP_GMSH_SKELETON_H
/* `skeleton`: a continuous, percolating ceramic framework in a box, its pores filled by a second
   region, as in a sintered garnet skeleton infiltrated by a polymer or gel (seed paper 001:
   LLZTO grains of 500 nm sintered into a 52.9 % porous skeleton, filled by a PEGDA gel).
   The solid is a union of grains (spheres in 3D, disks in 2D) grown as one connected cluster:
   every grain after the first overlaps an earlier grain with a neck, so that the solid is
   connected by construction, and the cluster is grown until it spans the box along x (from
   xmin to xmax) and reaches the target solid fraction. Plain C on the Gmsh SDK, no PETSc;
   call on one rank. Boundary groups: "xmin", "xmax", "ymin", "ymax", "zmin", "zmax". */
#include "gmsh_generators.h"

typedef struct {
  int      dim;                           /* 2 or 3 */
  double   box[3];                        /* the box [0, box], m */
  double   solid_fraction;                /* target volume fraction of the solid in (0.2, 0.8) */
  double   radius;                        /* mean grain radius, m */
  double   radius_spread;                 /* radii uniform in radius [1 - s, 1 + s], s in [0, 0.5] */
  double   neck;                          /* neck radius / smaller grain radius of a bonded pair, in (0.2, 0.9):
                                                bonded centres are (r1 + r2) cos(asin(neck)) apart (roughly) */
  unsigned seed;                          /* same seed, same geometry, on any machine */
  char     solid_name[NPP_GMSH_NAME_LEN]; /* region of the solid (the skeleton) */
  char     pore_name[NPP_GMSH_NAME_LEN];  /* region of the pore filler */
  double   size;                          /* cell size far from the solid surface, m */
  double   interface_size;                /* cell size at the solid surface, m (<= size) */
  int      algorithm3d;                   /* as NppGmshParticlesSpec */
  int      verbose;
} NppGmshSkeletonSpec;

typedef struct {
  int    ngrains;
  double solid_fraction;  /* achieved, from the OCC geometry after cutting at the box */
  int    solid_spans;     /* 1: the solid connects xmin to xmax (checked on the final geometry) */
  int    pore_spans;      /* 1: the pore region connects xmin to xmax */
  double solid_interface; /* solid/pore interface area (3D) or length (2D), m^(dim-1) */
  long   ncells;
} NppGmshSkeletonReport;

/* 0 on success, else non-zero with a one-line message naming the field and value in err.
   Gmsh is initialised and finalised inside, also on error. */
int NppGmshSkeleton(const NppGmshSkeletonSpec *spec, const char *mshpath, NppGmshSkeletonReport *report, char *err, size_t errlen);

#endif
