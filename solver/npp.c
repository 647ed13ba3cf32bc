/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "npp_log.h"
#include "transport.h"
#include <sys/stat.h>
#include <errno.h>
#include <unistd.h>

PetscErrorCode NppCreate(MPI_Comm comm, Npp *npp)
{
  PetscFunctionBeginUser;
  PetscCall(NppLogEventsRegister());
  PetscCall(PetscNew(npp));
  (*npp)->comm = comm;
  PetscFunctionReturn(0);
}

static PetscErrorCode OutputOptions(MPI_Comm comm, const NppCase *cs, NppOutput *out)
{
  char def[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(def, sizeof def, "output/%s", cs->name[0] ? cs->name : "run"));
  PetscCall(PetscStrncpy(out->outdir, def, sizeof out->outdir));
  PetscOptionsBegin(comm, "output_", "Output (-output_*)", NULL);
  PetscCall(PetscOptionsString("-dir", "where results go (default output/<case name>; in a case file: relative to it)", "-", def, out->outdir, sizeof out->outdir, NULL));
  PetscOptionsEnd();
  {
    char given[PETSC_MAX_PATH_LEN];
    PetscCall(PetscStrncpy(given, out->outdir, sizeof given));
    PetscCall(NppCaseResolvePath(cs, "-output_dir", given, out->outdir, sizeof out->outdir));
  }
  PetscFunctionReturn(0);
}

/* Rank 0 creates the output directory; every rank learns whether it could. */
static PetscErrorCode CreateOutputDir(MPI_Comm comm, const NppCase *cs, NppOutput *out)
{
  PetscFunctionBeginUser;
  PetscCall(OutputOptions(comm, cs, out));
  PetscCall(NppRunDirCreate(comm, out)); /* created and locked (output/run_dir.c) */
  PetscFunctionReturn(0);
}

/* The model, the unknowns, and for each region its Debye length next to its smallest cell: a
   Poisson run must resolve the first with the second. */
