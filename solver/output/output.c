/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "npp_log.h"
#include "xml.h"
#include <petscviewerhdf5.h>
#include <unistd.h>
#include <dirent.h>
#include <errno.h>
#include "constants.h"

/* Results are written under temporary names and renamed once complete, so that a failed run
   never leaves a half-written file that looks like a result. Each output time is a file of its
   own (solution_<k>.h5) next to the mesh's (solution.h5), and solution.xmf is rewritten after
   each: whenever a run stops, killed or not, the times it completed are a valid series. A
   restarted run, whose partition of the cells differs, writes its mesh again
   (solution_mesh_<k>.h5, k its first output) for the outputs it adds. */

PetscErrorCode NppOutputMeshFile(const NppOutput *out, PetscInt k, char name[], size_t len)
{
  const PetscInt from = out->segment[k];

  PetscFunctionBeginUser;
  if (!from) PetscCall(PetscStrncpy(name, "solution.h5", len));
  else PetscCall(PetscSNPrintf(name, len, "solution_mesh_%06d.h5", (int)from));
  PetscFunctionReturn(0);
}

PetscErrorCode NppOutputStepFile(PetscInt k, char name[], size_t len)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(name, len, "solution_%06d.h5", (int)k));
  PetscFunctionReturn(0);
}

typedef struct {
  const char *name;
  PetscInt    bs;
  PetscReal  *val; /* [bs * nowned] */
} CellField;

static PetscErrorCode WriteCellField(MPI_Comm comm, const NppDisc *disc, PetscViewer v, const CellField *cf)
{
  Vec w;

  PetscFunctionBeginUser;
  PetscCall(VecCreateMPIWithArray(comm, cf->bs, cf->bs * disc->geom->nowned, PETSC_DECIDE, cf->val, &w));
  PetscCall(PetscObjectSetName((PetscObject)w, cf->name));
  PetscCall(VecView(w, v));
  PetscCall(VecDestroy(&w));
  PetscFunctionReturn(0);
}

/* Cell fields of state X in SI units, in /step_<k> of the open HDF5 file, with what
   NppDeriveState derived from X (current density, electron potential, electrode faces). */
static PetscErrorCode WriteStep(MPI_Comm comm, const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, NppElectronic elec, NppOutput *out, Vec X, PetscInt k)
{
  NppFVGeom          g  = disc->geom;
  const NppFields   *fl = &model->fld;
  const PetscInt     ns = model->phys.nspecies, nf = fl->nf, no = g->nowned;
  PetscReal         *val;
  const PetscScalar *x;
  char               group[64];

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc1((ns + 2) * no, &val));
  PetscCall(VecGetArrayRead(X, &x));
  for (PetscInt c = 0; c < g->ncells; c++) {
    if (!g->owned[c]) continue;
    const PetscInt     p = disc->ownedPos[c], r = disc->cellRegion[c];
    const PetscScalar *u = &x[nf * p];
    PetscReal          q = fl->rho[r];
    for (PetscInt i = 0; i < ns; i++) {
      const PetscReal s = NppFieldsConcentration(fl, ns, r, i, u);
      val[i * no + p]   = s * model->phys.cref;
      q += model->phys.sp[i].z * s;
    }
    val[ns * no + p]       = u[fl->phi] * model->phys.VT;
    val[(ns + 1) * no + p] = q * NPP_FARADAY * model->phys.cref;
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(PetscSNPrintf(group, sizeof group, "/step_%06d", (int)k));
  PetscCall(PetscViewerHDF5PushGroup(out->h5, group));
  for (PetscInt i = 0; i < ns; i++) {
    char name[NPP_NAME_LEN + 8];
    PetscCall(PetscSNPrintf(name, sizeof name, "c_%s", model->phys.sp[i].name));
    PetscCall(WriteCellField(comm, disc, out->h5, &(CellField){name, 1, &val[i * no]}));
  }
  PetscCall(WriteCellField(comm, disc, out->h5, &(CellField){"potential", 1, &val[ns * no]}));
  PetscCall(WriteCellField(comm, disc, out->h5, &(CellField){"charge_density", 1, &val[(ns + 1) * no]}));
  PetscCall(WriteCellField(comm, disc, out->h5, &(CellField){"current_density", 3, ev->cellCurrent}));
  if (elec) { /* the leakage path, solved with this state's electrode potentials */
    const PetscScalar *xe;
    PetscCall(NppElectronicPotential(elec, &xe));
    PetscCall(WriteCellField(comm, disc, out->h5, &(CellField){"electron_potential", 1, (PetscReal *)xe}));
    PetscCall(NppElectronicRestorePotential(elec, &xe));
  }
  PetscCall(NppElectrodeOutputStep(comm, model, disc, ev, out));
  PetscCall(PetscViewerHDF5PopGroup(out->h5));
  PetscCall(PetscFree(val));
  PetscFunctionReturn(0);
}

