#include "npp.h"
#include <petscviewerhdf5.h>
#include <unistd.h>

/* Results are written under temporary names and renamed once complete, so that a failed run
   never leaves a half-written file that looks like a result. */

typedef struct {
  const char *name;
  PetscInt    bs;
  PetscReal  *val; /* [bs * nowned] */
} CellField;

static PetscErrorCode WriteCellField(Npp npp, PetscViewer v, const CellField *cf)
{
  Vec w;

  PetscFunctionBeginUser;
  PetscCall(VecCreateMPIWithArray(npp->comm, cf->bs, cf->bs * npp->geom->nowned, PETSC_DECIDE, cf->val, &w));
  PetscCall(PetscObjectSetName((PetscObject)w, cf->name));
  PetscCall(VecView(w, v));
  PetscCall(VecDestroy(&w));
  PetscFunctionReturn(0);
}

/* Per-cell current density from the face fluxes: j_K = (1/V_K) sum_f q_f (x_f - x_K),
   exact for a uniform current (divergence theorem). */
static PetscErrorCode CurrentDensity(Npp npp, const PetscReal q[], PetscReal j[])
{
  NppFVGeom g = npp->geom;

  PetscFunctionBeginUser;
  PetscCall(PetscArrayzero(j, 3 * g->nowned));
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace *fc = &g->faces[f];
    for (PetscInt side = 0; side < 2; side++) {
      const PetscInt c = side ? fc->L : fc->K;
      if (c < 0 || !g->owned[c]) continue;
      const PetscReal s = side ? -q[f] : q[f];
      for (int i = 0; i < 3; i++) j[3 * npp->ownedPos[c] + i] += s * (fc->centroid[i] - g->centroid[3 * c + i]) / g->volume[c];
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode BoundaryCurrents(Npp npp, const PetscReal q[])
{
  NppFVGeom  g = npp->geom;
  PetscReal *cur;

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc1(npp->nbc + 1, &cur));
  for (PetscInt f = 0; f < g->nfaces; f++)
    if (npp->faceBC[f] >= 0 && g->owned[g->faces[f].K]) cur[npp->faceBC[f]] += q[f];
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, cur, npp->nbc, MPIU_REAL, MPIU_SUM, npp->comm));
  for (PetscInt b = 0; b < npp->nbc; b++) npp->bc[b].current = cur[b];
  PetscCall(PetscFree(cur));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteHDF5(Npp npp, const char path[], const PetscReal q[])
{
  NppFVGeom          g = npp->geom;
  PetscViewer        v;
  PetscReal         *phi, *j, *reg, *rk;
  const PetscScalar *x;
  PetscMPIInt        rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  PetscCall(PetscMalloc4(g->nowned, &phi, 3 * g->nowned, &j, g->nowned, &reg, g->nowned, &rk));
  PetscCall(VecGetArrayRead(npp->X, &x));
  for (PetscInt c = 0; c < g->ncells; c++) {
    if (!g->owned[c]) continue;
    const PetscInt p = npp->ownedPos[c];
    phi[p] = x[p], reg[p] = npp->cellRegion[c], rk[p] = rank;
  }
  PetscCall(VecRestoreArrayRead(npp->X, &x));
  PetscCall(CurrentDensity(npp, q, j));

  PetscCall(PetscViewerHDF5Open(npp->comm, path, FILE_MODE_WRITE, &v));
  PetscCall(PetscViewerPushFormat(v, PETSC_VIEWER_HDF5_XDMF));
  PetscCall(DMView(npp->dm, v)); /* /geometry/vertices and /viz/topology/cells */
  PetscCall(PetscViewerPopFormat(v));
  PetscCall(PetscViewerHDF5PushGroup(v, "/fields"));
  {
    const CellField fields[] = {
      {"potential",       1, phi},
      {"current_density", 3, j  },
      {"region",          1, reg},
      {"rank",            1, rk }
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) PetscCall(WriteCellField(npp, v, &fields[i]));
  }
  PetscCall(PetscViewerHDF5PopGroup(v));
  PetscCall(PetscViewerDestroy(&v));
  PetscCall(PetscFree4(phi, j, reg, rk));
  PetscFunctionReturn(0);
}