static PetscErrorCode ReportModel(MPI_Comm comm, const NppModel *model, const NppDisc *disc)
{
  const NppPhysics *ph        = &model->phys;
  char              list[512] = "";

  PetscFunctionBeginUser;
  for (PetscInt f = 0; f < model->fld.phi; f++) {
    PetscCall(PetscStrlcat(list, "c_", sizeof list));
    PetscCall(PetscStrlcat(list, ph->sp[model->fld.speciesOfField[f]].name, sizeof list));
    PetscCall(PetscStrlcat(list, ", ", sizeof list));
  }
  PetscCall(PetscStrlcat(list, "potential", sizeof list));
  PetscCall(PetscPrintf(comm, "npp: model: %s, %d species, T = %g K; unknowns per cell: %s%s\n", ph->electroneutral ? "electroneutral" : "Poisson", (int)ph->nspecies, (double)ph->T, list, disc->pinned ? " (no fixed potential: phi = 0 in the first cell)" : ""));
  for (PetscInt r = 0; r < model->nregions; r++) {
    const NppMaterial *m = &model->mat[r];
    double             z[NPP_MAX_SPECIES], lam;
    for (PetscInt i = 0; i < ph->nspecies; i++) z[i] = ph->sp[i].z;
    lam = NppDebyeLength(m->permittivity, ph->T, (int)ph->nspecies, z, m->c);
    PetscCall(PetscPrintf(comm, "npp: region %s: sigma %.4g S/m, eps_r %.4g, Debye length %.3g m, smallest cell %.3g m%s\n", m->name, m->conductivity, m->permittivity, lam, (double)model->regionMinSize[r], !ph->electroneutral && model->regionMinSize[r] > lam ? " (cells coarser than the Debye length: refine near interfaces)" : ""));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode FVOptions(MPI_Comm comm, NppDisc *disc)
{
  PetscFunctionBeginUser;
  disc->correct         = PETSC_TRUE;
  disc->correctMinOrtho = 0.1; /* see docs/theory.md */
  PetscOptionsBegin(comm, "fv_", "Discretisation (-fv_*)", NULL);
  PetscCall(NppOptionsBool(PetscOptionsObject, "-nonorthogonal_correction", "gradient correction of the two-point flux (docs/theory.md)", "-", disc->correct, &disc->correct, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-correction_min_orthogonality", "faces less orthogonal than this (cos of the angle between normal and centroid line) are not corrected, in [0, 1]", "-", disc->correctMinOrtho, &disc->correctMinOrtho, NULL));
  PetscOptionsEnd();
  if (!(disc->correctMinOrtho >= 0 && disc->correctMinOrtho <= 1)) NppInputError(comm, "-fv_correction_min_orthogonality", "%g must be in [0, 1]", (double)disc->correctMinOrtho);
  PetscFunctionReturn(0);
}

/* -help: every stage reads (and so lists) its keys as in a run, without a mesh; then npp exits. */
static PetscErrorCode ListOptions(Npp npp)
{
  char      kind[64];
  PetscReal tf, dt0;
  PetscInt  maxDirect = 20000; /* as listed */

  PetscFunctionBeginUser;
  PetscCall(OutputOptions(npp->comm, &npp->cs, &npp->out));
  PetscCall(NppPhysicsSetUp(npp->comm, &npp->cs, &npp->model.phys));
  PetscCall(FVOptions(npp->comm, &npp->disc));
  PetscCall(NppMeshOptions(npp->comm));
  PetscCall(NppRegionsOptions(npp->comm, &npp->cs, &npp->model.phys));
  PetscCall(NppBoundariesOptions(npp->comm, &npp->cs, &npp->model.phys));
  PetscCall(NppMMSOptions(npp->comm, &npp->model.mms, kind, sizeof kind));
  PetscCall(NppTimeOptions(npp->comm, &npp->run, &npp->out, PETSC_TRUE, &tf, &dt0));
  PetscCall(NppCheckpointOptions(npp->comm, &npp->out));
  {
    PetscBool want, set;
    PetscCall(NppRestartOption(npp->comm, &want, &set));
  }
  PetscCall(NppSolverOptions(npp->comm, &maxDirect));
  PetscFunctionReturn(0);
}

/* A relative -mesh_file is relative to the case directory when the case file gives it. */
static PetscErrorCode ResolveMeshPath(void *ctx, const char key[], const char value[], char path[], size_t len)
{
  PetscFunctionBeginUser;
  PetscCall(NppCaseResolvePath((const NppCase *)ctx, key, value, path, len));
  PetscFunctionReturn(0);
}

PetscErrorCode NppSetUp(Npp npp, int argc, char **argv)
{
  PetscLogDouble t0, t1;
  PetscInt       overlap;
  PetscBool      help, placeholders;
  char           restartMesh[PETSC_MAX_PATH_LEN] = "";

  PetscFunctionBeginUser;
  PetscCall(PetscTime(&t0));
  PetscCall(NppCaseLoad(npp->comm, argc, argv, &npp->cs));
  PetscCall(NppCaseHelp(&npp->cs, &help, &placeholders));
  if (help) {
    PetscCall(ListOptions(npp));
    PetscFunctionReturn(0);
  }
  PetscCall(CreateOutputDir(npp->comm, &npp->cs, &npp->out));
  { /* a transient run continues from the checkpoint in its directory (output/checkpoint.c) */
    PetscBool transient;
    PetscCall(PetscOptionsHasName(NULL, NULL, "-time_final", &transient));
    PetscCall(NppCheckpointProbe(npp->comm, &npp->out, transient, restartMesh, sizeof restartMesh, &npp->run.restart.active));
  }
  PetscCall(NppPhysicsSetUp(npp->comm, &npp->cs, &npp->model.phys));
  PetscCall(FVOptions(npp->comm, &npp->disc));
  /* The corrected flux at a face next to a ghost cell uses that ghost's gradient, whose stencil
     is its neighbours and, where those are degenerate, their neighbours (fvrecon.c). */
  overlap = npp->disc.correct ? 3 : 1;
  PetscCall(PetscLogEventBegin(NPP_Mesh, 0, 0, 0, 0));
  PetscCall(NppMeshCreate(npp->comm, ResolveMeshPath, &npp->cs, npp->out.outdir, overlap, npp->run.restart.active ? restartMesh : NULL, &npp->disc.dm, &npp->meshInfo));
  PetscCall(PetscLogEventEnd(NPP_Mesh, 0, 0, 0, 0));
  if (npp->meshInfo.converted[0]) { /* the npp mesh file is the result: the generated .msh was a step to it */
    PetscMPIInt rank;
    PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
    if (!rank && npp->meshInfo.generated) (void)unlink(npp->meshInfo.file);
    PetscCall(PetscPrintf(npp->comm, "npp: wrote the mesh to %s; load it (in parallel) with -mesh_generator file -mesh_file %s\n", npp->meshInfo.converted, npp->meshInfo.converted));
    PetscFunctionReturn(0);
  }
  npp->run.t.mesh       = npp->meshInfo.time_generate;
  npp->run.t.distribute = npp->meshInfo.time_distribute;
  PetscCall(PetscTime(&t1));
  t0 = t1;

  PetscCall(PetscLogEventBegin(NPP_FVGeom, 0, 0, 0, 0));
  PetscCall(NppFVGeomCreate(npp->disc.dm, &npp->disc.geom));
  PetscCall(NppFVGeomQuality(npp->disc.geom, npp->comm, &npp->disc.minOrtho, &npp->disc.maxSkew));
  PetscCall(PetscLogEventEnd(NPP_FVGeom, 0, 0, 0, 0));
  PetscCall(PetscLogEventBegin(NPP_SetUp, 0, 0, 0, 0));
  PetscCall(NppRegionsSetUp(npp->comm, &npp->cs, &npp->meshInfo, &npp->model, &npp->disc));
  PetscCall(NppPhysicsScale(&npp->model, &npp->disc));
  PetscCall(NppFieldsSetUp(npp->comm, &npp->model));
  PetscCall(NppBoundariesSetUp(npp->comm, &npp->cs, &npp->meshInfo, &npp->model, &npp->disc));
  PetscCall(PetscCalloc1(npp->model.fld.nf * npp->disc.geom->ncells, &npp->disc.cellSource));
  PetscCall(NppMMSSetUp(npp->comm, &npp->model, &npp->disc));
  PetscCall(NppOperatorSetUp(npp));
  PetscCall(NppElectronicSetUp(npp));
  PetscCall(NppTransientSetUp(npp));
  if (!npp->run.transient) PetscCall(NppSteadySetUp(npp));
  PetscCall(PetscLogEventEnd(NPP_SetUp, 0, 0, 0, 0));
  PetscCall(NppCaseCheckUnused(npp->comm, PETSC_TRUE));
  PetscCall(PetscTime(&t1));
  npp->run.t.setup = t1 - t0;

  {
    PetscMPIInt size;
    char        mesh[PETSC_MAX_PATH_LEN]; /* a generated mesh is named mesh.msh once the results begin */
    PetscCallMPI(MPI_Comm_size(npp->comm, &size));
    if (npp->meshInfo.generated && npp->meshInfo.cached != 2) PetscCall(PetscSNPrintf(mesh, sizeof mesh, "%s/mesh.msh", npp->out.outdir));
    else PetscCall(PetscStrncpy(mesh, npp->meshInfo.file, sizeof mesh));
    PetscCall(PetscPrintf(npp->comm, "npp: case %s: %d cells (%d-D) on %d rank%s, mesh %s\n", npp->cs.file[0] ? npp->cs.file : "(command line)", (int)npp->disc.globalCells, (int)npp->disc.geom->dim, size, size > 1 ? "s" : "", mesh));
    PetscCall(PetscPrintf(npp->comm, "npp: mesh quality: min orthogonality %.4f (1 = orthogonal), max skewness %.3g, non-orthogonal correction %s", (double)npp->disc.minOrtho, (double)npp->disc.maxSkew, npp->disc.correct ? "on" : "off"));
    if (npp->disc.nfallback) PetscCall(PetscPrintf(npp->comm, "; %d cells fall back to two-point fluxes", (int)npp->disc.nfallback));
    if (npp->disc.nuncorrected) PetscCall(PetscPrintf(npp->comm, "; %d faces too skewed to correct", (int)npp->disc.nuncorrected));
    PetscCall(PetscPrintf(npp->comm, "\n"));
    PetscCall(ReportModel(npp->comm, &npp->model, &npp->disc));
  }
  PetscFunctionReturn(0);
}

/* Solves (steady or transient) and writes the results; a failure leaves no result file. */
PetscErrorCode NppSolve(Npp npp)
{
  PetscLogDouble t0, t1;
  PetscReal      out[NPP_MAX_SPECIES];

  PetscFunctionBeginUser;
  PetscCall(PetscTime(&t0));
  if (npp->run.restart.active) { /* the results up to the checkpoint stay; the state is its */
    PetscCall(VecDuplicate(npp->run.X, &npp->run.restart.Xlast));
    PetscCall(NppCheckpointRead(npp, npp->run.X, npp->run.restart.Xlast, &npp->run.restart));
    PetscCall(NppOutputResume(npp));
  } else PetscCall(NppRunDirReplaceEarlier(npp->comm, &npp->out, &npp->meshInfo)); /* this run's results begin */
  PetscCall(NppOutputOpen(npp->comm, &npp->model, &npp->disc, &npp->out));
  PetscCall(PetscTime(&t1));
  npp->run.t.output += t1 - t0; /* the mesh, region and rank datasets */
  if (npp->run.transient) PetscCall(NppTransientSolve(npp));
  else {
    PetscCall(NppSteadySolve(npp));
    PetscCall(NppWriteState(npp, npp->run.X, 0.0));
  }
  PetscCall(NppBoundaryFluxes(npp, npp->run.X, out));
  PetscCall(NppMMSError(npp->comm, &npp->model, &npp->disc, npp->run.X));
  PetscCall(PetscTime(&t1));
  npp->run.t.solve = t1 - t0 - npp->run.t.output; /* including the fluxes and balances for the summary */
  /* PETSc reads some of its options only during the solve: check them all before the results
     become final. */
  PetscCall(NppCaseCheckUnused(npp->comm, PETSC_FALSE));
  PetscCall(NppOutputClose(npp));
  PetscFunctionReturn(0);
}

PetscErrorCode NppDestroy(Npp *npp)
{
  Npp n = *npp;

  PetscFunctionBeginUser;
  if (!n) PetscFunctionReturn(0);
  PetscCall(NppRunDirRelease(n->comm, &n->out));
  PetscCall(PetscViewerDestroy(&n->out.h5));
  PetscCall(TSDestroy(&n->run.ts));
  PetscCall(SNESDestroy(&n->run.snes));
  PetscCall(MatDestroy(&n->run.J));
  PetscCall(VecDestroy(&n->run.X));
  PetscCall(VecDestroy(&n->run.Xprev));
  PetscCall(VecDestroy(&n->run.restart.Xlast));
  PetscCall(PetscFree(n->meshInfo.cellNumber));
  PetscCall(PetscFree(n->out.segment));
  PetscCall(PetscFree(n->out.fingerprint));
  PetscCall(VecDestroy(&n->disc.Xcells));
  PetscCall(VecDestroy(&n->run.Xloc));
  PetscCall(VecDestroy(&n->run.Xdotloc));
  PetscCall(NppElectronicDestroy(&n->run.elec));
  PetscCall(PetscFree(n->run.elecCurrent));
  PetscCall(NppFaceReconDestroy(&n->disc.reconPhi));
  for (PetscInt i = 0; i < NPP_MAX_SPECIES; i++) PetscCall(NppFaceReconDestroy(&n->disc.recon[i]));
  PetscCall(NppFVGeomDestroy(&n->disc.geom));
  PetscCall(DMDestroy(&n->disc.dm));
  PetscCall(PetscFree4(n->model.mat, n->model.regionCells, n->model.regionVolume, n->model.regionMinSize));
  PetscCall(PetscFree(n->disc.cellRegion));
  PetscCall(PetscFree3(n->model.fld.A, n->model.fld.b, n->model.fld.row));
  PetscCall(PetscFree5(n->model.fld.omega, n->model.fld.kappa, n->model.fld.theta, n->model.fld.eps, n->model.fld.rho));
  PetscCall(PetscFree4(n->disc.faceBC, n->disc.phiHasValue, n->disc.phiValue, n->disc.faceElectrode));
  PetscCall(PetscFree4(n->disc.cHasValue, n->disc.cValue, n->disc.cHasFlux, n->disc.cFlux));
  for (PetscInt b = 0; n->model.bc && b < n->model.nbc; b++) PetscCall(PetscFree(n->model.bc[b].faces));
  PetscCall(PetscFree(n->model.bc));
  PetscCall(PetscFree2(n->disc.transPhi, n->disc.trans));
  PetscCall(NppEvaluationDestroy(&n->ev));
  PetscCall(PetscFree3(n->disc.derivCol, n->disc.derivKey, n->disc.derivVal));
  PetscCall(PetscFree(n->disc.derivSlot));
  PetscCall(PetscFree(n->disc.globalBC));
  PetscCall(PetscFree(n->disc.cellSource));
  PetscCall(PetscFree2(n->disc.cellRow, n->disc.ownedPos));
  PetscCall(PetscFree(n->run.jacVal));
  PetscCall(NppJacPatternDestroy(&n->disc.jac));
  PetscCall(PetscFree(n->run.steps));
  PetscCall(PetscFree(n->out.outTimes));
  PetscCall(PetscFree(n->out.written));
  PetscCall(PetscFree(*npp));
  PetscFunctionReturn(0);
}
