/* SPDX-License-Identifier: BSD-2-Clause */
/* `scaffold`: a non-woven mat of inert fibres in a film, the electrolyte being the box less the
   fibres (which are not meshed; their surfaces form the boundary group "fibres").

   This file holds the second half: the OCC geometry of the fibres that gmsh_scaffold_place.c
   places (with the check of the spec and the seam angles), the size field, the mesh, the check
   for degenerate cells and the report.

   Geometry: the box less all fibres (one OCC cut), each cylinder turned about its axis so that
   its seam keeps off the fibres it crosses (NppScaffoldSeamAngle); the reported fractions and the
   fibre area come from the OCC masses of the result, the electrolyte spans x if one of its
   solids touches both x faces (OCC topology, exact), and solids touching neither x face (pores
   sealed by fibres, carrying no current and leaving the potential undetermined) are removed. A
   mesh with a flat cell (below MIN_CELL of the mean) is not kept: the generator fails, naming
   the seed. */
#include "gmsh_scaffold.h"
#include "gmsh_scaffold_place.h"
#include "gmsh_common.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_CELL 1e-12 /* least cell volume (area in 2D) allowed, relative to the mean */

/* 1 if the bounding box of entity (dim, tag) is flat on the plane x_axis = v. */
static int OnPlane(NppGmshErr *E, int dim, int tag, int axis, double v, double tol, int *on)
{
  double lo[3], hi[3];
  GMSH_TRY(E, gmshModelGetBoundingBox(dim, tag, &lo[0], &lo[1], &lo[2], &hi[0], &hi[1], &hi[2], IERR));
  *on = fabs(lo[axis] - v) < tol && fabs(hi[axis] - v) < tol;
  return 0;
fail:
  return 1;
}

static int OnBox(NppGmshErr *E, const NppGmshScaffoldSpec *s, int tag, double tol, int *on)
{
  *on = 0;
  for (int face = 0; face < 2 * s->dim && !*on; face++)
    if (OnPlane(E, s->dim - 1, tag, face / 2, face % 2 ? s->box[face / 2] : 0, tol, on)) return 1;
  return 0;
}

/* Distance to the fibre surfaces and a threshold: interface_size on them, size two radii off. */
static int SizeField(NppGmshErr *E, const NppGmshScaffoldSpec *s, double *faces, size_t nf)
{
  int thr;
  /* the surfaces are sampled on an n x n grid of their parameters (4.8 default 20): a fibre
     crossing the box is ~ box / r radii long, so sample it finer than r */
  return NppGmshDistanceThreshold(E, s->dim, faces, nf, 100, s->interface_size, s->size, 2 * s->fibre_radius, &thr) || NppGmshBackgroundField(E, thr, s->size);
}

