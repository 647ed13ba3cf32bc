/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <petscviewerhdf5.h>
#include "mesh.h"
#include "npp_options.h"

/* npp's HDF5 mesh file: a mesh converted once (-mesh_convert) and then loaded in parallel, each
   rank reading its share of the cells, so that no rank ever holds the whole mesh.

   PETSc 3.18's own DMPlex HDF5 format keeps the labels but loads the interpolated topology on
   rank 0 alone ("Force serial load", plexhdf5.c), like the .msh reader; its XDMF-style datasets
   (/viz/topology/cells, /geometry/vertices) load in parallel but without labels. So the file is
   PETSc's XDMF-style topology and geometry, written by DMView, plus npp's labels:

     /npp_mesh                      attributes: version, dim, cells, labels, source
     /npp_mesh/label_<k>            attribute name; "cells": the label's value per cell, -1 where
                                    none (if the label holds cells); "faces": per labelled face its
                                    vertices (global numbers, sorted, -1 padded) and its value

   The conversion orders the cells along a Morton curve (LocalOrder), so that contiguous shares
   are compact regions. Loading builds the interpolated mesh from the cell list in parallel
   (DMPlexCreateFromCellListParallelPetsc: rank r gets cells [c0, c1) of the file's order), sets
   the cell labels from the rank's slice of each "cells" dataset and the face labels by matching
   each local face's sorted vertex numbers against the records, which every rank reads (they
   grow with the surfaces, not the volume), then distributes. Labels on edges and vertices are
   not kept. docs/theory.md section 5 has the measurements. */

#define NPP_MESH_H5_VERSION 1

static PetscErrorCode WriteIntAttribute(PetscViewer v, const char group[], const char name[], PetscInt value)
{
  PetscFunctionBeginUser;
  PetscCall(PetscViewerHDF5WriteAttribute(v, group, name, PETSC_INT, &value));
  PetscFunctionReturn(0);
}

/* The face's vertices as sorted global numbers (serial mesh: vertex point - vStart), padded. */
static PetscErrorCode FaceKey(DM dm, PetscInt f, PetscInt vStart, PetscInt vEnd, const PetscInt *vnum, PetscInt width, PetscInt key[])
{
  PetscInt *closure = NULL, n, m = 0;

  PetscFunctionBeginUser;
  PetscCall(DMPlexGetTransitiveClosure(dm, f, PETSC_TRUE, &n, &closure));
  for (PetscInt k = 0; k < 2 * n; k += 2)
    if (closure[k] >= vStart && closure[k] < vEnd && m < width) key[m++] = vnum ? vnum[closure[k] - vStart] : closure[k] - vStart;
  PetscCall(DMPlexRestoreTransitiveClosure(dm, f, PETSC_TRUE, &n, &closure));
  PetscCall(PetscSortInt(m, key));
  for (; m < width; m++) key[m] = -1;
  PetscFunctionReturn(0);
}

static PetscBool SkipLabel(const char name[])
{
  PetscBool depth, ct;
  PetscStrcmp(name, "depth", &depth);
  PetscStrcmp(name, "celltype", &ct);
  return (PetscBool)(depth || ct);
}

/* 21 bits of each coordinate interleaved: the cell's position on a Morton (Z-order) curve. */
static unsigned long long Morton(const PetscReal x[], PetscInt dim, const PetscReal lo[], const PetscReal hi[])
{
  unsigned long long key = 0, q[3] = {0, 0, 0};
  for (PetscInt d = 0; d < dim; d++) {
    const PetscReal t = hi[d] > lo[d] ? (x[d] - lo[d]) / (hi[d] - lo[d]) : 0;
    q[d]              = (unsigned long long)PetscMin(PetscMax(t, 0.0) * 2097151.0, 2097151.0);
  }
  for (int b = 20; b >= 0; b--)
    for (PetscInt d = 0; d < dim; d++) key = (key << 1) | ((q[d] >> b) & 1ULL);
  return key;
}

typedef struct {
  unsigned long long key;
  PetscInt           cell;
} CellKey;

