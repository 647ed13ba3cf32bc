/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE /* fileno, fsync, memmem */
#include "gmsh_common.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void NppGmshFailed(NppGmshErr *E, const char *what)
{
  char *last = NULL;
  int   ierr = 0;
  gmshLoggerGetLastError(&last, &ierr);
  snprintf(E->err, E->len, "Gmsh failed in %.80s%s%.200s", what, last && last[0] ? ": " : "", last ? last : "");
  if (last) gmshFree(last);
}

/* Gmsh writes without checking its writes: on a full disk it leaves a truncated file and reports
   success. The file must be on the disk (fsync) and end with a section end ("$End..."). */
static int MeshFileComplete(NppGmshErr *E, const char *path)
{
  char  tail[64] = "";
  FILE *f        = fopen(path, "rb");
  int   ok       = 0;
  if (f) {
    long n = 0;
    if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, n > 48 ? n - 48 : 0, SEEK_SET)) {
      size_t r = fread(tail, 1, sizeof tail - 1, f);
      tail[r]  = 0;
      ok       = memmem(tail, r, "$End", 4) != NULL && !fsync(fileno(f)); /* binary: NUL bytes before it */
    }
    fclose(f);
  }
  if (!ok) snprintf(E->err, E->len, "cannot write the mesh %.200s: the file is incomplete (is the disk full?)", path);
  return !ok;
}

static const char *CellTypeName(int type)
{
  switch (type) {
  case 1:
    return "lines";
  case 2:
    return "triangles";
  case 3:
    return "quadrangles";
  case 4:
    return "tetrahedra";
  case 5:
    return "hexahedra";
  case 6:
    return "prisms";
  case 7:
    return "pyramids";
  default:
    return "higher-order elements";
  }
}

