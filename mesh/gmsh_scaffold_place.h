/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_GMSH_SCAFFOLD_PLACE_H
#define NPP_GMSH_SCAFFOLD_PLACE_H
/* Private to the `scaffold` generator (not part of the npp_gmsh interface): what its two halves
   share. gmsh_scaffold_place.c checks the spec, places the fibres at random under the geometric
   admissibility rules and picks the cylinders' seam angles; gmsh_scaffold.c builds the OCC
   geometry of the placed fibres, the size field and the mesh, and fills the report. */
#include "gmsh_scaffold.h"
#include <stddef.h>

#define NPP_PI 3.14159265358979323846
#define DEG    (NPP_PI / 180)
#define CLEAR  0.1 /* clearance from faces a fibre does not cross, in radii */

typedef struct {
  double p[3], d[3]; /* axis p + u d, |d| = 1; 2D: the disk's centre, d = z */
  double u0, u1;     /* the cylinder's extent along the axis */
  double ua, ub;     /* the part of it that can reach into the box */
  int    cut[2];     /* 1: the end u0 (u1) lies in the box region, cut short at the slab */
} Fibre;

typedef struct {
  double x[3];
  int    i, j;
} Crossing;

typedef struct {
  NppGmshScaffoldSpec s;        /* at unit scale */
  double              xlo, xhi; /* the x range the fibres must stay in */
  Fibre              *F;
  int                 n, cap;
  Crossing           *C;
  int                 nc, capc;
  int                 N[3];
  double              h[3];
  unsigned char      *vox; /* 1: the voxel's centre is inside a fibre */
} Mat;

/* 0 if the spec is valid, else 1 with a message in err. */
int NppScaffoldCheck(const NppGmshScaffoldSpec *s, char *err, size_t len);
/* The point x at u along the axis of f. */
void NppScaffoldAt(const Fibre *f, double u, double x[3]);
/* Places the fibres of M->s (unit scale, M->xlo and M->xhi set) into M->F, their crossings
   into M->C and their voxels into M->vox; 1 with a message in err if the target is not reached. */
int NppScaffoldPlace(Mat *M, char *err, size_t len);
/* The angle to turn the cylinder of fibre i about its axis so that its seam keeps off the
   fibres it crosses; *clear gets the seam's distance to the nearest tangent ruling. */
double NppScaffoldSeamAngle(const Mat *M, int i, double *clear);

#endif
