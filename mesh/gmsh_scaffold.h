/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_GMSH_SCAFFOLD_H
#define NPP_GMSH_SCAFFOLD_H
/* `scaffold`: a random non-woven network of inert fibres in a film, the rest filled by an
   electrolyte, as the PEVA fibre scaffold of a sulfide electrolyte film (seed paper 003: a 40 um
   Li5.7PS4.7Cl1.3 film on a PEVA scaffold of 7.5 wt%, about 12.6 vol%). The film spans
   0 <= x <= box[0] (through-plane, the direction of the current) and the fibres lie within the
   slab layer[0] <= x <= layer[1], straight cylinders crossing the whole box in y-z, at random
   in-plane angles, tilted out of the y-z plane by at most orientation_spread. The fibres are
   inert (ion-blocking): they are not meshed; their surfaces are the boundary group "fibres"
   (a wall). In 2D the section z = const is meshed: every fibre cuts it as a disk (fibres along z).
   Plain C on the Gmsh SDK, no PETSc; call on one rank. Boundary groups: "xmin", "xmax", "ymin",
   "ymax", "zmin", "zmax", "fibres". */
#include "gmsh_generators.h"

typedef struct {
  int      dim;                /* 2 or 3 */
  double   box[3];             /* the film [0, box], m; box[0] is its thickness */
  double   layer[2];           /* the fibres' slab along x, m (0 <= layer[0] < layer[1] <= box[0]) */
  double   fibre_radius;       /* m */
  double   volume_fraction;    /* target fibre fraction of the slab, in (0, 0.5) */
  double   orientation_spread; /* largest tilt out of the y-z plane, degrees, in [0, 90) */
  double   min_gap;            /* fibres either cross (intersect) or keep this gap, in radii */
  unsigned seed;
  char     electrolyte_name[NPP_GMSH_NAME_LEN]; /* region of the electrolyte */
  double   size;                                /* cell size away from the fibres, m */
  double   interface_size;                      /* cell size on the fibre surfaces, m (<= size) */
  int      algorithm3d;
  int      verbose;
} NppGmshScaffoldSpec;

typedef struct {
  int    nfibres;
  double volume_fraction;   /* achieved fibre fraction of the slab, from the OCC geometry */
  double film_fraction;     /* achieved fibre fraction of the whole film */
  double fibre_area;        /* fibre surface area (3D) or perimeter (2D) in the film, m^(dim-1) */
  int    electrolyte_spans; /* 1: the electrolyte connects xmin to xmax */
  long   ncells;
} NppGmshScaffoldReport;

int NppGmshScaffold(const NppGmshScaffoldSpec *spec, const char *mshpath, NppGmshScaffoldReport *report, char *err, size_t errlen);

#endif