/* The box less the fibres, its groups, and what the report needs from OCC (unit scale). */
static int Build(NppGmshErr *E, const Mat *M, double *fibreMeasure, double *area, int *spans)
{
  const NppGmshScaffoldSpec *s      = &M->s;
  const int                  dim    = s->dim;
  int                        box[2] = {dim, 0}, *tools = malloc((2 * (size_t)M->n + 1) * sizeof *tools), *out = NULL, **map = NULL, *keep = NULL, *bnd = NULL, *all = NULL, *fib = NULL;
  int                       *vols;
  size_t                     nout = 0, *nmap = NULL, nnmap = 0, nkeep = 0, nall = 0, nfib = 0, nvols;
  double                     boxm = s->box[0] * s->box[1] * (dim == 3 ? s->box[2] : 1), electrolyte = 0, tol = 1e-5 * fmax(s->box[0], fmax(s->box[1], dim == 3 ? s->box[2] : 0)), *faces = NULL;
  int                        rc = 1;

  *area = 0, *spans = 0;
  if (dim == 3) GMSH_TRY(E, box[1] = gmshModelOccAddBox(0, 0, 0, s->box[0], s->box[1], s->box[2], -1, IERR));
  else GMSH_TRY(E, box[1] = gmshModelOccAddRectangle(0, 0, 0, s->box[0], s->box[1], -1, 0, IERR));
  for (int i = 0; i < M->n; i++) {
    const Fibre *f = &M->F[i];
    double       a[3];
    tools[2 * i] = dim;
    NppScaffoldAt(f, f->u0, a);
    if (dim == 3) {
      double clear, turn = NppScaffoldSeamAngle(M, i, &clear);
      GMSH_TRY(E, tools[2 * i + 1] = gmshModelOccAddCylinder(a[0], a[1], a[2], (f->u1 - f->u0) * f->d[0], (f->u1 - f->u0) * f->d[1], (f->u1 - f->u0) * f->d[2], s->fibre_radius, -1, 2 * NPP_PI, IERR));
      if (turn != 0) GMSH_TRY(E, gmshModelOccRotate(tools + 2 * i, 2, a[0], a[1], a[2], f->d[0], f->d[1], f->d[2], turn, IERR));
      if (s->verbose) printf("scaffold: fibre %d: seam turned by %.1f deg, %s %.1f deg off a crossing fibre\n", i, turn / DEG, clear >= 0 ? "meeting no crossing fibre," : "through a crossing fibre,", fabs(clear) / DEG);
    } else GMSH_TRY(E, tools[2 * i + 1] = gmshModelOccAddDisk(f->p[0], f->p[1], 0, s->fibre_radius, s->fibre_radius, -1, IERR));
  }
  if (M->n) GMSH_TRY(E, gmshModelOccCut(box, 2, tools, 2 * (size_t)M->n, &out, &nout, &map, &nmap, &nnmap, -1, 1, 1, IERR));
  GMSH_TRY(E, gmshModelOccSynchronize(IERR));
  vols = M->n ? out : box, nvols = M->n ? nout / 2 : 1;
  keep = malloc((nvols + 1) * sizeof *keep);
  for (size_t k = 0; k < nvols; k++) {
    size_t nb = 0;
    int    lo = 0, hi = 0;
    double m;
    if (vols[2 * k] != dim) continue;
    GMSH_TRY(E, gmshModelOccGetMass(dim, vols[2 * k + 1], &m, IERR));
    electrolyte += m;
    GMSH_TRY(E, gmshModelGetBoundary(vols + 2 * k, 2, &bnd, &nb, 0, 0, 0, IERR));
    for (size_t b = 0; b < nb / 2; b++) {
      int on0, on1;
      if (OnPlane(E, dim - 1, abs(bnd[2 * b + 1]), 0, 0, tol, &on0) || OnPlane(E, dim - 1, abs(bnd[2 * b + 1]), 0, s->box[0], tol, &on1)) goto fail;
      lo |= on0, hi |= on1;
    }
    gmshFree(bnd), bnd = NULL;
    *spans |= lo && hi;
    if (lo || hi) keep[nkeep++] = vols[2 * k + 1];
    else { /* a sealed pore: no current, and no potential to pin it */ int dt[2] = {dim, vols[2 * k + 1]};
      GMSH_TRY(E, gmshModelOccRemove(dt, 2, 1, IERR));
    }
  }
  GMSH_TRY(E, gmshModelOccSynchronize(IERR));
  *fibreMeasure = boxm - electrolyte;
  if (NppGmshRegion(E, dim, keep, nkeep, 1, s->electrolyte_name)) goto fail;
  if (NppGmshBoxBoundaries(E, dim, s->box)) goto fail;
  /* every other boundary entity is a fibre surface */
  GMSH_TRY(E, gmshModelGetEntities(&all, &nall, dim - 1, IERR));
  fib = malloc((nall / 2 + 1) * sizeof *fib), faces = malloc((nall / 2 + 1) * sizeof *faces);
  for (size_t k = 0; k < nall / 2; k++) {
    int    on;
    double m;
    if (OnBox(E, s, all[2 * k + 1], tol, &on)) goto fail;
    if (on) continue;
    GMSH_TRY(E, gmshModelOccGetMass(dim - 1, all[2 * k + 1], &m, IERR));
    *area += m;
    faces[nfib] = all[2 * k + 1], fib[nfib++] = all[2 * k + 1];
  }
  if (nfib) {
    if (NppGmshRegion(E, dim - 1, fib, nfib, 1007, "fibres")) goto fail;
    if (SizeField(E, s, faces, nfib)) goto fail;
  } else { /* no fibre in the box: a uniform mesh */
    GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeMax", s->size, IERR));
    GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeMin", s->size, IERR));
  }
  rc = 0;
fail:
  if (map) {
    for (size_t i = 0; i < nnmap; i++) gmshFree(map[i]);
    gmshFree(map);
  }
  if (nmap) gmshFree(nmap);
  if (out) gmshFree(out);
  if (bnd) gmshFree(bnd);
  if (all) gmshFree(all);
  free(tools), free(keep), free(fib), free(faces);
  return rc;
}