/* XDMF topology name and nodes per cell; PETSc's /viz/topology/cells lists each cell's vertices. */
static PetscErrorCode CellShape(MPI_Comm comm, const NppDisc *disc, const char **topo, PetscInt *nodes, PetscInt *nverts)
{
  DM              dm = disc->dm;
  PetscInt        n = 0, cStart, cEnd, vStart, vEnd, own = 0;
  IS              vnum;
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
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &n, 1, MPIU_INT, MPI_MAX, comm));
  *nodes = n;
  switch (disc->geom->dim * 10 + n) {
  case 12:
    *topo = "Polyline";
    break;
  case 23:
    *topo = "Triangle";
    break;
  case 24:
    *topo = "Quadrilateral";
    break;
  case 34:
    *topo = "Tetrahedron";
    break;
  case 36:
    *topo = "Wedge";
    break;
  case 38:
    *topo = "Hexahedron";
    break;
  default:
    SETERRQ(comm, PETSC_ERR_SUP, "No XDMF cell type for %d-D cells with %d vertices", (int)disc->geom->dim, (int)n);
  }
  PetscCall(DMPlexGetVertexNumbering(dm, &vnum));
  PetscCall(ISGetIndices(vnum, &vn));
  for (PetscInt i = 0; i < vEnd - vStart; i++) own += vn[i] >= 0;
  PetscCall(ISRestoreIndices(vnum, &vn));
  PetscCall(MPIU_Allreduce(&own, nverts, 1, MPIU_INT, MPI_SUM, comm));
  PetscFunctionReturn(0);
}

/* Topology and geometry of the mesh, repeated in every step's grid (a few lines pointing at the
   same datasets; readers differ in their support of XDMF references). */
