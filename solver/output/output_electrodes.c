/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "xml.h"
#include <petscviewerhdf5.h>

/* Electrode surfaces for ParaView: each electrode's faces as a surface mesh of its own
   (/electrodes/<b>/vertices, /electrodes/<b>/cells in the mesh file, solution.h5; every face carries its own
   copies of its vertices, so no global vertex numbering is needed) with face data per step
   (/step_<k>/electrode_<b>_<field> in solution_<k>.h5), described by electrode_<b>.xmf. */

static const char *const FaceFields[] = {"current_density", "overpotential", "concentration"};
#define NFIELDS 3

/* Vertices per face and XDMF topology of the faces of a dim-D mesh; 3-D faces are triangles or
   quadrilaterals, whichever the first face is (a mesh mixing them is not supported here). */
static PetscErrorCode FaceShape(MPI_Comm comm, const NppDisc *disc, PetscInt *nodes, const char **topo)
{
  NppFVGeom g = disc->geom;
  PetscInt  n = 0, vStart, vEnd;

  PetscFunctionBeginUser;
  PetscCall(DMPlexGetDepthStratum(disc->dm, 0, &vStart, &vEnd));
  if (g->nfaces) {
    PetscInt *cl = NULL, ncl;
    PetscCall(DMPlexGetTransitiveClosure(disc->dm, g->fStart, PETSC_TRUE, &ncl, &cl));
    for (PetscInt i = 0; i < ncl; i++) n += cl[2 * i] >= vStart && cl[2 * i] < vEnd;
    PetscCall(DMPlexRestoreTransitiveClosure(disc->dm, g->fStart, PETSC_TRUE, &ncl, &cl));
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &n, 1, MPIU_INT, MPI_MAX, comm));
  *nodes = n;
  *topo  = n == 1 ? "Polyvertex" : n == 2 ? "Polyline" : n == 3 ? "Triangle" : "Quadrilateral";
  PetscFunctionReturn(0);
}

/* The face meshes, once, after the volume mesh. */
PetscErrorCode NppElectrodeOutputOpen(MPI_Comm comm, const NppModel *model, const NppDisc *disc, NppOutput *out)
{
  PetscInt           nodes, vStart, vEnd, cdim;
  const char        *topo;
  Vec                coords;
  PetscSection       cs;
  const PetscScalar *xc;

  PetscFunctionBeginUser;
  PetscCall(FaceShape(comm, disc, &nodes, &topo));
  PetscCall(DMPlexGetDepthStratum(disc->dm, 0, &vStart, &vEnd));
  PetscCall(DMGetCoordinatesLocal(disc->dm, &coords));
  PetscCall(DMGetCoordinateSection(disc->dm, &cs));
  PetscCall(DMGetCoordinateDim(disc->dm, &cdim));
  PetscCall(VecGetArrayRead(coords, &xc));
  for (PetscInt b = 0; b < model->nbc; b++) {
    const PetscInt n = model->bc[b].nfaces, *faces = model->bc[b].faces; /* this rank's */
    PetscInt      *cells, start;
    PetscReal     *xyz;
    Vec            v;
    IS             is;
    char           group[NPP_NAME_LEN + 32];
    if (!model->bc[b].electrode) continue;
    PetscCall(PetscCalloc2(3 * nodes * n + 1, &xyz, nodes * n + 1, &cells));
    PetscCallMPI(MPI_Scan(&n, &start, 1, MPIU_INT, MPI_SUM, comm));
    start -= n;
    for (PetscInt k = 0; k < n; k++) {
      PetscInt *cl = NULL, ncl, m = 0;
      PetscCall(DMPlexGetTransitiveClosure(disc->dm, disc->geom->fStart + faces[k], PETSC_TRUE, &ncl, &cl));
      for (PetscInt i = 0; i < ncl && m < nodes; i++) {
        const PetscInt p = cl[2 * i];
        PetscInt       off;
        if (p < vStart || p >= vEnd) continue;
        PetscCall(PetscSectionGetOffset(cs, p, &off));
        for (PetscInt d = 0; d < cdim; d++) xyz[3 * (nodes * k + m) + d] = PetscRealPart(xc[off + d]);
        cells[nodes * k + m] = nodes * (start + k) + m;
        m++;
      }
      PetscCall(DMPlexRestoreTransitiveClosure(disc->dm, disc->geom->fStart + faces[k], PETSC_TRUE, &ncl, &cl));
      PetscCheck(m == nodes, PETSC_COMM_SELF, PETSC_ERR_SUP, "electrode '%s': a face with %d vertices among faces with %d (mixed face shapes are not written)", model->bc[b].name, (int)m, (int)nodes);
    }
    PetscCall(PetscSNPrintf(group, sizeof group, "/electrodes/%s", model->bc[b].name));
    PetscCall(PetscViewerHDF5PushGroup(out->h5, group));
    PetscCall(VecCreateMPIWithArray(comm, 3, 3 * nodes * n, PETSC_DECIDE, xyz, &v));
    PetscCall(PetscObjectSetName((PetscObject)v, "vertices"));
    PetscCall(VecView(v, out->h5));
    PetscCall(VecDestroy(&v));
    PetscCall(ISCreateGeneral(comm, nodes * n, cells, PETSC_USE_POINTER, &is));
    PetscCall(ISSetBlockSize(is, nodes));
    PetscCall(PetscObjectSetName((PetscObject)is, "cells"));
    PetscCall(ISView(is, out->h5));
    PetscCall(ISDestroy(&is));
    PetscCall(PetscViewerHDF5PopGroup(out->h5));
    PetscCall(PetscFree2(xyz, cells));
  }
  PetscCall(VecRestoreArrayRead(coords, &xc));
  PetscFunctionReturn(0);
}

