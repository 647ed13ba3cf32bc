/* SPDX-License-Identifier: BSD-2-Clause */
/* `layers`: a stack of slabs along x (1D segments, 2D rectangles, 3D boxes), meshed either on a
   tensor grid (orthogonal lines/quads/hexes) or with triangles/tetrahedra. */
#include "gmsh_common.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int Check(const NppGmshLayersSpec *s, char *err, size_t len)
{
  if (s->dim < 1 || s->dim > 3) return snprintf(err, len, "layers: dim = %d must be 1, 2 or 3", s->dim), 1;
  if (s->nlayers < 1 || s->nlayers > NPP_GMSH_MAX_LAYERS) return snprintf(err, len, "layers: %d layers, must be 1 to %d", s->nlayers, NPP_GMSH_MAX_LAYERS), 1;
  for (int i = 0; i < s->nlayers; i++) {
    if (!(s->thickness[i] > 0) || !isfinite(s->thickness[i])) return snprintf(err, len, "layers: thickness[%d] = %g must be positive", i, s->thickness[i]), 1;
    if (!s->name[i][0]) return snprintf(err, len, "layers: layer %d has no region name", i), 1;
  }
  for (int i = 0; i + 1 < s->dim; i++)
    if (!(s->width[i] > 0) || !isfinite(s->width[i])) return snprintf(err, len, "layers: width[%d] = %g must be positive", i, s->width[i]), 1;
  if (!(s->size > 0) || !isfinite(s->size)) return snprintf(err, len, "layers: size = %g must be positive", s->size), 1;
  for (int i = 0; i < s->nlayers; i++) {
    if (!(s->bump[i] >= 0 && s->bump[i] <= 1)) return snprintf(err, len, "layers: bump[%d] = %g must be in (0, 1] (0: uniform)", i, s->bump[i]), 1;
    if (s->bump[i] > 0 && s->bump[i] < 1 && !s->structured && s->dim > 1) return snprintf(err, len, "layers: bump[%d] = %g needs a structured mesh", i, s->bump[i]), 1;
  }
  return 0;
}

/* Cells along a length: at least one, as close to length/size as possible. */
static int Cells(double length, double size)
{
  return (int)fmax(1.0, floor(length / size + 0.5));
}

/* Transfinite distribution of a curve of the given length; curves along x inside layer i get
   that layer's bump. */
static int Transfinite(NppGmshErr *E, const NppGmshLayersSpec *s, int tag, double length, int layer)
{
  const double b    = layer >= 0 ? s->bump[layer] : 0;
  const char  *type = b > 0 && b < 1 ? "Bump" : "Progression";
  const double coef = b > 0 && b < 1 ? b : 1.0;
  /* 1D is built with the built-in kernel, whose own constraints a later synchronize applies */
  if (s->dim == 1) GMSH_TRY(E, gmshModelGeoMeshSetTransfiniteCurve(tag, Cells(length, s->size) + 1, type, coef, IERR));
  else GMSH_TRY(E, gmshModelMeshSetTransfiniteCurve(tag, Cells(length, s->size) + 1, type, coef, IERR));
  return 0;
fail:
  return 1;
}

/* The layer whose x-range holds [lo, hi], or -1. */
static int LayerOf(const NppGmshLayersSpec *s, double lo, double hi)
{
  double x = 0, tol = 1e-9;
  for (int i = 0; i < s->nlayers; i++) {
    if (lo >= x - tol && hi <= x + s->thickness[i] + tol) return i;
    x += s->thickness[i];
  }
  return -1;
}

/* Builds the slabs and returns the entity tag of each layer in tags[]. */
static int Build(NppGmshErr *E, const NppGmshLayersSpec *s, int *tags)
{
  double x = 0;
  if (s->dim == 1) {
    int p0;
    GMSH_TRY(E, p0 = gmshModelGeoAddPoint(0, 0, 0, s->size, -1, IERR));
    for (int i = 0; i < s->nlayers; i++) {
      int p1;
      x += s->thickness[i];
      GMSH_TRY(E, p1 = gmshModelGeoAddPoint(x, 0, 0, s->size, -1, IERR));
      GMSH_TRY(E, tags[i] = gmshModelGeoAddLine(p0, p1, -1, IERR));
      if (Transfinite(E, s, tags[i], s->thickness[i], i)) goto fail;
      p0 = p1;
    }
    GMSH_TRY(E, gmshModelGeoSynchronize(IERR));
    return 0;
  }
  int   *in = malloc(2 * s->nlayers * sizeof *in), *out = NULL, **map = NULL;
  size_t nout = 0, *nmap = NULL, nnmap = 0;
  for (int i = 0; i < s->nlayers; i++) {
    in[2 * i] = s->dim;
    if (s->dim == 2) GMSH_TRY(E, in[2 * i + 1] = gmshModelOccAddRectangle(x, 0, 0, s->thickness[i], s->width[0], -1, 0, IERR));
    else GMSH_TRY(E, in[2 * i + 1] = gmshModelOccAddBox(x, 0, 0, s->thickness[i], s->width[0], s->width[1], -1, IERR));
    x += s->thickness[i];
  }
  if (s->nlayers == 1) {
    GMSH_TRY(E, gmshModelOccSynchronize(IERR));
    tags[0] = in[1];
    free(in);
    return 0;
  }
  /* conformal interfaces between the slabs */
  GMSH_TRY(E, gmshModelOccFragment(in, 2, in + 2, 2 * (s->nlayers - 1), &out, &nout, &map, &nmap, &nnmap, -1, 1, 1, IERR));
  GMSH_TRY(E, gmshModelOccSynchronize(IERR));
  for (int i = 0; i < s->nlayers; i++) tags[i] = map[i][1];
  for (size_t i = 0; i < nnmap; i++) gmshFree(map[i]);
  gmshFree(map), gmshFree(nmap), gmshFree(out), free(in);
  return 0;
fail:
  return 1;
}