int NppGmshCheckFile(NppGmshErr *E, const char *path)
{
  int     *types = NULL, dim = 0, ierr_ = 0, bad = 0;
  size_t   ntypes = 0, *nodeTags = NULL, nnodes = 0, maxTag = 0;
  double  *coord = NULL, *param = NULL;
  size_t   ncoord = 0, nparam = 0;
  uint8_t *known = NULL;

  GMSH_TRY(E, gmshInitialize(0, NULL, 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("General.Terminal", 0, IERR));
  gmshOpen(path, &ierr_);
  if (ierr_) {
    NppGmshFailed(E, "reading it");
    goto fail;
  }
  GMSH_TRY(E, dim = gmshModelGetDimension(IERR));
  GMSH_TRY(E, gmshModelMeshGetElementTypes(&types, &ntypes, dim, -1, IERR));
  if (dim < 1 || ntypes == 0) {
    snprintf(E->err, E->len, "no cells: an empty or truncated mesh");
    goto fail;
  }
  if (ntypes > 1) {
    snprintf(E->err, E->len, "its %d-D cells mix %s and %s: npp needs one cell type per mesh", dim, CellTypeName(types[0]), CellTypeName(types[1]));
    goto fail;
  }
  GMSH_TRY(E, gmshModelMeshGetNodes(&nodeTags, &nnodes, &coord, &ncoord, &param, &nparam, -1, -1, 0, 0, IERR));
  for (size_t i = 0; i < nnodes; i++) maxTag = nodeTags[i] > maxTag ? nodeTags[i] : maxTag;
  if (!(known = calloc(maxTag + 1, 1))) {
    snprintf(E->err, E->len, "out of memory");
    goto fail;
  }
  for (size_t i = 0; i < nnodes; i++) known[nodeTags[i]] = 1;
  for (int d = 0; d <= dim && !bad; d++) {
    int   *ty = NULL;
    size_t nt = 0;
    GMSH_TRY(E, gmshModelMeshGetElementTypes(&ty, &nt, d, -1, IERR));
    for (size_t t = 0; t < nt && !bad; t++) {
      size_t *elems = NULL, ne = 0, *nodes = NULL, nn = 0;
      gmshModelMeshGetElementsByType(ty[t], &elems, &ne, &nodes, &nn, -1, 0, 1, &ierr_);
      for (size_t k = 0; !ierr_ && k < nn && !bad; k++)
        if (nodes[k] > maxTag || !known[nodes[k]]) {
          snprintf(E->err, E->len, "an element (%s) names node %zu, which the file does not define", CellTypeName(ty[t]), nodes[k]);
          bad = 1;
        }
      gmshFree(elems);
      gmshFree(nodes);
    }
    gmshFree(ty);
  }
  if (bad) goto fail;
  free(known);
  gmshFree(nodeTags);
  gmshFree(coord);
  gmshFree(param);
  gmshFree(types);
  gmshFinalize(&ierr_);
  return 0;
fail:
  free(known);
  if (nodeTags) gmshFree(nodeTags);
  if (coord) gmshFree(coord);
  if (param) gmshFree(param);
  if (types) gmshFree(types);
  gmshFinalize(&ierr_);
  return 1;
}

double NppGmshUniform(uint64_t *state)
{
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z          = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z          = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (z >> 11) * 0x1.0p-53;
}

int NppGmshBegin(NppGmshErr *E, int verbose)
{
  GMSH_TRY(E, gmshInitialize(0, NULL, 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("General.Terminal", verbose ? 1 : 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("General.Verbosity", verbose ? 5 : 1, IERR));
  GMSH_TRY(E, gmshModelAdd("npp", IERR));
  return 0;
fail:
  return 1;
}

void NppGmshEnd(void)
{
  int ierr = 0;
  gmshFinalize(&ierr);
}

int NppGmshRegion(NppGmshErr *E, int dim, int *tags, size_t n, int tag, const char *name)
{
  GMSH_TRY(E, gmshModelAddPhysicalGroup(dim, tags, n, tag, IERR));
  GMSH_TRY(E, gmshModelSetPhysicalName(dim, tag, name, IERR));
  return 0;
fail:
  return 1;
}

int NppGmshBoxBoundaries(NppGmshErr *E, int dim, const double box[3])
{
  static const char *names[6] = {"xmin", "xmax", "ymin", "ymax", "zmin", "zmax"};
  int               *dimTags = NULL, *group = NULL, rc = 1;
  size_t             n   = 0;
  double             tol = 0;

  for (int i = 0; i < dim; i++) tol = fmax(tol, box[i]);
  tol *= 1e-5; /* OpenCASCADE enlarges bounding boxes by its tolerance, ~1e-7 */
  GMSH_TRY(E, gmshModelGetEntities(&dimTags, &n, dim - 1, IERR));
  group = malloc((n / 2 + 1) * sizeof *group);
  for (int face = 0; face < 2 * dim; face++) {
    const int    axis  = face / 2;
    const double plane = face % 2 ? box[axis] : 0.0;
    size_t       m     = 0;
    for (size_t k = 0; k < n / 2; k++) {
      double lo[3], hi[3];
      GMSH_TRY(E, gmshModelGetBoundingBox(dimTags[2 * k], dimTags[2 * k + 1], &lo[0], &lo[1], &lo[2], &hi[0], &hi[1], &hi[2], IERR));
      if (fabs(lo[axis] - plane) < tol && fabs(hi[axis] - plane) < tol) group[m++] = dimTags[2 * k + 1];
    }
    if (m && NppGmshRegion(E, dim - 1, group, m, 1001 + face, names[face])) goto fail;
  }
  rc = 0;
fail:
  free(group);
  if (dimTags) gmshFree(dimTags);
  return rc;
}

int NppGmshMeshAndWrite(NppGmshErr *E, int dim, const char *path, long *ncells)
{
  int   *types  = NULL;
  size_t ntypes = 0;

  GMSH_TRY(E, gmshOptionSetNumber("Mesh.SaveAll", 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MshFileVersion", 4.1, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.Binary", 1, IERR));
  /* Remove the slivers of 3D Delaunay: they spoil orthogonality and the gradient correction. */
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.Optimize", 1, IERR));
  GMSH_TRY(E, gmshModelMeshGenerate(dim, IERR));
  *ncells = 0;
  GMSH_TRY(E, gmshModelMeshGetElementTypes(&types, &ntypes, dim, -1, IERR));
  for (size_t t = 0; t < ntypes; t++) {
    size_t *elems = NULL, nelems = 0, *nodes = NULL, nnodes = 0;
    GMSH_TRY(E, gmshModelMeshGetElementsByType(types[t], &elems, &nelems, &nodes, &nnodes, -1, 0, 1, IERR));
    *ncells += (long)nelems;
    gmshFree(elems);
    gmshFree(nodes);
  }
  gmshFree(types);
  types = NULL;
  if (*ncells == 0) {
    snprintf(E->err, E->len, "Gmsh produced no cells (is the size much larger than the domain?)");
    return 1;
  }
  GMSH_TRY(E, gmshWrite(path, IERR));
  return MeshFileComplete(E, path);
fail:
  if (types) gmshFree(types);
  return 1;
}

int NppGmshDistanceThreshold(NppGmshErr *E, int dim, double *entities, size_t n, int sampling, double sizeMin, double sizeMax, double distMax, int *field)
{
  int dist, thr, ierr_ = 0;

  GMSH_TRY(E, dist = gmshModelMeshFieldAdd("Distance", -1, IERR));
  /* Gmsh 4.8 names the lists FacesList/EdgesList and the sampling NNodesByEdge; later versions
     SurfacesList/CurvesList and Sampling */
  gmshModelMeshFieldSetNumbers(dist, dim == 3 ? "FacesList" : "EdgesList", entities, n, &ierr_);
  if (ierr_) GMSH_TRY(E, gmshModelMeshFieldSetNumbers(dist, dim == 3 ? "SurfacesList" : "CurvesList", entities, n, IERR));
  if (sampling > 0) {
    gmshModelMeshFieldSetNumber(dist, "NNodesByEdge", sampling, &ierr_);
    if (ierr_) gmshModelMeshFieldSetNumber(dist, "Sampling", sampling, &ierr_);
  }
  GMSH_TRY(E, thr = gmshModelMeshFieldAdd("Threshold", -1, IERR));
  gmshModelMeshFieldSetNumber(thr, "IField", dist, &ierr_);
  if (ierr_) GMSH_TRY(E, gmshModelMeshFieldSetNumber(thr, "InField", dist, IERR));
  gmshModelMeshFieldSetNumber(thr, "LcMin", sizeMin, &ierr_);
  if (ierr_) GMSH_TRY(E, gmshModelMeshFieldSetNumber(thr, "SizeMin", sizeMin, IERR));
  gmshModelMeshFieldSetNumber(thr, "LcMax", sizeMax, &ierr_);
  if (ierr_) GMSH_TRY(E, gmshModelMeshFieldSetNumber(thr, "SizeMax", sizeMax, IERR));
  GMSH_TRY(E, gmshModelMeshFieldSetNumber(thr, "DistMin", 0.0, IERR));
  GMSH_TRY(E, gmshModelMeshFieldSetNumber(thr, "DistMax", distMax, IERR));
  *field = thr;
  return 0;
fail:
  return 1;
}

int NppGmshBackgroundField(NppGmshErr *E, int field, double sizeMax)
{
  GMSH_TRY(E, gmshModelMeshFieldSetAsBackgroundMesh(field, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeMax", sizeMax, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeExtendFromBoundary", 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeFromPoints", 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeFromCurvature", 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.LcIntegrationPrecision", 1e-4, IERR)); /* default 1e-9: slow with many size fields (measured in the anode generator) */
  return 0;
fail:
  return 1;
}