/* XDMF topology name and nodes per cell; PETSc's /viz/topology/cells lists each cell's vertices. */
static PetscErrorCode CellShape(Npp npp, const char **topo, PetscInt *nodes, PetscInt *nverts)
{
  DM        dm = npp->dm;
  PetscInt  n  = 0, cStart, cEnd, vStart, vEnd, own = 0;
  IS        vnum;
  const PetscInt *vn;

  PetscFunctionBeginUser;
  PetscCall(DMPlexGetHeightStratum(dm, 0, &cStart, &cEnd));
  PetscCall(DMPlexGetDepthStratum(dm, 0, &vStart, &vEnd));
  if (cEnd > cStart) {
    PetscInt *cl = NULL, ncl;
    PetscCall(DMPlexGetTransitiveClosure(dm, cStart, PETSC_TRUE, &ncl, &cl));
    for (PetscInt i = 0; i < ncl; i++) n += cl[2 * i] >= vStart && cl[2 * i] < vEnd;
    PetscCall(DMPlexRestoreTransitiveClosure(dm, cStart, PETSC_TRUE, &ncl, &cl));
  }
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &n, 1, MPIU_INT, MPI_MAX, npp->comm));
  *nodes = n;
  switch (npp->geom->dim * 10 + n) {
  case 12: *topo = "Polyline"; break;
  case 23: *topo = "Triangle"; break;
  case 24: *topo = "Quadrilateral"; break;
  case 34: *topo = "Tetrahedron"; break;
  case 36: *topo = "Wedge"; break;
  case 38: *topo = "Hexahedron"; break;
  default: SETERRQ(npp->comm, PETSC_ERR_SUP, "No XDMF cell type for %d-D cells with %d vertices", (int)npp->geom->dim, (int)n);
  }
  PetscCall(DMPlexGetVertexNumbering(dm, &vnum));
  PetscCall(ISGetIndices(vnum, &vn));
  for (PetscInt i = 0; i < vEnd - vStart; i++) own += vn[i] >= 0;
  PetscCall(ISRestoreIndices(vnum, &vn));
  PetscCall(MPIU_Allreduce(&own, nverts, 1, MPIU_INT, MPI_SUM, npp->comm));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteXDMF(Npp npp, const char path[], const char h5name[])
{
  const char *topo = NULL;
  PetscInt    nodes = 0, nv = 0, N = npp->globalCells, dim = npp->geom->dim;
  FILE       *fp;

  PetscFunctionBeginUser;
  PetscCall(CellShape(npp, &topo, &nodes, &nv));
  PetscCall(PetscFOpen(npp->comm, path, "w", &fp));
  PetscCall(PetscFPrintf(npp->comm, fp, "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"2.0\">\n <Domain>\n  <Grid Name=\"%s\" GridType=\"Uniform\">\n", npp->cs.name[0] ? npp->cs.name : "npp"));
  PetscCall(PetscFPrintf(npp->comm, fp, "   <Time Value=\"0\"/>\n"));
  PetscCall(PetscFPrintf(npp->comm, fp, "   <Topology TopologyType=\"%s\" NumberOfElements=\"%d\" NodesPerElement=\"%d\">\n    <DataItem Dimensions=\"%d %d\" NumberType=\"Int\" Format=\"HDF\">%s:/viz/topology/cells</DataItem>\n   </Topology>\n", topo, (int)N, (int)nodes, (int)N, (int)nodes, h5name));
  if (dim == 1) {
    PetscCall(PetscFPrintf(npp->comm, fp, "   <Geometry GeometryType=\"X_Y_Z\">\n    <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/geometry/vertices</DataItem>\n", (int)nv, h5name));
    for (int k = 0; k < 2; k++) PetscCall(PetscFPrintf(npp->comm, fp, "    <DataItem ItemType=\"Function\" Function=\"0*$0\" Dimensions=\"%d\"><DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/geometry/vertices</DataItem></DataItem>\n", (int)nv, (int)nv, h5name));
    PetscCall(PetscFPrintf(npp->comm, fp, "   </Geometry>\n"));
  } else {
    PetscCall(PetscFPrintf(npp->comm, fp, "   <Geometry GeometryType=\"%s\">\n    <DataItem Dimensions=\"%d %d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/geometry/vertices</DataItem>\n   </Geometry>\n", dim == 2 ? "XY" : "XYZ", (int)nv, (int)dim, h5name));
  }
  {
    const char *scalars[] = {"potential", "region", "rank"};
    for (int i = 0; i < 3; i++) PetscCall(PetscFPrintf(npp->comm, fp, "   <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Cell\">\n    <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/fields/%s</DataItem>\n   </Attribute>\n", scalars[i], (int)N, h5name, scalars[i]));
    PetscCall(PetscFPrintf(npp->comm, fp, "   <Attribute Name=\"current_density\" AttributeType=\"Vector\" Center=\"Cell\">\n    <DataItem Dimensions=\"%d 3\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/fields/current_density</DataItem>\n   </Attribute>\n", (int)N, h5name));
  }
  PetscCall(PetscFPrintf(npp->comm, fp, "  </Grid>\n </Domain>\n</Xdmf>\n"));
  PetscCall(PetscFClose(npp->comm, fp));
  PetscFunctionReturn(0);
}