static int CompareCellKey(const void *a, const void *b)
{
  const CellKey *x = (const CellKey *)a, *y = (const CellKey *)b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->cell < y->cell ? -1 : (x->cell > y->cell);
}

/* The serial mesh with its cells along a Morton curve of their centroids and its vertices in
   order of first use: the contiguous shares ranks read are then compact regions whose shared
   faces are few, which is what PETSc's parallel interpolation pays for. */
static PetscErrorCode LocalOrder(DM dm, DM *pdm)
{
  PetscInt           pStart, pEnd, cStart, cEnd, vStart, vEnd, dim, cdim, *perm, next;
  PetscReal          lo[3] = {PETSC_MAX_REAL, PETSC_MAX_REAL, PETSC_MAX_REAL}, hi[3] = {PETSC_MIN_REAL, PETSC_MIN_REAL, PETSC_MIN_REAL};
  PetscReal         *cent;
  CellKey           *keys;
  Vec                coords;
  PetscSection       cs;
  const PetscScalar *x;
  IS                 is;

  PetscFunctionBeginUser;
  PetscCall(DMGetDimension(dm, &dim));
  PetscCall(DMGetCoordinateDim(dm, &cdim));
  PetscCall(DMPlexGetChart(dm, &pStart, &pEnd));
  PetscCall(DMPlexGetHeightStratum(dm, 0, &cStart, &cEnd));
  PetscCall(DMPlexGetDepthStratum(dm, 0, &vStart, &vEnd));
  PetscCall(DMGetCoordinatesLocal(dm, &coords));
  PetscCall(DMGetCoordinateSection(dm, &cs));
  PetscCall(VecGetArrayRead(coords, &x));
  PetscCall(PetscMalloc3(3 * (cEnd - cStart), &cent, cEnd - cStart, &keys, pEnd - pStart, &perm));
  for (PetscInt c = cStart; c < cEnd; c++) {
    PetscInt  *closure = NULL, n, nv = 0;
    PetscReal *m = &cent[3 * (c - cStart)];
    m[0] = m[1] = m[2] = 0;
    PetscCall(DMPlexGetTransitiveClosure(dm, c, PETSC_TRUE, &n, &closure));
    for (PetscInt k = 0; k < 2 * n; k += 2) {
      PetscInt off;
      if (closure[k] < vStart || closure[k] >= vEnd) continue;
      PetscCall(PetscSectionGetOffset(cs, closure[k], &off));
      for (PetscInt d = 0; d < cdim && d < 3; d++) m[d] += PetscRealPart(x[off + d]);
      nv++;
    }
    PetscCall(DMPlexRestoreTransitiveClosure(dm, c, PETSC_TRUE, &n, &closure));
    for (PetscInt d = 0; d < 3; d++) {
      m[d] /= PetscMax(nv, 1);
      lo[d] = PetscMin(lo[d], m[d]), hi[d] = PetscMax(hi[d], m[d]);
    }
  }
  PetscCall(VecRestoreArrayRead(coords, &x));
  for (PetscInt c = cStart; c < cEnd; c++) keys[c - cStart].key = Morton(&cent[3 * (c - cStart)], PetscMin(cdim, 3), lo, hi), keys[c - cStart].cell = c;
  qsort(keys, (size_t)(cEnd - cStart), sizeof(CellKey), CompareCellKey);
  for (PetscInt p = pStart; p < pEnd; p++) perm[p - pStart] = -1;
  for (PetscInt k = 0; k < cEnd - cStart; k++) perm[keys[k].cell - pStart] = cStart + k;
  next = vStart; /* vertices by first use along the new cell order */
  for (PetscInt k = 0; k < cEnd - cStart; k++) {
    PetscInt *closure = NULL, n;
    PetscCall(DMPlexGetTransitiveClosure(dm, keys[k].cell, PETSC_TRUE, &n, &closure));
    for (PetscInt j = 0; j < 2 * n; j += 2)
      if (closure[j] >= vStart && closure[j] < vEnd && perm[closure[j] - pStart] < 0) perm[closure[j] - pStart] = next++;
    PetscCall(DMPlexRestoreTransitiveClosure(dm, keys[k].cell, PETSC_TRUE, &n, &closure));
  }
  for (PetscInt p = vStart; p < vEnd; p++)
    if (perm[p - pStart] < 0) perm[p - pStart] = next++; /* unused vertices keep their place at the end */
  for (PetscInt p = pStart; p < pEnd; p++)
    if (perm[p - pStart] < 0) perm[p - pStart] = p; /* faces and edges keep theirs */
  PetscCall(ISCreateGeneral(PETSC_COMM_SELF, pEnd - pStart, perm, PETSC_USE_POINTER, &is));
  PetscCall(DMPlexPermute(dm, is, pdm));
  PetscCall(ISDestroy(&is));
  PetscCall(PetscFree3(cent, keys, perm));
  PetscFunctionReturn(0);
}