/* The safety net behind the seam placement: the smallest cell of the mesh, in volume (area in
   2D) relative to the mean, and its centroid (unit scale). A flat cell is refused by the solver
   ("cell centroid on the wrong side"). */
static int SmallestCell(NppGmshErr *E, int dim, double *ratio, double where[3])
{
  int    *types  = NULL;
  size_t  ntypes = 0, *ntags = NULL, nn = 0, nx = 0, np = 0, maxtag = 0, *elems = NULL, nelems = 0, *nodes = NULL, nnodes = 0;
  double *xyz = NULL, *par = NULL, **at = NULL, sum = 0, least = INFINITY;
  long    count = 0;

  *ratio = INFINITY, where[0] = where[1] = where[2] = 0;
  GMSH_TRY(E, gmshModelMeshGetNodes(&ntags, &nn, &xyz, &nx, &par, &np, -1, -1, 0, 0, IERR));
  for (size_t i = 0; i < nn; i++) maxtag = ntags[i] > maxtag ? ntags[i] : maxtag;
  at = calloc(maxtag + 1, sizeof *at);
  for (size_t i = 0; i < nn; i++) at[ntags[i]] = xyz + 3 * i;
  GMSH_TRY(E, gmshModelMeshGetElementTypes(&types, &ntypes, dim, -1, IERR));
  for (size_t t = 0; t < ntypes; t++) {
    const int nv = dim + 1;
    if (types[t] != (dim == 3 ? 4 : 2)) continue; /* tetrahedra, triangles: all the generator makes */
    GMSH_TRY(E, gmshModelMeshGetElementsByType(types[t], &elems, &nelems, &nodes, &nnodes, -1, 0, 1, IERR));
    for (size_t c = 0; c < nelems; c++) {
      const double *v[4];
      double        a[3], b[3], d[3], m;
      int           ok = 1;
      for (int k = 0; k < nv; k++) ok = ok && nodes[nv * c + k] <= maxtag && (v[k] = at[nodes[nv * c + k]]) != NULL;
      if (!ok) continue;
      for (int i = 0; i < 3; i++) a[i] = v[1][i] - v[0][i], b[i] = v[2][i] - v[0][i], d[i] = dim == 3 ? v[3][i] - v[0][i] : 0;
      if (dim == 3) m = fabs((a[1] * b[2] - a[2] * b[1]) * d[0] + (a[2] * b[0] - a[0] * b[2]) * d[1] + (a[0] * b[1] - a[1] * b[0]) * d[2]) / 6;
      else m = 0.5 * fabs(a[0] * b[1] - a[1] * b[0]);
      sum += m, count++;
      if (m < least) {
        least = m;
        for (int i = 0; i < 3; i++) {
          where[i] = 0;
          for (int k = 0; k < nv; k++) where[i] += v[k][i] / nv;
        }
      }
    }
    gmshFree(elems), gmshFree(nodes), elems = NULL, nodes = NULL;
  }
  if (count && sum > 0) *ratio = least / (sum / count);
  gmshFree(types), gmshFree(ntags), gmshFree(xyz), gmshFree(par), free(at);
  return 0;
fail:
  if (types) gmshFree(types);
  if (ntags) gmshFree(ntags);
  if (xyz) gmshFree(xyz);
  if (par) gmshFree(par);
  if (elems) gmshFree(elems);
  if (nodes) gmshFree(nodes);
  free(at);
  return 1;
}

