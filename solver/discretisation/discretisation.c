/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "fv_flux.h"

/* Set-up of the discrete operator: dof numbering (nf interlaced fields per cell), face
   transmissibilities, the per-field reconstructions of the non-orthogonal correction, the
   potential gauge, and the Jacobian's sparsity pattern (operator.c). */

static PetscErrorCode SetUpNumbering(Npp npp)
{
  NppFVGeom    g  = npp->disc.geom;
  PetscInt     nf = npp->model.fld.nf;
  PetscSection s, gs;
  PetscInt     rstart;

  PetscFunctionBeginUser;
  PetscCall(PetscSectionCreate(npp->comm, &s));
  PetscCall(PetscSectionSetChart(s, g->cStart, g->cStart + g->ncells));
  for (PetscInt c = 0; c < g->ncells; c++) PetscCall(PetscSectionSetDof(s, g->cStart + c, nf));
  PetscCall(PetscSectionSetUp(s));
  PetscCall(DMSetLocalSection(npp->disc.dm, s));
  PetscCall(PetscSectionDestroy(&s));
  PetscCall(DMCreateGlobalVector(npp->disc.dm, &npp->disc.Xcells));
  PetscCall(VecGetLocalSize(npp->disc.Xcells, &npp->disc.nlocalCells));
  PetscCall(VecGetOwnershipRange(npp->disc.Xcells, &rstart, NULL));
  PetscCall(VecGetSize(npp->disc.Xcells, &npp->disc.globalCells));
  npp->disc.globalRow0 = npp->disc.globalCells;
  npp->disc.globalCells /= nf;
  if (!npp->disc.nglobal) {
    PetscCall(VecDuplicate(npp->disc.Xcells, &npp->run.X));
    PetscCall(VecSetBlockSize(npp->run.X, nf));
  } else { /* the global unknowns close the last rank's part */
    PetscMPIInt rank, size;
    PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
    PetscCallMPI(MPI_Comm_size(npp->comm, &size));
    npp->disc.globalOwner = size - 1;
    PetscCall(VecCreateMPI(npp->comm, npp->disc.nlocalCells + (rank == npp->disc.globalOwner ? npp->disc.nglobal : 0), PETSC_DETERMINE, &npp->run.X));
  }
  PetscCall(PetscObjectSetName((PetscObject)npp->run.X, "solution"));
  PetscCall(DMCreateLocalVector(npp->disc.dm, &npp->run.Xloc));
  PetscCall(VecDuplicate(npp->run.Xloc, &npp->run.Xdotloc));
  PetscCall(DMGetGlobalSection(npp->disc.dm, &gs));
  PetscCall(PetscMalloc2(g->ncells, &npp->disc.cellRow, g->ncells, &npp->disc.ownedPos));
  for (PetscInt c = 0; c < g->ncells; c++) {
    PetscInt off;
    PetscCall(PetscSectionGetOffset(gs, g->cStart + c, &off));
    npp->disc.cellRow[c]  = off >= 0 ? off : -(off + 1);
    npp->disc.ownedPos[c] = off >= 0 ? (off - rstart) / nf : -1;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppGlobalToLocal(MPI_Comm comm, const NppDisc *disc, NppEvaluation *ev, Vec X, Vec Xloc, PetscBool globals)
{
  const PetscScalar *x;
  PetscMPIInt        rank;

  PetscFunctionBeginUser;
  if (!disc->nglobal) {
    PetscCall(DMGlobalToLocal(disc->dm, X, INSERT_VALUES, Xloc));
    PetscFunctionReturn(0);
  }
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecPlaceArray(disc->Xcells, x));
  PetscCall(DMGlobalToLocal(disc->dm, disc->Xcells, INSERT_VALUES, Xloc));
  PetscCall(VecResetArray(disc->Xcells));
  if (globals) {
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    if (rank == disc->globalOwner)
      for (PetscInt k = 0; k < disc->nglobal; k++) ev->globalValue[k] = PetscRealPart(x[disc->nlocalCells + k]);
    PetscCallMPI(MPI_Bcast(ev->globalValue, (PetscMPIInt)disc->nglobal, MPIU_REAL, disc->globalOwner, comm));
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscFunctionReturn(0);
}

static PetscErrorCode SetUpTransmissibilities(const NppModel *model, NppDisc *disc)
{
  NppFVGeom        g  = disc->geom;
  const NppFields *fl = &model->fld;
  const PetscInt   ns = model->phys.nspecies, nfc = g->nfaces;
  const PetscReal  Ld = PetscPowReal(model->phys.Lref, g->dim - 2);

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc2(nfc, &disc->transPhi, ns * nfc, &disc->trans));
  for (PetscInt f = 0; f < nfc; f++) {
    const NppFace *fc = &g->faces[f];
    const PetscInt rK = disc->cellRegion[fc->K], rL = fc->L >= 0 ? disc->cellRegion[fc->L] : -1;
    if (!model->phys.electroneutral && (rL >= 0 || disc->phiHasValue[f])) disc->transPhi[f] = NppTransmissibility(fc->area, fl->eps[rK], fc->dK, rL >= 0 ? fl->eps[rL] : 0, fc->dL) / Ld;
    for (PetscInt i = 0; i < ns; i++) {
      const PetscReal oK = fl->omega[rK * ns + i], oL = rL >= 0 ? fl->omega[rL * ns + i] : 0;
      if (oK == 0 || (rL >= 0 && oL == 0) || (rL < 0 && !disc->cHasValue[i * nfc + f])) continue; /* absent, or blocking */
      disc->trans[i * nfc + f] = NppTransmissibility(fc->area, oK, fc->dK, oL, fc->dL) / Ld;
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode SetUpReconstructions(MPI_Comm comm, const NppModel *model, NppDisc *disc)
{
  NppFVGeom        g  = disc->geom;
  const NppFields *fl = &model->fld;
  const PetscInt   ns = model->phys.nspecies, nc = g->ncells;
  PetscReal       *coef, *scale;
  PetscBool       *wall;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc2(nc, &coef, nc, &scale));
  /* the potential: weighted by what carries its flux (permittivity or conductivity) */
  for (PetscInt c = 0; c < nc; c++) coef[c] = model->phys.electroneutral ? model->mat[disc->cellRegion[c]].conductivity : fl->eps[disc->cellRegion[c]];
  /* walls: no potential given, not an electrode, no species exchanged: the normal derivative of
     the potential vanishes there (no current; in the Poisson model no surface charge) */
  PetscCall(PetscMalloc1(g->nfaces, &wall));
  for (PetscInt f = 0; f < g->nfaces; f++) {
    wall[f] = (PetscBool)(g->faces[f].L < 0 && !disc->phiHasValue[f] && disc->faceElectrode[f] < 0);
    for (PetscInt i = 0; i < ns; i++) wall[f] = (PetscBool)(wall[f] && !disc->cHasValue[i * g->nfaces + f] && !disc->cHasFlux[i * g->nfaces + f]);
  }
  PetscCall(NppFaceReconCreate(g, disc->cellRegion, coef, NULL, disc->phiHasValue, wall, disc->correct, disc->correctMinOrtho, &disc->reconPhi));
  disc->nfallback    = disc->reconPhi->nfallback;
  disc->nuncorrected = disc->reconPhi->nuncorrected;
  /* species whose concentration varies (a field, or fixed by neutrality from fields): their
     electrochemical potential eta = ln ct + psi, continuous across interfaces at equilibrium;
     boundary points where both the concentration and the potential are given */
  {
    PetscBool *has;
    PetscCall(PetscMalloc1(g->nfaces, &has));
    for (PetscInt i = 0; i < ns; i++) {
      PetscBool varies = PETSC_FALSE;
      for (PetscInt r = 0; r < model->nregions; r++)
        for (PetscInt j = 0; j < fl->phi; j++) varies = (PetscBool)(varies || fl->A[(r * ns + i) * fl->nf + j] != 0.0);
      if (!varies) continue;
      for (PetscInt c = 0; c < nc; c++) coef[c] = fl->omega[disc->cellRegion[c] * ns + i];
      for (PetscInt f = 0; f < g->nfaces; f++) {
        const PetscBool reacts = (PetscBool)(disc->faceElectrode[f] >= 0 && model->bc[disc->faceElectrode[f]].electrodeSpecies == i);
        has[f]                 = (PetscBool)(disc->cHasValue[i * g->nfaces + f] && disc->phiHasValue[f] && disc->cValue[i * g->nfaces + f] > 0);
        /* blocked: zero flux, so the normal derivative of its electrochemical potential vanishes */
        wall[f] = (PetscBool)(g->faces[f].L < 0 && !disc->cHasValue[i * g->nfaces + f] && !disc->cHasFlux[i * g->nfaces + f] && !reacts);
      }
      PetscCall(NppFaceReconCreate(g, disc->cellRegion, coef, NULL, has, wall, disc->correct, disc->correctMinOrtho, &disc->recon[i]));
    }
    PetscCall(PetscFree(has));
  }
  PetscCall(PetscFree(wall));
  PetscCall(PetscFree2(coef, scale));
  {
    PetscInt loc[2] = {disc->nfallback, disc->nuncorrected}, glob[2];
    PetscCall(MPIU_Allreduce(loc, glob, 2, MPIU_INT, MPI_SUM, comm));
    disc->nfallback = glob[0], disc->nuncorrected = glob[1];
  }
  PetscFunctionReturn(0);
}

/* Without any fixed potential the potential is defined up to a constant: the potential row of
   global cell 0 becomes phi = 0. The dropped equation is implied by the others when the
   boundary fluxes carry no net charge (documented in docs/theory.md). */
static PetscErrorCode SetUpGauge(MPI_Comm comm, NppDisc *disc)
{
  NppFVGeom g   = disc->geom;
  PetscInt  has = 0, any;

  PetscFunctionBeginUser;
  for (PetscInt f = 0; f < g->nfaces; f++) has = has || ((disc->phiHasValue[f] || disc->faceElectrode[f] >= 0) && g->faces[f].active);
  PetscCall(MPIU_Allreduce(&has, &any, 1, MPIU_INT, MPI_MAX, comm));
  disc->pinRow = -1;
  disc->pinned = (PetscBool)!any;
  if (any) PetscFunctionReturn(0);
  for (PetscInt c = 0; c < g->ncells; c++)
    if (g->owned[c] && disc->cellRow[c] == 0) disc->pinRow = c;
  PetscFunctionReturn(0);
}

/* The walk's buffer for one face's sparse derivative, sized from the largest reconstruction
   stencil: per side an electrochemical-potential row (nf entries per stencil cell) or a cell's
   concentration (nf), a potential row, and one global unknown. */
static PetscErrorCode SetUpDerivativeBuffer(const NppModel *model, NppDisc *disc)
{
  const PetscInt nf = model->fld.nf, nrows = 2 * disc->geom->nfaces;
  PetscInt       S = 1;

  PetscFunctionBeginUser;
  for (PetscInt i = -1; i < model->phys.nspecies; i++) {
    const NppFaceRecon rc = i < 0 ? disc->reconPhi : disc->recon[i];
    for (PetscInt r = 0; rc && r < nrows; r++) S = PetscMax(S, rc->off[r + 1] - rc->off[r]);
  }
  disc->derivCap = 2 * S * (nf + 1) + 1;
  PetscCall(PetscMalloc3(disc->derivCap, &disc->derivCol, disc->derivCap, &disc->derivKey, disc->derivCap, &disc->derivVal));
  PetscCall(PetscMalloc1(nf * disc->geom->ncells + disc->nglobal, &disc->derivSlot));
  for (PetscInt k = 0; k < nf * disc->geom->ncells + disc->nglobal; k++) disc->derivSlot[k] = -1;
  PetscFunctionReturn(0);
}

/* Each electrode's faces whose cell this rank owns, once: the statistics and the output walk
   these lists. */
static PetscErrorCode SetUpElectrodeFaces(NppModel *model, const NppDisc *disc)
{
  NppFVGeom g = disc->geom;

  PetscFunctionBeginUser;
  for (PetscInt b = 0; b < model->nbc; b++) {
    NppBoundary *bc = &model->bc[b];
    bc->nfaces      = 0;
    if (!bc->electrode) continue;
    for (PetscInt f = 0; f < g->nfaces; f++) bc->nfaces += disc->faceElectrode[f] == b && g->owned[g->faces[f].K];
    PetscCall(PetscMalloc1(bc->nfaces, &bc->faces));
    bc->nfaces = 0;
    for (PetscInt f = 0; f < g->nfaces; f++)
      if (disc->faceElectrode[f] == b && g->owned[g->faces[f].K]) bc->faces[bc->nfaces++] = f;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppOperatorSetUp(Npp npp)
{
  NppFVGeom g  = npp->disc.geom;
  PetscInt  nf = npp->model.fld.nf, nown, rstart;

  PetscFunctionBeginUser;
  PetscCall(SetUpNumbering(npp));
  PetscCall(SetUpTransmissibilities(&npp->model, &npp->disc));
  PetscCall(SetUpReconstructions(npp->comm, &npp->model, &npp->disc));
  PetscCall(SetUpGauge(npp->comm, &npp->disc));
  PetscCall(NppEvaluationCreate(&npp->model, &npp->disc, &npp->ev));
  PetscCall(SetUpDerivativeBuffer(&npp->model, &npp->disc));
  PetscCall(SetUpElectrodeFaces(&npp->model, &npp->disc));
  if (!npp->disc.cellSource) PetscCall(PetscCalloc1(nf * g->ncells, &npp->disc.cellSource));
  npp->disc.symmetric = (PetscBool)(nf == 1 && npp->model.phys.electroneutral && (!npp->disc.correct || npp->disc.maxSkew < 1e-12));

  /* Jacobian pattern: count, then record, with the same walk that fills the values */
  PetscCall(NppInitialGuess(npp->comm, &npp->model, &npp->disc, npp->run.X));
  PetscCall(NppGlobalToLocal(npp->comm, &npp->disc, &npp->ev, npp->run.X, npp->run.Xloc, PETSC_TRUE));
  PetscCall(VecGetLocalSize(npp->run.X, &nown));
  PetscCall(VecGetOwnershipRange(npp->run.X, &rstart, NULL));
  PetscCall(NppOperatorPattern(npp, npp->run.Xloc, rstart, nown));
  PetscCall(MatCreate(npp->comm, &npp->run.J));
  PetscCall(MatSetSizes(npp->run.J, nown, nown, PETSC_DETERMINE, PETSC_DETERMINE));
  if (!npp->disc.nglobal) PetscCall(MatSetBlockSize(npp->run.J, nf));
  PetscCall(MatSetType(npp->run.J, MATAIJ));
  PetscCall(NppJacPatternPreallocate(&npp->disc.jac, npp->run.J));
  PetscCall(PetscMalloc1(npp->disc.jac.nslots, &npp->run.jacVal));
  PetscFunctionReturn(0);
}