/* Every rank gets rank 0's labels: the .msh reader creates them where the mesh is, and the
   writer walks the labels collectively (ranks with different label lists deadlock there). */
static PetscErrorCode ShareLabelNames(DM dm)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)dm);
  PetscMPIInt rank;
  char       *buf = NULL;
  int         len = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    PetscInt nl;
    size_t   n = 0;
    PetscCall(DMGetNumLabels(dm, &nl));
    for (PetscInt l = 0; l < nl; l++) {
      const char *name;
      size_t      m;
      PetscCall(DMGetLabelName(dm, l, &name));
      PetscCall(PetscStrlen(name, &m));
      n += m + 1;
    }
    PetscCall(PetscCalloc1(n + 1, &buf));
    for (PetscInt l = 0; l < nl; l++) {
      const char *name;
      PetscCall(DMGetLabelName(dm, l, &name));
      PetscCall(PetscStrlcat(buf, name, n + 1));
      PetscCall(PetscStrlcat(buf, "\n", n + 1));
    }
    len = (int)n;
  }
  PetscCallMPI(MPI_Bcast(&len, 1, MPI_INT, 0, comm));
  if (rank) PetscCall(PetscCalloc1(len + 1, &buf));
  PetscCallMPI(MPI_Bcast(buf, len, MPI_CHAR, 0, comm));
  for (char *name = buf, *end; name && *name; name = end + 1) {
    end  = strchr(name, '\n');
    *end = 0;
    PetscCall(DMCreateLabel(dm, name));
  }
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}