int NppGmshScaffold(const NppGmshScaffoldSpec *spec, const char *path, NppGmshScaffoldReport *rep, char *err, size_t errlen)
{
  NppGmshErr E    = {err, errlen};
  Mat        M    = {0};
  double     unit = 0, fibre = 0, area = 0, slab, boxm;
  int        spans = 0;

  memset(rep, 0, sizeof *rep);
  if (NppScaffoldCheck(spec, err, errlen)) return 1;
  /* Build at unit scale (OpenCASCADE's tolerances are absolute, ~1e-7) and scale on writing. */
  M.s = *spec;
  for (int i = 0; i < spec->dim; i++) unit = fmax(unit, spec->box[i]);
  for (int i = 0; i < 3; i++) M.s.box[i] /= unit;
  if (M.s.dim == 2) M.s.box[2] = 1;
  M.s.layer[0] /= unit, M.s.layer[1] /= unit;
  M.s.fibre_radius /= unit, M.s.size /= unit, M.s.interface_size /= unit;
  /* the fibres keep CLEAR r off the faces x = 0 and x = box[0]; inner slab faces are no surface */
  M.xlo = fmax(M.s.layer[0], CLEAR * M.s.fibre_radius);
  M.xhi = fmin(M.s.layer[1], M.s.box[0] - CLEAR * M.s.fibre_radius);
  slab  = (M.s.layer[1] - M.s.layer[0]) * M.s.box[1] * (M.s.dim == 3 ? M.s.box[2] : 1);
  boxm  = M.s.box[0] * M.s.box[1] * (M.s.dim == 3 ? M.s.box[2] : 1);
  if (NppScaffoldPlace(&M, err, errlen)) goto fail0;
  if (NppGmshBegin(&E, M.s.verbose)) goto fail;
  if (Build(&E, &M, &fibre, &area, &spans)) goto fail;
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.Algorithm", 5, IERR));
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.Algorithm3D", M.s.algorithm3d ? M.s.algorithm3d : 1, IERR));
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.ScalingFactor", unit, IERR));
  if (NppGmshMeshAndWrite(&E, M.s.dim, path, &rep->ncells)) goto fail;
  {
    double ratio, at[3];
    if (SmallestCell(&E, M.s.dim, &ratio, at)) goto fail;
    if (ratio < MIN_CELL) { /* written already: take it back, the solver would refuse it */
      remove(path);
      snprintf(err, errlen, "scaffold: seed = %u gives a degenerate %s (%.1e of the mean cell) at (%.4g, %.4g, %.4g) m, in the crevice of a fibre crossing; try another seed", M.s.seed, M.s.dim == 3 ? "tetrahedron" : "triangle", ratio, at[0] * unit, at[1] * unit, M.s.dim == 3 ? at[2] * unit : 0.0);
      goto fail;
    }
  }
  rep->nfibres           = M.n;
  rep->volume_fraction   = fibre / slab;
  rep->film_fraction     = fibre / boxm;
  rep->fibre_area        = area * pow(unit, M.s.dim - 1);
  rep->electrolyte_spans = spans;
  NppGmshEnd();
  free(M.F), free(M.C), free(M.vox);
  return 0;
fail:
  NppGmshEnd();
fail0:
  free(M.F), free(M.C), free(M.vox);
  return 1;
}