/* Face data of the last evaluation into the open step group: i (A/m^2, anodic positive), the
   kinetic overpotential (V) and the electrode species' concentration next to the face. */
PetscErrorCode NppElectrodeOutputStep(MPI_Comm comm, const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, NppOutput *out)
{
  PetscFunctionBeginUser;
  for (PetscInt b = 0; b < model->nbc; b++) {
    const PetscInt n = model->bc[b].nfaces, *faces = model->bc[b].faces;
    PetscReal     *val;
    if (!model->bc[b].electrode) continue;
    PetscCall(PetscMalloc1(NFIELDS * n + 1, &val));
    for (PetscInt k = 0; k < n; k++) {
      const PetscInt f = faces[k];
      val[k]           = ev->faceCurrent[f];
      val[n + k]       = ev->faceEta[f];
      val[2 * n + k]   = NppEvalConcentration(ev, model->bc[b].electrodeSpecies)[disc->geom->faces[f].K] * model->phys.cref;
    }
    for (PetscInt j = 0; j < NFIELDS; j++) {
      Vec  v;
      char name[NPP_NAME_LEN + 48];
      PetscCall(PetscSNPrintf(name, sizeof name, "electrode_%s_%s", model->bc[b].name, FaceFields[j]));
      PetscCall(VecCreateMPIWithArray(comm, 1, n, PETSC_DECIDE, val + j * n, &v));
      PetscCall(PetscObjectSetName((PetscObject)v, name));
      PetscCall(VecView(v, out->h5));
      PetscCall(VecDestroy(&v));
    }
    PetscCall(PetscFree(val));
  }
  PetscFunctionReturn(0);
}

/* electrode_<b>.xmf.partial for every electrode: a temporal collection of its face mesh. */
PetscErrorCode NppElectrodeOutputXDMF(MPI_Comm comm, const NppModel *model, const NppDisc *disc, const NppOutput *out)
{
  PetscInt    nodes;
  const char *topo;

  PetscFunctionBeginUser;
  PetscCall(FaceShape(comm, disc, &nodes, &topo));
  for (PetscInt b = 0; b < model->nbc; b++) {
    PetscInt N;
    FILE    *fp;
    char     path[PETSC_MAX_PATH_LEN], bn[NPP_XML_ESCAPED_LEN(NPP_NAME_LEN)]; /* the name as XML text */
    if (!model->bc[b].electrode) continue;
    PetscCall(MPIU_Allreduce(&model->bc[b].nfaces, &N, 1, MPIU_INT, MPI_SUM, comm)); /* faces over all ranks */
    PetscCall(NppXMLEscape(model->bc[b].name, bn, sizeof bn));
    PetscCall(PetscSNPrintf(path, sizeof path, "%s/electrode_%s.xmf.partial", out->outdir, model->bc[b].name));
    PetscCall(PetscFOpen(comm, path, "w", &fp));
    PetscCall(PetscFPrintf(comm, fp, "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"2.0\">\n <Domain>\n  <Grid Name=\"electrode_%s\" GridType=\"Collection\" CollectionType=\"Temporal\">\n", bn));
    for (PetscInt k = 0; k < out->nwritten; k++) {
      char h5name[64], stepName[64];
      PetscCall(NppOutputMeshFile(out, k, h5name, sizeof h5name));
      PetscCall(NppOutputStepFile(k, stepName, sizeof stepName));
      PetscCall(PetscFPrintf(comm, fp, "   <Grid Name=\"step_%06d\" GridType=\"Uniform\">\n    <Time Value=\"%.17g\"/>\n", (int)k, (double)out->written[k]));
      PetscCall(PetscFPrintf(comm, fp, "    <Topology TopologyType=\"%s\" NumberOfElements=\"%d\" NodesPerElement=\"%d\">\n     <DataItem Dimensions=\"%d %d\" NumberType=\"Int\" Format=\"HDF\">%s:/electrodes/%s/cells</DataItem>\n    </Topology>\n", topo, (int)N, (int)nodes, (int)N, (int)nodes, h5name, bn));
      PetscCall(PetscFPrintf(comm, fp, "    <Geometry GeometryType=\"XYZ\">\n     <DataItem Dimensions=\"%d 3\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/electrodes/%s/vertices</DataItem>\n    </Geometry>\n", (int)(N * nodes), h5name, bn));
      for (PetscInt j = 0; j < NFIELDS; j++)
        PetscCall(PetscFPrintf(comm, fp, "    <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Cell\">\n     <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/step_%06d/electrode_%s_%s</DataItem>\n    </Attribute>\n", FaceFields[j], (int)N, stepName, (int)k, bn, FaceFields[j]));
      PetscCall(PetscFPrintf(comm, fp, "   </Grid>\n"));
    }
    PetscCall(PetscFPrintf(comm, fp, "  </Grid>\n </Domain>\n</Xdmf>\n"));
    PetscCall(NppFileClose(comm, fp, path));
  }
  PetscFunctionReturn(0);
}