static PetscErrorCode Rename(Npp npp, const char dir[], const char from[], const char to[])
{
  PetscMPIInt rank;
  char        a[PETSC_MAX_PATH_LEN], b[PETSC_MAX_PATH_LEN];
  int         err = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  PetscCall(PetscSNPrintf(a, sizeof a, "%s/%s", dir, from));
  PetscCall(PetscSNPrintf(b, sizeof b, "%s/%s", dir, to));
  if (!rank) err = rename(a, b);
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, npp->comm));
  PetscCheck(!err, npp->comm, PETSC_ERR_FILE_WRITE, "Cannot rename %s to %s", a, b);
  PetscFunctionReturn(0);
}

PetscErrorCode NppWriteOutput(Npp npp)
{
  PetscReal     *q = npp->faceFlux;
  PetscLogDouble t0, t1;
  char           path[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCall(PetscTime(&t0));
  PetscCall(DMGlobalToLocal(npp->dm, npp->X, INSERT_VALUES, npp->Xloc));
  {
    const PetscScalar *u;
    PetscCall(VecGetArrayRead(npp->Xloc, &u));
    PetscCall(NppConductionFaceFlux(npp, u, q));
    PetscCall(VecRestoreArrayRead(npp->Xloc, &u));
  }
  PetscCall(BoundaryCurrents(npp, q));
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/solution.h5.partial", npp->outdir));
  PetscCall(WriteHDF5(npp, path, q));
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/solution.xmf.partial", npp->outdir));
  PetscCall(WriteXDMF(npp, path, "solution.h5"));
  PetscCall(PetscTime(&t1));
  npp->t.output = t1 - t0;
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/summary.json.partial", npp->outdir));
  PetscCall(NppWriteSummary(npp, path));
  PetscCall(Rename(npp, npp->outdir, "solution.h5.partial", "solution.h5"));
  PetscCall(Rename(npp, npp->outdir, "solution.xmf.partial", "solution.xmf"));
  PetscCall(Rename(npp, npp->outdir, "summary.json.partial", "summary.json"));
  PetscCall(PetscPrintf(npp->comm, "npp: wrote %s/solution.xmf (open it in ParaView) and %s/summary.json\n", npp->outdir, npp->outdir));
  PetscFunctionReturn(0);
}

/* After a failure: remove what this run wrote, so no partial result remains. Not collective. */
PetscErrorCode NppAbortOutput(Npp npp)
{
  PetscMPIInt rank;
  const char *files[] = {"solution.h5.partial", "solution.xmf.partial", "summary.json.partial", "mesh.msh"};
  char        path[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  if (!npp || !npp->outdir[0]) PetscFunctionReturn(0);
  MPI_Comm_rank(npp->comm, &rank);
  if (rank) PetscFunctionReturn(0);
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    if (i == 3 && !npp->meshInfo.generated) continue;
    (void)PetscSNPrintf(path, sizeof path, "%s/%s", npp->outdir, files[i]);
    (void)unlink(path);
  }
  if (npp->outdirCreated) (void)rmdir(npp->outdir);
  PetscFunctionReturn(0);
}
