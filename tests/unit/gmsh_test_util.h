/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the Gmsh unit tests: a check counter, the physical group names of a .msh
   and measures of a physical group's elements. Plain C on gmshc.h. */
#ifndef NPP_GMSH_TEST_UTIL_H
#define NPP_GMSH_TEST_UTIL_H

#include <stddef.h>

/* Prints "ok" or "FAILED" and the text; counts the failures. */
void Check(int ok, const char *what);
/* The number of failed checks so far. */
int Failures(void);

/* Names of the physical groups of dimension dim in a .msh, comma-separated, sorted by tag. */
void Groups(const char *path, int dim, char *names, size_t len);

/* Measures of the elements (lines, triangles, tetrahedra) of the physical group `name` of
   dimension dim in a .msh: total measure (length, area, volume), largest and mean edge, the x
   range of their nodes, and for boundary groups the projection on the plane x = 0 (proj) and
   the first and second moments of x weighted by it (x1, x2: the roughness), and the number of
   elements. */
typedef struct {
  double measure, edge, mean, xmin, xmax, proj, x1, x2;
  long   n;
} Stats;

/* Fills st; returns 1 if the group exists. */
int MeshStats(const char *path, int dim, const char *name, Stats *st);

/* |a - b| / |b| */
double Rel(double a, double b);

#endif
