/* SPDX-License-Identifier: BSD-2-Clause */
/* The `skeleton` generator: physical groups, measures of the meshed regions against the box and
   the reported solid fraction, spanning of both phases checked independently on the mesh (flood
   fill through shared faces), reproducibility, and input checking. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gmshc.h>
#include "gmsh_skeleton.h"
#include "gmsh_test_util.h"

/* A face of a cell: its sorted node tags and the cell. */
typedef struct {
  size_t v[3];
  long   cell;
} Face;

static int CmpFace(const void *a, const void *b)
{
  const Face *x = a, *y = b;
  for (int i = 0; i < 3; i++)
    if (x->v[i] != y->v[i]) return x->v[i] < y->v[i] ? -1 : 1;
  return 0;
}

static long Find(long *up, long a)
{
  while (up[a] != a) a = up[a] = up[up[a]];
  return a;
}

/* Of the region `name` (cells of dimension dim) in a .msh: its measure, and whether one
   face-connected set of its cells has faces on both x = 0 and x = lx. */
static int Region(const char *path, int dim, const char *name, double lx, double *measure, int *spans)
{
  int      *dt = NULL, *ent = NULL, ierr = 0, found = 0;
  size_t    n = 0, ne = 0, nn = 0, *ntags = NULL, nx = 0, np = 0, maxtag = 0;
  double   *xyz = NULL, *par = NULL, **at = NULL;
  const int nv = dim + 1, type = dim == 2 ? 2 : 4;

  *measure = 0, *spans = 0;
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
    Face *F     = NULL;
    long  ncell = 0, nf = 0;
    for (size_t e = 0; e < ne; e++) {
      size_t *el = NULL, nel = 0, *nodes = NULL, nnodes = 0;
      gmshModelMeshGetElementsByType(type, &el, &nel, &nodes, &nnodes, ent[e], 0, 1, &ierr);
      F = realloc(F, (nf + nv * nel) * sizeof *F);
      for (size_t c = 0; c < nel; c++, ncell++) {
        const size_t *q = nodes + nv * c;
        double        a[3], b[3], t[3], cr[3];
        for (int i = 0; i < 3; i++) a[i] = at[q[1]][i] - at[q[0]][i], b[i] = at[q[2]][i] - at[q[0]][i], t[i] = dim == 3 ? at[q[3]][i] - at[q[0]][i] : 0;
        cr[0] = a[1] * b[2] - a[2] * b[1], cr[1] = a[2] * b[0] - a[0] * b[2], cr[2] = a[0] * b[1] - a[1] * b[0];
        *measure += dim == 2 ? 0.5 * fabs(cr[2]) : fabs(cr[0] * t[0] + cr[1] * t[1] + cr[2] * t[2]) / 6;
        for (int skip = 0; skip < nv; skip++) { /* the face opposite vertex `skip`, nodes sorted */
          Face f = {
            {0, 0, 0},
            ncell
          };
          int m = 0;
          for (int i = 0; i < nv; i++)
            if (i != skip) f.v[m++] = q[i];
          for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++)
              if (f.v[j] < f.v[i]) {
                size_t s = f.v[i];
                f.v[i] = f.v[j], f.v[j] = s;
              }
          F[nf++] = f;
        }
      }
      gmshFree(el), gmshFree(nodes);
    }
    /* union the cells sharing a face; a face met once lies on the region's boundary */
    long *up    = malloc((ncell + 1) * sizeof *up);
    int  *touch = calloc(2 * ncell + 2, sizeof *touch);
    for (long c = 0; c < ncell; c++) up[c] = c;
    qsort(F, nf, sizeof *F, CmpFace);
    for (long i = 0; i < nf; i++) {
      if (i + 1 < nf && !CmpFace(&F[i], &F[i + 1])) {
        up[Find(up, F[i].cell)] = Find(up, F[i + 1].cell);
        i++;
        continue;
      }
      int on0 = 1, on1 = 1;
      for (int j = 0; j < dim; j++) on0 = on0 && fabs(at[F[i].v[j]][0]) < 1e-9 * lx, on1 = on1 && fabs(at[F[i].v[j]][0] - lx) < 1e-9 * lx;
      touch[2 * F[i].cell] |= on0, touch[2 * F[i].cell + 1] |= on1;
    }
    for (long c = 0; c < ncell; c++) touch[2 * Find(up, c)] |= touch[2 * c], touch[2 * Find(up, c) + 1] |= touch[2 * c + 1];
    for (long c = 0; c < ncell; c++) *spans |= Find(up, c) == c && touch[2 * c] && touch[2 * c + 1];
    free(F), free(up), free(touch);
    gmshFree(ent);
  }
  free(at);
  gmshFree(dt), gmshFree(ntags), gmshFree(xyz), gmshFree(par);
  gmshFinalize(&ierr);
  return found;
}

/* Generates a skeleton and checks its mesh; returns the report. The meshed solid is smaller than
   the exact (OCC) one by the chords of its curved surface: a chord h on radius r cuts a sagitta
   h^2 / 8r, a relative deficit ~ (h/r)^2 / 4 in 3D (/ 6 in 2D); allowed: 0.3 (h/r)^2. */