/* Tensor grid: every curve gets round(length/size) cells, surfaces and volumes are transfinite
   and recombined into quads/hexes. */
static int MakeStructured(NppGmshErr *E, const NppGmshLayersSpec *s)
{
  int   *dt = NULL;
  size_t n  = 0;
  GMSH_TRY(E, gmshModelGetEntities(&dt, &n, 1, IERR));
  for (size_t k = 0; k < n / 2; k++) {
    double lo[3], hi[3], len = 0;
    GMSH_TRY(E, gmshModelGetBoundingBox(1, dt[2 * k + 1], &lo[0], &lo[1], &lo[2], &hi[0], &hi[1], &hi[2], IERR));
    for (int i = 0; i < 3; i++) len = fmax(len, hi[i] - lo[i]);
    const int alongX = hi[0] - lo[0] > 0.5 * len; /* box edges are axis-aligned */
    if (Transfinite(E, s, dt[2 * k + 1], len, alongX ? LayerOf(s, lo[0], hi[0]) : -1)) goto fail;
  }
  gmshFree(dt), dt = NULL;
  GMSH_TRY(E, gmshModelGetEntities(&dt, &n, 2, IERR));
  for (size_t k = 0; k < n / 2; k++) {
    GMSH_TRY(E, gmshModelMeshSetTransfiniteSurface(dt[2 * k + 1], "Left", NULL, 0, IERR));
    GMSH_TRY(E, gmshModelMeshSetRecombine(2, dt[2 * k + 1], IERR));
  }
  gmshFree(dt), dt = NULL;
  GMSH_TRY(E, gmshModelGetEntities(&dt, &n, 3, IERR));
  for (size_t k = 0; k < n / 2; k++) GMSH_TRY(E, gmshModelMeshSetTransfiniteVolume(dt[2 * k + 1], NULL, 0, IERR));
  gmshFree(dt);
  return 0;
fail:
  if (dt) gmshFree(dt);
  return 1;
}

int NppGmshLayers(const NppGmshLayersSpec *spec, const char *path, NppGmshReport *rep, char *err, size_t errlen)
{
  NppGmshErr        E      = {err, errlen};
  NppGmshLayersSpec scaled = *spec, *s = &scaled;
  int               tags[NPP_GMSH_MAX_LAYERS], group[NPP_GMSH_MAX_LAYERS], done[NPP_GMSH_MAX_LAYERS] = {0};
  double            box[3], unit = 0;

  memset(rep, 0, sizeof *rep);
  if (Check(spec, err, errlen)) return 1;
  /* Build at unit scale (OpenCASCADE's tolerances are absolute, ~1e-7) and scale on writing. */
  for (int i = 0; i < s->nlayers; i++) unit += s->thickness[i];
  for (int i = 0; i < s->nlayers; i++) s->thickness[i] /= unit;
  s->width[0] /= unit, s->width[1] /= unit, s->size /= unit;
  box[0] = 0, box[1] = s->width[0], box[2] = s->width[1];
  if (NppGmshBegin(&E, s->verbose)) goto fail;
  if (Build(&E, s, tags)) goto fail;
  for (int i = 0; i < s->nlayers; i++) box[0] += s->thickness[i];
  /* one physical group per distinct region name */
  for (int i = 0, ngroups = 0; i < s->nlayers; i++) {
    size_t m = 0;
    if (done[i]) continue;
    for (int j = i; j < s->nlayers; j++)
      if (!strcmp(s->name[i], s->name[j])) group[m++] = tags[j], done[j] = 1;
    if (NppGmshRegion(&E, s->dim, group, m, 1 + ngroups++, s->name[i])) goto fail;
  }
  if (NppGmshBoxBoundaries(&E, s->dim, box)) goto fail;
  if (s->dim > 1) {
    if (s->structured) {
      if (MakeStructured(&E, s)) goto fail;
    } else {
      GMSH_TRY(&E, gmshOptionSetNumber("Mesh.MeshSizeMax", s->size, IERR));
      GMSH_TRY(&E, gmshOptionSetNumber("Mesh.MeshSizeMin", 0.0, IERR));
      GMSH_TRY(&E, gmshOptionSetNumber("Mesh.MeshSizeFromPoints", 0, IERR));
      GMSH_TRY(&E, gmshOptionSetNumber("Mesh.Algorithm", 5, IERR));
      GMSH_TRY(&E, gmshOptionSetNumber("Mesh.Algorithm3D", 1, IERR));
    }
  }
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.ScalingFactor", unit, IERR));
  if (NppGmshMeshAndWrite(&E, s->dim, path, &rep->ncells)) goto fail;
  NppGmshEnd();
  return 0;
fail:
  NppGmshEnd();
  return 1;
}