/* Writes the mesh dm, which must not be distributed yet (all cells on one rank), to path. */
PetscErrorCode NppMeshWriteH5(DM dmIn, const char path[], const char source[], const NppMeshInfo *report)
{
  MPI_Comm    comm = PetscObjectComm((PetscObject)dmIn);
  DM          dm;
  PetscViewer v;
  char        partial[PETSC_MAX_PATH_LEN];
  PetscInt    dim, cStart, cEnd, fStart, fEnd, vStart, vEnd, nl, nlabels = 0, width, ncells, local[2], total[2];
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(ShareLabelNames(dmIn));
  PetscCall(LocalOrder(dmIn, &dm));
  PetscCall(DMGetDimension(dm, &dim));
  PetscCall(DMPlexGetHeightStratum(dm, 0, &cStart, &cEnd));
  PetscCall(DMPlexGetHeightStratum(dm, 1, &fStart, &fEnd));
  PetscCall(DMPlexGetDepthStratum(dm, 0, &vStart, &vEnd));
  local[0] = cEnd - cStart, local[1] = rank ? cEnd - cStart : 0;
  PetscCall(MPIU_Allreduce(local, total, 2, MPIU_INT, MPI_SUM, comm));
  PetscCheck(total[1] == 0, comm, PETSC_ERR_ARG_WRONGSTATE, "mesh conversion needs the mesh on rank 0, before distribution");
  ncells = total[0];
  width  = dim == 3 ? 4 : 2; /* vertices of a face: triangle or quadrilateral; segment */
  {
    PetscInt       mixed = 0;
    DMPolytopeType t0    = DM_POLYTOPE_UNKNOWN, t;
    for (PetscInt c = cStart; c < cEnd; c++) {
      PetscCall(DMPlexGetCellType(dm, c, &t));
      if (c == cStart) t0 = t;
      else if (t != t0) mixed = 1;
    }
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &mixed, 1, MPIU_INT, MPI_MAX, comm));
    if (mixed) NppInputError(comm, "-mesh_convert", "the mesh mixes cell types (e.g. tetrahedra and prisms): the npp mesh file holds one; keep the .msh");
  }

  /* written as <path>.partial and renamed when complete: a killed conversion leaves no file
     that looks like a mesh */
  {
    int pid = rank ? 0 : (int)getpid();
    PetscCallMPI(MPI_Bcast(&pid, 1, MPI_INT, 0, comm)); /* one name on every rank; unique per run */
    PetscCall(PetscSNPrintf(partial, sizeof partial, "%s.partial.%d", path, pid));
  }
  { /* an unwritable place: one error, before HDF5's diagnostics */
    int err = 0;
    if (!rank) {
      FILE *f = fopen(partial, "w");
      if (!f) err = errno;
      else fclose(f);
    }
    PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
    if (err) NppInputError(comm, "-mesh_convert", "cannot write %s: %s", partial, strerror(err));
  }
  PetscCall(PetscViewerHDF5Open(comm, partial, FILE_MODE_WRITE, &v));
  PetscCall(PetscViewerPushFormat(v, PETSC_VIEWER_HDF5_XDMF));
  PetscCall(DMView(dm, v));
  PetscCall(PetscViewerPopFormat(v));
  PetscCall(PetscViewerHDF5WriteGroup(v, "/npp_mesh"));
  PetscCall(DMGetNumLabels(dm, &nl));
  for (PetscInt l = 0; l < nl; l++) {
    const char     *name;
    DMLabel         label;
    char            group[64];
    PetscInt        ncl = 0, nfl = 0, *cellValue, *faces;
    IS              values;
    PetscInt        nv;
    const PetscInt *vals;

    PetscCall(DMGetLabelName(dm, l, &name));
    if (SkipLabel(name)) continue;
    PetscCall(DMGetLabel(dm, name, &label));
    PetscCall(PetscMalloc1(cEnd - cStart, &cellValue));
    for (PetscInt c = 0; c < cEnd - cStart; c++) cellValue[c] = -1;
    PetscCall(DMLabelGetValueIS(label, &values));
    PetscCall(ISGetLocalSize(values, &nv));
    PetscCall(ISGetIndices(values, &vals));
    {
      PetscInt npts = 0; /* room for every point of the label: at least its faces */
      for (PetscInt i = 0; i < nv; i++) {
        PetscInt np;
        PetscCall(DMLabelGetStratumSize(label, vals[i], &np));
        npts += np;
      }
      PetscCall(PetscMalloc1(npts * (width + 1), &faces));
    }
    for (PetscInt i = 0; i < nv; i++) {
      IS              pts;
      const PetscInt *p;
      PetscInt        np;
      PetscCall(DMLabelGetStratumIS(label, vals[i], &pts));
      if (!pts) continue;
      PetscCall(ISGetLocalSize(pts, &np));
      PetscCall(ISGetIndices(pts, &p));
      for (PetscInt k = 0; k < np; k++) {
        if (p[k] >= cStart && p[k] < cEnd) cellValue[p[k] - cStart] = vals[i], ncl++;
        if (p[k] < fStart || p[k] >= fEnd) continue;
        PetscCall(FaceKey(dm, p[k], vStart, vEnd, NULL, width, &faces[nfl * (width + 1)]));
        faces[nfl * (width + 1) + width] = vals[i];
        nfl++;
      }
      PetscCall(ISRestoreIndices(pts, &p));
      PetscCall(ISDestroy(&pts));
    }
    PetscCall(ISRestoreIndices(values, &vals));
    PetscCall(ISDestroy(&values));
    {
      PetscInt counts[2] = {ncl, nfl}, sums[2];
      PetscCall(MPIU_Allreduce(counts, sums, 2, MPIU_INT, MPI_SUM, comm));
      ncl = sums[0], nfl = sums[1];
    }
    PetscCall(PetscSNPrintf(group, sizeof group, "/npp_mesh/label_%d", (int)nlabels));
    PetscCall(PetscViewerHDF5WriteGroup(v, group));
    PetscCall(PetscViewerHDF5WriteAttribute(v, group, "name", PETSC_STRING, name));
    PetscCall(WriteIntAttribute(v, group, "ncells", ncl));
    PetscCall(WriteIntAttribute(v, group, "nfaces", nfl));
    PetscCall(PetscViewerHDF5PushGroup(v, group));
    if (ncl) {
      IS is;
      PetscCall(ISCreateGeneral(comm, cEnd - cStart, cellValue, PETSC_USE_POINTER, &is));
      PetscCall(PetscObjectSetName((PetscObject)is, "cells"));
      PetscCall(ISView(is, v));
      PetscCall(ISDestroy(&is));
    }
    if (nfl) {
      IS is;
      PetscCall(ISCreateGeneral(comm, rank ? 0 : nfl * (width + 1), faces, PETSC_USE_POINTER, &is));
      PetscCall(ISSetBlockSize(is, width + 1));
      PetscCall(PetscObjectSetName((PetscObject)is, "faces"));
      PetscCall(ISView(is, v));
      PetscCall(ISDestroy(&is));
    }
    PetscCall(PetscViewerHDF5PopGroup(v));
    PetscCall(PetscFree(cellValue));
    PetscCall(PetscFree(faces));
    nlabels++;
  }
  PetscCall(WriteIntAttribute(v, "/npp_mesh", "version", NPP_MESH_H5_VERSION));
  PetscCall(WriteIntAttribute(v, "/npp_mesh", "dim", dim));
  PetscCall(WriteIntAttribute(v, "/npp_mesh", "cells", ncells));
  PetscCall(WriteIntAttribute(v, "/npp_mesh", "labels", nlabels));
  PetscCall(WriteIntAttribute(v, "/npp_mesh", "face_width", width));
  PetscCall(PetscViewerHDF5WriteAttribute(v, "/npp_mesh", "source", PETSC_STRING, source));
  if (report) { /* what the generator reported, for runs that load the mesh instead of making it */
    PetscCall(WriteIntAttribute(v, "/npp_mesh", "objects_count", report->nparticles));
    PetscCall(WriteIntAttribute(v, "/npp_mesh", "solid_spans", report->solidSpans));
    PetscCall(WriteIntAttribute(v, "/npp_mesh", "pore_spans", report->poreSpans));
    PetscCall(PetscViewerHDF5WriteAttribute(v, "/npp_mesh", "objects_fraction", PETSC_REAL, &report->particle_fraction));
    PetscCall(PetscViewerHDF5WriteAttribute(v, "/npp_mesh", "shell_fraction", PETSC_REAL, &report->shellFraction));
    PetscCall(PetscViewerHDF5WriteAttribute(v, "/npp_mesh", "interface_measure", PETSC_REAL, &report->interfaceMeasure));
    PetscCall(PetscViewerHDF5WriteAttribute(v, "/npp_mesh", "objects", PETSC_STRING, report->objects));
  }
  PetscCall(PetscViewerDestroy(&v));
  PetscCall(DMDestroy(&dm));
  {
    int err = 0;
    if (!rank && rename(partial, path)) err = errno;
    PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
    if (err) NppInputError(comm, "-mesh_convert", "cannot rename %s to %s: %s", partial, path, strerror(err));
  }
  PetscFunctionReturn(0);
}

