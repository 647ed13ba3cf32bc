/* SPDX-License-Identifier: BSD-2-Clause */
#include "gmsh_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gmshc.h>

static int failures = 0;

void Check(int ok, const char *what)
{
  printf("%s %s\n", ok ? "ok    " : "FAILED", what);
  failures += !ok;
}

int Failures(void)
{
  return failures;
}

void Groups(const char *path, int dim, char *names, size_t len)
{
  int   *dt = NULL, ierr = 0;
  size_t n = 0;
  names[0] = 0;
  gmshInitialize(0, NULL, 0, &ierr);
  gmshOptionSetNumber("General.Terminal", 0, &ierr);
  gmshOpen(path, &ierr);
  gmshModelGetPhysicalGroups(&dt, &n, dim, &ierr);
  for (size_t k = 0; k < n / 2; k++) {
    char *name = NULL;
    gmshModelGetPhysicalName(dim, dt[2 * k + 1], &name, &ierr);
    snprintf(names + strlen(names), len - strlen(names), "%s%s", k ? "," : "", name);
    gmshFree(name);
  }
  gmshFree(dt);
  gmshFinalize(&ierr);
}

int MeshStats(const char *path, int dim, const char *name, Stats *st)
{
  int      *dt = NULL, *ent = NULL, ierr = 0, found = 0;
  size_t    n = 0, ne = 0, nn = 0, *ntags = NULL, nx = 0, np = 0, maxtag = 0;
  double   *xyz = NULL, *par = NULL, **at = NULL;
  const int nv = dim + 1;
  memset(st, 0, sizeof *st);
  st->xmin = INFINITY, st->xmax = -INFINITY;
  gmshInitialize(0, NULL, 0, &ierr);
  gmshOptionSetNumber("General.Terminal", 0, &ierr);
  gmshOpen(path, &ierr);
  gmshModelMeshGetNodes(&ntags, &nn, &xyz, &nx, &par, &np, -1, -1, 0, 0, &ierr);
  for (size_t i = 0; i < nn; i++) maxtag = ntags[i] > maxtag ? ntags[i] : maxtag;
  at = calloc(maxtag + 1, sizeof *at);
  for (size_t i = 0; i < nn; i++) at[ntags[i]] = xyz + 3 * i;
  gmshModelGetPhysicalGroups(&dt, &n, dim, &ierr);
  for (size_t k = 0; k < n / 2 && !found; k++) {
    char *pname = NULL;
    gmshModelGetPhysicalName(dim, dt[2 * k + 1], &pname, &ierr);
    found = !strcmp(pname, name);
    gmshFree(pname);
    if (!found) continue;
    gmshModelGetEntitiesForPhysicalGroup(dim, dt[2 * k + 1], &ent, &ne, &ierr);
    for (size_t e = 0; e < ne; e++) {
      const int type = dim == 1 ? 1 : dim == 2 ? 2 : 4;
      size_t   *el = NULL, nel = 0, *nodes = NULL, nnodes = 0;
      gmshModelMeshGetElementsByType(type, &el, &nel, &nodes, &nnodes, ent[e], 0, 1, &ierr);
      for (size_t c = 0; c < nel; c++) {
        const double *v[4];
        double        m = 0, w = 0, s1 = 0, s2 = 0, a[3], b[3], cr[3], t[3];
        for (int i = 0; i < nv; i++) v[i] = at[nodes[nv * c + i]], st->xmin = fmin(st->xmin, v[i][0]), st->xmax = fmax(st->xmax, v[i][0]);
        for (int i = 0; i < nv; i++)
          for (int j = i + 1; j < nv; j++) {
            const double l = sqrt(pow(v[i][0] - v[j][0], 2) + pow(v[i][1] - v[j][1], 2) + pow(v[i][2] - v[j][2], 2));
            st->edge       = fmax(st->edge, l), st->mean += l;
          }
        for (int i = 0; i < 3; i++) a[i] = v[1][i] - v[0][i], b[i] = nv > 2 ? v[2][i] - v[0][i] : 0, t[i] = nv > 3 ? v[3][i] - v[0][i] : 0;
        cr[0] = a[1] * b[2] - a[2] * b[1], cr[1] = a[2] * b[0] - a[0] * b[2], cr[2] = a[0] * b[1] - a[1] * b[0];
        /* w: the measure of the element's projection on the plane x = 0 */
        if (nv == 2) m = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]), w = fabs(a[1]);
        else if (nv == 3) m = 0.5 * sqrt(cr[0] * cr[0] + cr[1] * cr[1] + cr[2] * cr[2]), w = 0.5 * fabs(cr[0]);
        else m = fabs(cr[0] * t[0] + cr[1] * t[1] + cr[2] * t[2]) / 6;
        /* the exact means of x and of x^2 over a simplex, from its vertices */
        for (int i = 0; i < nv; i++) {
          s1 += v[i][0];
          for (int j = i; j < nv; j++) s2 += v[i][0] * v[j][0];
        }
        st->measure += m, st->proj += w, st->x1 += w * s1 / nv, st->x2 += w * s2 / (nv * (nv + 1) / 2);
        st->n++;
      }
      gmshFree(el), gmshFree(nodes);
    }
    gmshFree(ent);
  }
  if (st->n) st->mean /= st->n * (nv * (nv - 1) / 2); /* edges per element */
  free(at);
  gmshFree(dt), gmshFree(ntags), gmshFree(xyz), gmshFree(par);
  gmshFinalize(&ierr);
  return found;
}

double Rel(double a, double b)
{
  return fabs(a - b) / fabs(b);
}