static NppGmshSkeletonReport Run(const NppGmshSkeletonSpec *s, const char *path, int pore_must_span)
{
  NppGmshSkeletonReport r;
  char                  err[512] = "", groups[256], msg[512];
  const char           *D        = s->dim == 3 ? "3-D" : "2-D";
  const double          box      = s->dim == 3 ? s->box[0] * s->box[1] * s->box[2] : s->box[0] * s->box[1];
  const double          ftol     = 0.3 * pow(s->interface_size / s->radius, 2);
  double                vs = 0, vp = 0;
  int                   ss = 0, ps = 0, rc = NppGmshSkeleton(s, path, &r, err, sizeof err);

  snprintf(msg, sizeof msg, "%s skeleton seed %u generates (%s): %d grains, solid %.4f, spans %d/%d, interface %.3g, %ld cells", D, s->seed, rc ? err : "ok", r.ngrains, r.solid_fraction, r.solid_spans, r.pore_spans, r.solid_interface, r.ncells);
  Check(!rc, msg);
  if (rc) return r;
  Groups(path, s->dim, groups, sizeof groups);
  snprintf(msg, sizeof msg, "%s: region groups ceramic,polymer (%s)", D, groups);
  Check(!strcmp(groups, "ceramic,polymer"), msg);
  Groups(path, s->dim - 1, groups, sizeof groups);
  snprintf(msg, sizeof msg, "%s: boundary groups (%s)", D, groups);
  Check(!strcmp(groups, s->dim == 3 ? "xmin,xmax,ymin,ymax,zmin,zmax" : "xmin,xmax,ymin,ymax"), msg);
  Region(path, s->dim, "ceramic", s->box[0], &vs, &ss);
  Region(path, s->dim, "polymer", s->box[0], &vp, &ps);
  snprintf(msg, sizeof msg, "%s: meshed regions fill the box (%.9f)", D, (vs + vp) / box);
  Check(fabs((vs + vp) / box - 1) < 1e-6, msg);
  snprintf(msg, sizeof msg, "%s: meshed solid fraction %.4f below the reported %.4f by less than %.2g of it", D, vs / box, r.solid_fraction, ftol);
  Check(vs / box <= r.solid_fraction * (1 + 1e-9) && vs / box > r.solid_fraction * (1 - ftol), msg);
  snprintf(msg, sizeof msg, "%s: solid fraction %.4f = target %.3f within 0.02 (the last grain overshoots)", D, r.solid_fraction, s->solid_fraction);
  Check(fabs(r.solid_fraction - s->solid_fraction) < 0.02, msg);
  snprintf(msg, sizeof msg, "%s: solid spans x, reported %d, on the mesh %d", D, r.solid_spans, ss);
  Check(r.solid_spans == 1 && ss == 1, msg);
  snprintf(msg, sizeof msg, "%s: pore spanning reported %d = on the mesh %d%s", D, r.pore_spans, ps, pore_must_span ? " = 1" : "");
  Check(r.pore_spans == ps && (!pore_must_span || ps == 1), msg);
  return r;
}

int main(void)
{
  char                  path[64], err[512];
  NppGmshSkeletonReport r1, r2, r3;
  NppGmshSkeletonSpec   s = {
      .dim = 2, .box = {3e-6, 3e-6, 3e-6},
           .solid_fraction = 0.471, .radius = 0.25e-6, .radius_spread = 0.2, .neck = 0.5, .seed = 1, .solid_name = "ceramic", .pore_name = "polymer", .size = 0.1e-6, .interface_size = 0.02e-6
  };

  snprintf(path, sizeof path, "/tmp/npp-test-skeleton-%d.msh", (int)getpid());
  /* 2D: fine arcs (80 chords per grain) so that the meshed area is the exact one to ~1e-3 */
  r1 = Run(&s, path, 0);
  r2 = Run(&s, path, 0);
  Check(r1.ncells == r2.ncells && r1.solid_fraction == r2.solid_fraction, "2-D: same seed, same mesh");
  /* 3D, small and coarse to stay fast: the chords of the spheres (interface size / radius = 0.6)
     cut ~9 % of the solid volume */
  s.dim = 3, s.box[0] = s.box[1] = s.box[2] = 2e-6, s.size = 0.3e-6, s.interface_size = 0.15e-6;
  r1 = Run(&s, path, 1);
  r2 = Run(&s, path, 1);
  Check(r1.ncells == r2.ncells && r1.ngrains == r2.ngrains && r1.solid_fraction == r2.solid_fraction, "3-D: same seed, same mesh");
  s.seed = 2;
  r3     = Run(&s, path, 1);
  Check(r3.solid_fraction != r1.solid_fraction && r3.ncells != r1.ncells, "3-D: another seed, another geometry");
  s.seed = 1;
  unlink(path);

  { /* bad input: non-zero, and the message names the field */
    NppGmshSkeletonSpec b = s;
    b.solid_fraction      = 0.95;
    Check(NppGmshSkeleton(&b, path, &r1, err, sizeof err) && strstr(err, "solid_fraction"), err);
    b = s, b.radius = -1e-7;
    Check(NppGmshSkeleton(&b, path, &r1, err, sizeof err) && strstr(err, "radius"), err);
    b = s, b.neck = 1.5;
    Check(NppGmshSkeleton(&b, path, &r1, err, sizeof err) && strstr(err, "neck"), err);
    b = s, strcpy(b.pore_name, b.solid_name);
    Check(NppGmshSkeleton(&b, path, &r1, err, sizeof err) && strstr(err, "pore_name"), err);
    b = s, b.interface_size = 2 * b.size;
    Check(NppGmshSkeleton(&b, path, &r1, err, sizeof err) && strstr(err, "interface_size"), err);
    b = s, b.radius_spread = 0.7;
    Check(NppGmshSkeleton(&b, path, &r1, err, sizeof err) && strstr(err, "radius_spread"), err);
    Check(access(path, F_OK) != 0, "bad input: no file written");
  }
  printf("%s\n", Failures() ? "FAILED" : "all passed");
  return Failures() != 0;
}