/* 3-D cell lists in the file follow XDMF/VTK vertex order; DMPlex's differs for these types
   (as PETSc's own XDMF loader does, plexhdf5xdmf.c). */
static PetscErrorCode InvertCells(PetscInt dim, PetscInt ncells, PetscInt corners, PetscInt cells[])
{
  PetscFunctionBeginUser;
  if (dim != 3) PetscFunctionReturn(0);
  for (PetscInt c = 0; c < ncells; c++) {
    switch (corners) {
    case 4:
      PetscCall(DMPlexInvertCell(DM_POLYTOPE_TETRAHEDRON, &cells[c * corners]));
      break;
    case 6:
      PetscCall(DMPlexInvertCell(DM_POLYTOPE_TRI_PRISM, &cells[c * corners]));
      break;
    case 8:
      PetscCall(DMPlexInvertCell(DM_POLYTOPE_HEXAHEDRON, &cells[c * corners]));
      break;
    }
  }
  PetscFunctionReturn(0);
}

/* A labelled face: its sorted vertex numbers (-1 padded to 4) and the label's value. */
typedef struct {
  PetscInt key[4], value;
} FaceRecord;

static int CompareRecord(const void *a, const void *b)
{
  const FaceRecord *x = (const FaceRecord *)a, *y = (const FaceRecord *)b;
  for (int k = 0; k < 4; k++)
    if (x->key[k] != y->key[k]) return x->key[k] < y->key[k] ? -1 : 1;
  return 0;
}