static PetscErrorCode WriteMeshXDMF(MPI_Comm comm, const NppDisc *disc, FILE *fp, const char h5name[], const char *topo, PetscInt nodes, PetscInt nv)
{
  PetscInt N = disc->globalCells, dim = disc->geom->dim;

  PetscFunctionBeginUser;
  PetscCall(PetscFPrintf(comm, fp, "    <Topology TopologyType=\"%s\" NumberOfElements=\"%d\" NodesPerElement=\"%d\">\n   <DataItem Dimensions=\"%d %d\" NumberType=\"Int\" Format=\"HDF\">%s:/viz/topology/cells</DataItem>\n  </Topology>\n", topo, (int)N, (int)nodes, (int)N, (int)nodes, h5name));
  if (dim == 1) {
    PetscCall(PetscFPrintf(comm, fp, "    <Geometry GeometryType=\"X_Y_Z\">\n   <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/geometry/vertices</DataItem>\n", (int)nv, h5name));
    for (int k = 0; k < 2; k++)
      PetscCall(PetscFPrintf(comm, fp, "     <DataItem ItemType=\"Function\" Function=\"0*$0\" Dimensions=\"%d\"><DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/geometry/vertices</DataItem></DataItem>\n", (int)nv, (int)nv, h5name));
    PetscCall(PetscFPrintf(comm, fp, "    </Geometry>\n"));
  } else {
    PetscCall(PetscFPrintf(comm, fp, "    <Geometry GeometryType=\"%s\">\n   <DataItem Dimensions=\"%d %d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/geometry/vertices</DataItem>\n  </Geometry>\n", dim == 2 ? "XY" : "XYZ", (int)nv, (int)dim, h5name));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteXDMF(MPI_Comm comm, const NppCase *cs, const NppModel *model, const NppDisc *disc, PetscBool electronic, const NppOutput *out, const char path[])
{
  const char *topo  = NULL;
  PetscInt    nodes = 0, nv = 0, N = disc->globalCells;
  FILE       *fp;

  PetscFunctionBeginUser;
  PetscCall(CellShape(comm, disc, &topo, &nodes, &nv));
  PetscCall(PetscFOpen(comm, path, "w", &fp));
  PetscCall(PetscFPrintf(comm, fp, "<?xml version=\"1.0\" ?>\n<Xdmf Version=\"2.0\">\n <Domain>\n"));
  {
    char name[NPP_XML_ESCAPED_LEN(sizeof cs->name)]; /* names in XML are escaped */
    PetscCall(NppXMLEscape(cs->name[0] ? cs->name : "npp", name, sizeof name));
    PetscCall(PetscFPrintf(comm, fp, "  <Grid Name=\"%s\" GridType=\"Collection\" CollectionType=\"Temporal\">\n", name));
  }
  for (PetscInt k = 0; k < out->nwritten; k++) {
    char     scalars[NPP_MAX_SPECIES + 3][NPP_XML_ESCAPED_LEN(NPP_NAME_LEN + 8)];
    PetscInt nsc = 0;
    for (PetscInt i = 0; i < model->phys.nspecies; i++) {
      char name[NPP_NAME_LEN + 8];
      PetscCall(PetscSNPrintf(name, sizeof name, "c_%s", model->phys.sp[i].name));
      PetscCall(NppXMLEscape(name, scalars[nsc++], sizeof scalars[0]));
    }
    PetscCall(PetscStrncpy(scalars[nsc++], "potential", sizeof scalars[0]));
    PetscCall(PetscStrncpy(scalars[nsc++], "charge_density", sizeof scalars[0]));
    if (electronic) PetscCall(PetscStrncpy(scalars[nsc++], "electron_potential", sizeof scalars[0]));
    char h5name[64], stepName[64];
    PetscCall(NppOutputMeshFile(out, k, h5name, sizeof h5name));
    PetscCall(NppOutputStepFile(k, stepName, sizeof stepName));
    PetscCall(PetscFPrintf(comm, fp, "   <Grid Name=\"step_%06d\" GridType=\"Uniform\">\n    <Time Value=\"%.17g\"/>\n", (int)k, (double)out->written[k]));
    PetscCall(WriteMeshXDMF(comm, disc, fp, h5name, topo, nodes, nv));
    for (PetscInt i = 0; i < nsc; i++)
      PetscCall(PetscFPrintf(comm, fp, "    <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Cell\">\n     <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/step_%06d/%s</DataItem>\n    </Attribute>\n", scalars[i], (int)N, stepName, (int)k, scalars[i]));
    PetscCall(PetscFPrintf(comm, fp, "    <Attribute Name=\"current_density\" AttributeType=\"Vector\" Center=\"Cell\">\n     <DataItem Dimensions=\"%d 3\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/step_%06d/current_density</DataItem>\n    </Attribute>\n", (int)N, stepName, (int)k));
    for (PetscInt i = 0; i < 2; i++)
      PetscCall(PetscFPrintf(comm, fp, "    <Attribute Name=\"%s\" AttributeType=\"Scalar\" Center=\"Cell\">\n     <DataItem Dimensions=\"%d\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/fields/%s</DataItem>\n    </Attribute>\n", i ? "rank" : "region", (int)N, h5name, i ? "rank" : "region"));
    PetscCall(PetscFPrintf(comm, fp, "   </Grid>\n"));
  }
  PetscCall(PetscFPrintf(comm, fp, "  </Grid>\n </Domain>\n</Xdmf>\n"));
  PetscCall(NppFileClose(comm, fp, path));
  PetscFunctionReturn(0);
}

/* Closes an HDF5 file after HDF5 has flushed it without error on every rank. */
static PetscErrorCode CloseH5(MPI_Comm comm, PetscViewer *v, const char dir[], const char name[])
{
  hid_t  fid;
  herr_t status;
  int    bad, any;

  PetscFunctionBeginUser;
  PetscCall(PetscViewerHDF5GetFileId(*v, &fid));
  status = H5Fflush(fid, H5F_SCOPE_GLOBAL); /* HDF5 reports nothing itself (main.c silences it) */
  bad    = status < 0;
  PetscCallMPI(MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_LOR, comm));
  PetscCheck(!any, comm, NPP_ERR_WRITE, "cannot write %s/%s: HDF5 could not flush it (is the disk full?)", dir, name);
  PetscCall(PetscViewerDestroy(v));
  PetscFunctionReturn(0);
}

/* Writes the mesh, region and rank (and the electrodes' face meshes) of this run's partition to
   the mesh file of the outputs from out->nwritten on, under its temporary name; it is committed
   with the first of them. */
PetscErrorCode NppOutputOpen(MPI_Comm comm, const NppModel *model, const NppDisc *disc, NppOutput *out)
{
  NppFVGeom   g = disc->geom;
  PetscReal  *reg, *rk;
  PetscMPIInt rank;
  char        path[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  out->segmentFrom = out->nwritten;
  PetscCall(PetscSNPrintf(out->meshName, sizeof out->meshName, out->segmentFrom ? "solution_mesh_%06d.h5" : "solution.h5", (int)out->segmentFrom));
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/%s.partial", out->outdir, out->meshName));
  NppErrorWriting(path);
  PetscCall(PetscViewerHDF5Open(comm, path, FILE_MODE_WRITE, &out->h5));
  PetscCall(PetscViewerPushFormat(out->h5, PETSC_VIEWER_HDF5_XDMF));
  PetscCall(DMView(disc->dm, out->h5)); /* /geometry/vertices and /viz/topology/cells */
  PetscCall(PetscViewerPopFormat(out->h5));
  PetscCall(PetscMalloc2(g->nowned, &reg, g->nowned, &rk));
  for (PetscInt c = 0; c < g->ncells; c++)
    if (g->owned[c]) reg[disc->ownedPos[c]] = disc->cellRegion[c], rk[disc->ownedPos[c]] = rank;
  PetscCall(PetscViewerHDF5PushGroup(out->h5, "/fields"));
  PetscCall(WriteCellField(comm, disc, out->h5, &(CellField){"region", 1, reg}));
  PetscCall(WriteCellField(comm, disc, out->h5, &(CellField){"rank", 1, rk}));
  PetscCall(PetscViewerHDF5PopGroup(out->h5));
  PetscCall(PetscFree2(reg, rk));
  PetscCall(NppElectrodeOutputOpen(comm, model, disc, out));
  PetscCall(CloseH5(comm, &out->h5, out->outdir, out->meshName));
  out->meshOpen = PETSC_TRUE;
  out->opened   = PETSC_TRUE;
  NppErrorWriting(NULL);
  PetscFunctionReturn(0);
}

/* The series' descriptions, solution.xmf and electrode_<b>.xmf, written and committed. */
static PetscErrorCode CommitXDMF(Npp npp)
{
  char path[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/solution.xmf.partial", npp->out.outdir));
  PetscCall(WriteXDMF(npp->comm, &npp->cs, &npp->model, &npp->disc, (PetscBool) !!npp->run.elec, &npp->out, path));
  PetscCall(NppElectrodeOutputXDMF(npp->comm, &npp->model, &npp->disc, &npp->out));
  for (PetscInt b = 0; b < npp->model.nbc; b++) {
    char from[NPP_NAME_LEN + 32], to[NPP_NAME_LEN + 32];
    if (!npp->model.bc[b].electrode) continue;
    PetscCall(PetscSNPrintf(from, sizeof from, "electrode_%s.xmf.partial", npp->model.bc[b].name));
    PetscCall(PetscSNPrintf(to, sizeof to, "electrode_%s.xmf", npp->model.bc[b].name));
    PetscCall(NppFileCommit(npp->comm, npp->out.outdir, from, to));
  }
  PetscCall(NppFileCommit(npp->comm, npp->out.outdir, "solution.xmf.partial", "solution.xmf"));
  PetscFunctionReturn(0);
}

/* One output time: its file, then the mesh's (with the first), then the series' description. */
PetscErrorCode NppOutputWrite(Npp npp, Vec X, PetscReal t)
{
  NppOutput     *out = &npp->out;
  PetscLogDouble t0, t1;
  char           name[64], partial[80], path[PETSC_MAX_PATH_LEN];
  const PetscInt k = out->nwritten;

  PetscFunctionBeginUser;
  PetscCall(PetscLogEventBegin(NPP_Output, 0, 0, 0, 0));
  PetscCall(PetscTime(&t0));
  if (k == out->maxwritten) {
    out->maxwritten = 2 * out->maxwritten + 16;
    PetscCall(PetscRealloc(out->maxwritten * sizeof(PetscReal), &out->written));
    PetscCall(PetscRealloc(out->maxwritten * sizeof(PetscInt), &out->segment));
  }
  PetscCall(NppOutputStepFile(k, name, sizeof name));
  PetscCall(PetscSNPrintf(partial, sizeof partial, "%s.partial", name));
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/%s", out->outdir, partial));
  NppErrorWriting(path);
  PetscCall(PetscViewerHDF5Open(npp->comm, path, FILE_MODE_WRITE, &out->h5));
  PetscCall(WriteStep(npp->comm, &npp->model, &npp->disc, &npp->ev, npp->run.elec, out, X, k));
  PetscCall(NppFaultPoint(npp->comm, "output"));
  PetscCall(CloseH5(npp->comm, &out->h5, out->outdir, name));
  NppErrorWriting(NULL);
  PetscCall(NppFileCommit(npp->comm, out->outdir, partial, name));
  if (out->meshOpen) {
    PetscCall(PetscSNPrintf(partial, sizeof partial, "%s.partial", out->meshName));
    PetscCall(NppFileCommit(npp->comm, out->outdir, partial, out->meshName));
    out->meshOpen = PETSC_FALSE;
  }
  out->written[k] = t, out->segment[k] = out->segmentFrom;
  out->nwritten++;
  PetscCall(CommitXDMF(npp));
  PetscCall(PetscTime(&t1));
  npp->run.t.output += t1 - t0;
  PetscCall(PetscLogEventEnd(NPP_Output, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* Completes the run's files: the electrodes' series and the summary, committed (synced, renamed
   into place); the output times are in place already. A failed run (npp->run.failed) completes
   them with the output times it reached; if none, its summary is all it leaves. A completed run
   has no use for its checkpoint. */
PetscErrorCode NppOutputClose(Npp npp)
{
  char            path[PETSC_MAX_PATH_LEN];
  const PetscBool series = (PetscBool)(npp->out.nwritten > 0);
  PetscMPIInt     rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  PetscCall(PetscSNPrintf(path, sizeof path, "%s/summary.json.partial", npp->out.outdir));
  PetscCall(NppWriteSummary(npp, path));
  PetscCall(NppSeriesCommit(npp->comm, &npp->out));
  if (npp->out.meshOpen) { /* no output time used it */
    PetscCall(PetscSNPrintf(path, sizeof path, "%s/%s.partial", npp->out.outdir, npp->out.meshName));
    if (!rank) (void)unlink(path);
    npp->out.meshOpen = PETSC_FALSE;
  }
  PetscCall(NppFileCommit(npp->comm, npp->out.outdir, "summary.json.partial", "summary.json"));
  if (!npp->run.failed) PetscCall(NppCheckpointRemove(npp->comm, &npp->out));
  if (!series) PetscCall(PetscPrintf(npp->comm, "npp: the run failed before its first output time; %s/summary.json says why\n", npp->out.outdir));
  else if (npp->run.failed)
    PetscCall(PetscPrintf(npp->comm, "npp: kept the %d output time%s completed before the failure in %s/solution.xmf; %s/summary.json says why\n", (int)npp->out.nwritten, npp->out.nwritten != 1 ? "s" : "", npp->out.outdir, npp->out.outdir));
  else PetscCall(PetscPrintf(npp->comm, "npp: wrote %s/solution.xmf (%d time%s; open it in ParaView) and %s/summary.json\n", npp->out.outdir, (int)npp->out.nwritten, npp->out.nwritten > 1 ? "s" : "", npp->out.outdir));
  PetscFunctionReturn(0);
}

/* After a failure that every rank saw (an input error found in the solve, a solver that did
   not converge), once the output is open: the output times completed so far become the run's
   result, with a summary that says it failed, why, and the time reached. */
PetscErrorCode NppOutputKeepFailed(Npp npp, const char why[])
{
  PetscFunctionBeginUser;
  if (!npp || !npp->out.opened) PetscFunctionReturn(0);
  npp->run.failed = PETSC_TRUE;
  PetscCall(PetscStrncpy(npp->run.failReason, why, sizeof npp->run.failReason));
  PetscCall(PetscViewerDestroy(&npp->out.h5)); /* an output time being written when it failed */
  PetscCall(NppOutputClose(npp));
  PetscFunctionReturn(0);
}

/* After a failure: remove the files this run was still writing (kept results are already in
   place, and so is the last checkpoint), and release the directory. Not collective. */
PetscErrorCode NppAbortOutput(Npp npp)
{
  PetscMPIInt rank;
  const char *files[] = {"solution.xmf.partial", "summary.json.partial", "checkpoint.h5.partial", "mesh.partial.msh"};
  char        path[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  if (!npp || !npp->out.outdir[0]) PetscFunctionReturn(0);
  MPI_Comm_rank(npp->comm, &rank);
  if (rank) PetscFunctionReturn(0);
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    if (i == 3 && !npp->meshInfo.generated) continue;
    (void)PetscSNPrintf(path, sizeof path, "%s/%s", npp->out.outdir, files[i]);
    (void)unlink(path);
  }
  if (npp->out.meshName[0]) {
    (void)PetscSNPrintf(path, sizeof path, "%s/%s.partial", npp->out.outdir, npp->out.meshName);
    (void)unlink(path);
  }
  (void)PetscSNPrintf(path, sizeof path, "%s/solution_%06d.h5.partial", npp->out.outdir, (int)npp->out.nwritten);
  (void)unlink(path);
  (void)NppSeriesDiscard(&npp->out);
  for (PetscInt b = 0; b < npp->model.nbc; b++) {
    (void)PetscSNPrintf(path, sizeof path, "%s/electrode_%s.xmf.partial", npp->out.outdir, npp->model.bc[b].name);
    (void)unlink(path);
  }
  (void)NppRunDirRelease(npp->comm, &npp->out);
  if (npp->out.outdirCreated) (void)rmdir(npp->out.outdir); /* only if empty */
  PetscFunctionReturn(0);
}

/* A restart's directory, cut back to its checkpoint: the output times written after it (by the
   run that stopped) and any file left half written go; the summary of a failed run goes too (this
   run writes its own); the series' description then lists what is kept. Collective. */
PetscErrorCode NppOutputResume(Npp npp)
{
  NppOutput  *out = &npp->out;
  PetscMPIInt rank;
  int         err = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  if (!rank) {
    DIR *d = opendir(out->outdir);
    for (struct dirent *e; d && (e = readdir(d));) {
      const char  *n   = e->d_name;
      const size_t len = strlen(n);
      int          k = -1, end = 0;
      char         path[PETSC_MAX_PATH_LEN];
      PetscBool    drop = PETSC_FALSE;
      if (!NppRunDirIsResult(n)) continue;
      if (sscanf(n, "solution_%6d.h5%n", &k, &end) == 1 || sscanf(n, "solution_mesh_%6d.h5%n", &k, &end) == 1) drop = (PetscBool)(k >= out->nwritten || end != (int)len);
      else if (len > 8 && !strcmp(n + len - 8, ".partial")) drop = (PetscBool)strcmp(n, "electrodes.csv.partial");
      else if (!strcmp(n, "summary.json")) drop = PETSC_TRUE;
      if (!drop) continue;
      (void)PetscSNPrintf(path, sizeof path, "%s/%s", out->outdir, n);
      if (unlink(path)) err = errno;
    }
    if (d) closedir(d);
  }
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, npp->comm));
  PetscCheck(!err, npp->comm, NPP_ERR_WRITE, "cannot remove the outputs after the checkpoint in %s: %s", out->outdir, strerror(err));
  if (out->nwritten) PetscCall(CommitXDMF(npp));
  PetscFunctionReturn(0);
}