/* Every rank's copy of a label's face records, sorted by vertices. */
static PetscErrorCode ReadFaceRecords(PetscViewer v, PetscInt width, PetscInt *n, FaceRecord **rec)
{
  MPI_Comm        comm = PetscObjectComm((PetscObject)v);
  IS              is, all;
  const PetscInt *a;
  PetscInt        len;

  PetscFunctionBeginUser;
  PetscCall(ISCreate(comm, &is));
  PetscCall(PetscObjectSetName((PetscObject)is, "faces"));
  PetscCall(ISLoad(is, v));
  PetscCall(ISAllGather(is, &all));
  PetscCall(ISGetLocalSize(all, &len));
  PetscCall(ISGetIndices(all, &a));
  *n = len / (width + 1);
  PetscCall(PetscMalloc1(*n, rec));
  for (PetscInt r = 0; r < *n; r++) {
    for (PetscInt k = 0; k < 4; k++) (*rec)[r].key[k] = k < width ? a[r * (width + 1) + k] : -1;
    (*rec)[r].value = a[r * (width + 1) + width];
  }
  PetscCall(ISRestoreIndices(all, &a));
  PetscCall(ISDestroy(&all));
  PetscCall(ISDestroy(&is));
  qsort(*rec, (size_t)*n, sizeof(FaceRecord), CompareRecord);
  PetscFunctionReturn(0);
}

/* Loads an npp HDF5 mesh file in parallel: each rank reads an equal share of the cells (in the
   file's order, which the conversion made local: a Morton curve) and builds them with their
   faces, then sets the labels (faces matched by their file vertex numbers). The caller
   distributes it (the partitioner rebalances it and adds the overlap). */
PetscErrorCode NppMeshLoadH5(MPI_Comm comm, const char path[], DM *dm, NppMeshInfo *report)
{
  PetscViewer v;
  IS          cellIS;
  Vec         coords;
  PetscInt    version = 0, dim, corners, ncells, nvertLocal, nvert, spaceDim, nlabels, width, *cells, *vnum, fStart, fEnd, vStart, vEnd;
  PetscBool   has;
  FaceRecord *keys;

  PetscFunctionBeginUser;
  { /* a damaged or foreign file: one clear error instead of HDF5's diagnostics */
    PetscMPIInt rank;
    int         state = 0; /* 0 unreadable, 1 HDF5 but not an npp mesh, 2 fine */
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    if (!rank) {
      H5E_auto2_t report;
      void       *data;
      hid_t       f;
      H5Eget_auto2(H5E_DEFAULT, &report, &data);
      H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
      f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
      if (f >= 0) {
        state = H5Lexists(f, "npp_mesh", H5P_DEFAULT) > 0 && H5Lexists(f, "viz", H5P_DEFAULT) > 0 && H5Lexists(f, "geometry", H5P_DEFAULT) > 0 ? 2 : 1;
        H5Fclose(f);
      }
      H5Eset_auto2(H5E_DEFAULT, report, data);
    }
    PetscCallMPI(MPI_Bcast(&state, 1, MPI_INT, 0, comm));
    if (state == 0) NppInputError(comm, "-mesh_file", "%s: not a readable HDF5 file (truncated or damaged?)", path);
    if (state == 1) NppInputError(comm, "-mesh_file", "%s is not an npp mesh file (make one with -mesh_convert)", path);
  }
  PetscCall(PetscViewerHDF5Open(comm, path, FILE_MODE_READ, &v));
  PetscCall(PetscViewerHDF5HasAttribute(v, "/npp_mesh", "version", &has));
  if (!has) NppInputError(comm, "-mesh_file", "%s is not an npp mesh file (make one with -mesh_convert)", path);
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "version", PETSC_INT, NULL, &version));
  if (version != NPP_MESH_H5_VERSION) NppInputError(comm, "-mesh_file", "%s: npp mesh file version %d, this npp reads version %d", path, (int)version, NPP_MESH_H5_VERSION);
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "dim", PETSC_INT, NULL, &dim));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "labels", PETSC_INT, NULL, &nlabels));
  PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "face_width", PETSC_INT, NULL, &width));
  PetscCall(PetscViewerHDF5HasAttribute(v, "/npp_mesh", "objects", &has));
  if (report && has) {
    char *str = NULL;
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "objects_count", PETSC_INT, NULL, &report->nparticles));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "solid_spans", PETSC_INT, NULL, &report->solidSpans));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "pore_spans", PETSC_INT, NULL, &report->poreSpans));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "objects_fraction", PETSC_REAL, NULL, &report->particle_fraction));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "shell_fraction", PETSC_REAL, NULL, &report->shellFraction));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "interface_measure", PETSC_REAL, NULL, &report->interfaceMeasure));
    PetscCall(PetscViewerHDF5ReadAttribute(v, "/npp_mesh", "objects", PETSC_STRING, NULL, &str));
    PetscCall(PetscStrncpy(report->objects, str, sizeof report->objects));
    PetscCall(PetscFree(str));
  }

  /* topology and geometry: the default layouts split cells and vertices evenly */
  PetscCall(PetscViewerHDF5PushGroup(v, "/viz/topology"));
  PetscCall(ISCreate(comm, &cellIS));
  PetscCall(PetscObjectSetName((PetscObject)cellIS, "cells"));
  PetscCall(ISLoad(cellIS, v));
  PetscCall(PetscViewerHDF5PopGroup(v));
  PetscCall(ISGetBlockSize(cellIS, &corners));
  PetscCall(ISGetLocalSize(cellIS, &ncells));
  {
    const PetscInt *a;
    PetscCall(PetscMalloc1(ncells, &cells));
    PetscCall(ISGetIndices(cellIS, &a));
    PetscCall(PetscArraycpy(cells, a, ncells));
    PetscCall(ISRestoreIndices(cellIS, &a));
  }
  ncells /= corners;
  PetscCall(InvertCells(dim, ncells, corners, cells));
  PetscCall(PetscViewerHDF5PushGroup(v, "/geometry"));
  PetscCall(VecCreate(comm, &coords));
  PetscCall(PetscObjectSetName((PetscObject)coords, "vertices"));
  PetscCall(VecLoad(coords, v));
  PetscCall(PetscViewerHDF5PopGroup(v));
  PetscCall(VecGetBlockSize(coords, &spaceDim));
  PetscCall(VecGetLocalSize(coords, &nvertLocal));
  PetscCall(VecGetSize(coords, &nvert));
  PetscCall(PetscInfo(NULL, "npp mesh %s: %d cells of %d corners, %d of %d vertices (dim %d) on this rank\n", path, (int)ncells, (int)corners, (int)(nvertLocal / spaceDim), (int)(nvert / spaceDim), (int)spaceDim));
  {
    const PetscScalar *x;
    /* PETSc 3.18 fills the caller's array with the local vertices' global numbers */
    PetscCall(PetscMalloc1(PetscMax(ncells * corners, 1), &vnum));
    PetscCall(VecGetArrayRead(coords, &x));
    PetscCall(DMPlexCreateFromCellListParallelPetsc(comm, dim, ncells, nvertLocal / spaceDim, nvert / spaceDim, corners, PETSC_TRUE, cells, spaceDim, (const PetscReal *)x, NULL, &vnum, dm));
    PetscCall(VecRestoreArrayRead(coords, &x));
  }
  PetscCall(PetscFree(cells));
  PetscCall(VecDestroy(&coords));

  /* each local face's sorted file vertex numbers: the key of the face labels' records */
  PetscCall(DMPlexGetHeightStratum(*dm, 1, &fStart, &fEnd));
  PetscCall(DMPlexGetDepthStratum(*dm, 0, &vStart, &vEnd));
  PetscCall(PetscMalloc1(fEnd - fStart, &keys));
  for (PetscInt f = fStart; f < fEnd; f++) {
    PetscCall(FaceKey(*dm, f, vStart, vEnd, vnum, width, keys[f - fStart].key));
    for (PetscInt k = width; k < 4; k++) keys[f - fStart].key[k] = -1;
  }
  PetscCall(PetscFree(vnum));
  for (PetscInt l = 0; l < nlabels; l++) {
    char     group[64], name[256], *str = NULL;
    PetscInt ncl, nfl;
    PetscCall(PetscSNPrintf(group, sizeof group, "/npp_mesh/label_%d", (int)l));
    PetscCall(PetscViewerHDF5ReadAttribute(v, group, "name", PETSC_STRING, NULL, &str));
    PetscCall(PetscStrncpy(name, str, sizeof name));
    PetscCall(PetscFree(str));
    PetscCall(PetscViewerHDF5ReadAttribute(v, group, "ncells", PETSC_INT, NULL, &ncl));
    PetscCall(PetscViewerHDF5ReadAttribute(v, group, "nfaces", PETSC_INT, NULL, &nfl));
    PetscCall(DMCreateLabel(*dm, name));
    PetscCall(PetscViewerHDF5PushGroup(v, group));
    if (ncl) { /* this rank's slice, in the layout of the cells */
      IS              is;
      PetscLayout     map;
      const PetscInt *ia;
      PetscCall(ISCreate(comm, &is));
      PetscCall(PetscObjectSetName((PetscObject)is, "cells"));
      PetscCall(PetscLayoutCreateFromSizes(comm, ncells, PETSC_DECIDE, 1, &map));
      PetscCall(ISSetLayout(is, map));
      PetscCall(PetscLayoutDestroy(&map));
      PetscCall(ISLoad(is, v));
      PetscCall(ISGetIndices(is, &ia));
      for (PetscInt c = 0; c < ncells; c++)
        if (ia[c] >= 0) PetscCall(DMSetLabelValue(*dm, name, c, ia[c]));
      PetscCall(ISRestoreIndices(is, &ia));
      PetscCall(ISDestroy(&is));
    }
    if (nfl) {
      PetscInt    n   = 0;
      FaceRecord *rec = NULL;
      PetscCall(ReadFaceRecords(v, width, &n, &rec));
      for (PetscInt f = fStart; f < fEnd; f++) {
        const FaceRecord *hit = (const FaceRecord *)bsearch(&keys[f - fStart], rec, (size_t)n, sizeof(FaceRecord), CompareRecord);
        if (hit) PetscCall(DMSetLabelValue(*dm, name, f, hit->value));
      }
      PetscCall(PetscFree(rec));
    }
    PetscCall(PetscViewerHDF5PopGroup(v));
  }
  PetscCall(PetscFree(keys));
  PetscCall(ISDestroy(&cellIS));
  PetscCall(PetscViewerDestroy(&v));
  PetscFunctionReturn(0);
}
