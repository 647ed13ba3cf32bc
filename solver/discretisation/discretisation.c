#include "npp.h"
#include "fv_flux.h"

/* Set-up of the discrete operator: dof numbering (nf interlaced fields per cell), face
   transmissibilities, the per-field reconstructions of the non-orthogonal correction, the
   potential gauge, and the Jacobian's sparsity pattern (operator.c). */

static PetscErrorCode SetUpNumbering(Npp npp)
{
  NppFVGeom    g  = npp->geom;
  PetscInt     nf = npp->fld.nf;
  PetscSection s, gs;
  PetscInt     rstart;

  PetscFunctionBeginUser;
  PetscCall(PetscSectionCreate(npp->comm, &s));
  PetscCall(PetscSectionSetChart(s, g->cStart, g->cStart + g->ncells));
  for (PetscInt c = 0; c < g->ncells; c++) PetscCall(PetscSectionSetDof(s, g->cStart + c, nf));
  PetscCall(PetscSectionSetUp(s));
  PetscCall(DMSetLocalSection(npp->dm, s));
  PetscCall(PetscSectionDestroy(&s));
  PetscCall(DMCreateGlobalVector(npp->dm, &npp->Xcells));
  PetscCall(VecGetLocalSize(npp->Xcells, &npp->nlocalCells));
  PetscCall(VecGetOwnershipRange(npp->Xcells, &rstart, NULL));
  PetscCall(VecGetSize(npp->Xcells, &npp->globalCells));
  npp->globalRow0 = npp->globalCells;
  npp->globalCells /= nf;
  if (!npp->nglobal) {
    PetscCall(VecDuplicate(npp->Xcells, &npp->X));
    PetscCall(VecSetBlockSize(npp->X, nf));
  } else { /* the global unknowns close the last rank's part */
    PetscMPIInt rank, size;
    PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
    PetscCallMPI(MPI_Comm_size(npp->comm, &size));
    npp->globalOwner = size - 1;
    PetscCall(VecCreateMPI(npp->comm, npp->nlocalCells + (rank == npp->globalOwner ? npp->nglobal : 0), PETSC_DETERMINE, &npp->X));
  }
  PetscCall(PetscObjectSetName((PetscObject)npp->X, "solution"));
  PetscCall(DMCreateLocalVector(npp->dm, &npp->Xloc));
  PetscCall(VecDuplicate(npp->Xloc, &npp->Xdotloc));
  PetscCall(DMGetGlobalSection(npp->dm, &gs));
  PetscCall(PetscMalloc2(g->ncells, &npp->cellRow, g->ncells, &npp->ownedPos));
  for (PetscInt c = 0; c < g->ncells; c++) {
    PetscInt off;
    PetscCall(PetscSectionGetOffset(gs, g->cStart + c, &off));
    npp->cellRow[c]  = off >= 0 ? off : -(off + 1);
    npp->ownedPos[c] = off >= 0 ? (off - rstart) / nf : -1;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppGlobalToLocal(Npp npp, Vec X, Vec Xloc, PetscBool globals)
{
  const PetscScalar *x;
  PetscMPIInt        rank;

  PetscFunctionBeginUser;
  if (!npp->nglobal) {
    PetscCall(DMGlobalToLocal(npp->dm, X, INSERT_VALUES, Xloc));
    PetscFunctionReturn(0);
  }
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecPlaceArray(npp->Xcells, x));
  PetscCall(DMGlobalToLocal(npp->dm, npp->Xcells, INSERT_VALUES, Xloc));
  PetscCall(VecResetArray(npp->Xcells));
  if (globals) {
    PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
    if (rank == npp->globalOwner)
      for (PetscInt k = 0; k < npp->nglobal; k++) npp->globalValue[k] = PetscRealPart(x[npp->nlocalCells + k]);
    PetscCallMPI(MPI_Bcast(npp->globalValue, (PetscMPIInt)npp->nglobal, MPIU_REAL, npp->globalOwner, npp->comm));
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscFunctionReturn(0);
}

static PetscErrorCode SetUpTransmissibilities(Npp npp)
{
  NppFVGeom       g  = npp->geom;
  NppFields      *fl = &npp->fld;
  const PetscInt  ns = npp->phys.nspecies, nfc = g->nfaces;
  const PetscReal Ld = PetscPowReal(npp->phys.Lref, g->dim - 2);

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc2(nfc, &npp->transPhi, ns * nfc, &npp->trans));
  for (PetscInt f = 0; f < nfc; f++) {
    const NppFace *fc = &g->faces[f];
    const PetscInt rK = npp->cellRegion[fc->K], rL = fc->L >= 0 ? npp->cellRegion[fc->L] : -1;
    if (!npp->phys.electroneutral && (rL >= 0 || npp->phiHasValue[f])) npp->transPhi[f] = NppTransmissibility(fc->area, fl->eps[rK], fc->dK, rL >= 0 ? fl->eps[rL] : 0, fc->dL) / Ld;
    for (PetscInt i = 0; i < ns; i++) {
      const PetscReal oK = fl->omega[rK * ns + i], oL = rL >= 0 ? fl->omega[rL * ns + i] : 0;
      if (oK == 0 || (rL >= 0 && oL == 0) || (rL < 0 && !npp->cHasValue[i * nfc + f])) continue; /* absent, or blocking */
      npp->trans[i * nfc + f] = NppTransmissibility(fc->area, oK, fc->dK, oL, fc->dL) / Ld;
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode SetUpReconstructions(Npp npp)
{
  NppFVGeom       g  = npp->geom;
  NppFields      *fl = &npp->fld;
  const PetscInt  ns = npp->phys.nspecies, nc = g->ncells;
  PetscReal      *coef, *scale;
  PetscBool      *wall;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc2(nc, &coef, nc, &scale));
  /* the potential: weighted by what carries its flux (permittivity or conductivity) */
  for (PetscInt c = 0; c < nc; c++) coef[c] = npp->phys.electroneutral ? npp->mat[npp->cellRegion[c]].conductivity : fl->eps[npp->cellRegion[c]];
  /* walls: no potential given, not an electrode, no species exchanged: the normal derivative of
     the potential vanishes there (no current; in the Poisson model no surface charge) */
  PetscCall(PetscMalloc1(g->nfaces, &wall));
  for (PetscInt f = 0; f < g->nfaces; f++) {
    wall[f] = (PetscBool)(g->faces[f].L < 0 && !npp->phiHasValue[f] && npp->faceElectrode[f] < 0);
    for (PetscInt i = 0; i < ns; i++) wall[f] = (PetscBool)(wall[f] && !npp->cHasValue[i * g->nfaces + f] && !npp->cHasFlux[i * g->nfaces + f]);
  }
  PetscCall(NppFaceReconCreate(g, npp->cellRegion, coef, NULL, npp->phiHasValue, wall, npp->correct, npp->correctMinOrtho, &npp->reconPhi));
  npp->nfallback    = npp->reconPhi->nfallback;
  npp->nuncorrected = npp->reconPhi->nuncorrected;
  /* species whose concentration varies (a field, or fixed by neutrality from fields): their
     electrochemical potential eta = ln ct + psi, continuous across interfaces at equilibrium;
     boundary points where both the concentration and the potential are given */
  {
    PetscBool *has;
    PetscCall(PetscMalloc1(g->nfaces, &has));
    for (PetscInt i = 0; i < ns; i++) {
      PetscBool varies = PETSC_FALSE;
      for (PetscInt r = 0; r < npp->nregions; r++)
        for (PetscInt j = 0; j < fl->phi; j++) varies = (PetscBool)(varies || fl->A[(r * ns + i) * fl->nf + j] != 0.0);
      if (!varies) continue;
      for (PetscInt c = 0; c < nc; c++) coef[c] = fl->omega[npp->cellRegion[c] * ns + i];
      for (PetscInt f = 0; f < g->nfaces; f++) {
        const PetscBool reacts = (PetscBool)(npp->faceElectrode[f] >= 0 && npp->bc[npp->faceElectrode[f]].electrodeSpecies == i);
        has[f]  = (PetscBool)(npp->cHasValue[i * g->nfaces + f] && npp->phiHasValue[f] && npp->cValue[i * g->nfaces + f] > 0);
        /* blocked: zero flux, so the normal derivative of its electrochemical potential vanishes */
        wall[f] = (PetscBool)(g->faces[f].L < 0 && !npp->cHasValue[i * g->nfaces + f] && !npp->cHasFlux[i * g->nfaces + f] && !reacts);
      }
      PetscCall(NppFaceReconCreate(g, npp->cellRegion, coef, NULL, has, wall, npp->correct, npp->correctMinOrtho, &npp->recon[i]));
    }
    PetscCall(PetscFree(has));
  }
  PetscCall(PetscFree(wall));
  PetscCall(PetscFree2(coef, scale));
  {
    PetscInt loc[2] = {npp->nfallback, npp->nuncorrected}, glob[2];
    PetscCall(MPIU_Allreduce(loc, glob, 2, MPIU_INT, MPI_SUM, npp->comm));
    npp->nfallback = glob[0], npp->nuncorrected = glob[1];
  }
  PetscFunctionReturn(0);
}

/* Without any fixed potential the potential is defined up to a constant: the potential row of
   global cell 0 becomes phi = 0. The dropped equation is implied by the others when the
   boundary fluxes carry no net charge (documented in docs/theory.md). */
static PetscErrorCode SetUpGauge(Npp npp)
{
  NppFVGeom g   = npp->geom;
  PetscInt  has = 0, any;

  PetscFunctionBeginUser;
  for (PetscInt f = 0; f < g->nfaces; f++) has = has || ((npp->phiHasValue[f] || npp->faceElectrode[f] >= 0) && g->faces[f].active);
  PetscCall(MPIU_Allreduce(&has, &any, 1, MPIU_INT, MPI_MAX, npp->comm));
  npp->pinRow = -1;
  npp->pinned = (PetscBool)!any;
  if (any) PetscFunctionReturn(0);
  for (PetscInt c = 0; c < g->ncells; c++)
    if (g->owned[c] && npp->cellRow[c] == 0) npp->pinRow = c;
  PetscFunctionReturn(0);
}

/* The walk's buffer for one face's sparse derivative, sized from the largest reconstruction
   stencil: per side an electrochemical-potential row (nf entries per stencil cell) or a cell's
   concentration (nf), a potential row, and one global unknown. */
static PetscErrorCode SetUpDerivativeBuffer(Npp npp)
{
  const PetscInt nf = npp->fld.nf, nrows = 2 * npp->geom->nfaces;
  PetscInt       S  = 1;

  PetscFunctionBeginUser;
  for (PetscInt i = -1; i < npp->phys.nspecies; i++) {
    const NppFaceRecon rc = i < 0 ? npp->reconPhi : npp->recon[i];
    for (PetscInt r = 0; rc && r < nrows; r++) S = PetscMax(S, rc->off[r + 1] - rc->off[r]);
  }
  npp->derivCap = 2 * S * (nf + 1) + 1;
  PetscCall(PetscMalloc2(npp->derivCap, &npp->derivCol, npp->derivCap, &npp->derivVal));
  PetscFunctionReturn(0);
}

/* Each electrode's faces whose cell this rank owns, once: the statistics and the output walk
   these lists. */
static PetscErrorCode SetUpElectrodeFaces(Npp npp)
{
  NppFVGeom g = npp->geom;

  PetscFunctionBeginUser;
  for (PetscInt b = 0; b < npp->nbc; b++) {
    NppBoundary *bc = &npp->bc[b];
    bc->nfaces      = 0;
    if (!bc->electrode) continue;
    for (PetscInt f = 0; f < g->nfaces; f++) bc->nfaces += npp->faceElectrode[f] == b && g->owned[g->faces[f].K];
    PetscCall(PetscMalloc1(bc->nfaces, &bc->faces));
    bc->nfaces = 0;
    for (PetscInt f = 0; f < g->nfaces; f++)
      if (npp->faceElectrode[f] == b && g->owned[g->faces[f].K]) bc->faces[bc->nfaces++] = f;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppOperatorSetUp(Npp npp)
{
  NppFVGeom  g  = npp->geom;
  PetscInt   nf = npp->fld.nf, nown;
  PetscInt  *ci, *cj;

  PetscFunctionBeginUser;
  PetscCall(SetUpNumbering(npp));
  PetscCall(SetUpTransmissibilities(npp));
  PetscCall(SetUpReconstructions(npp));
  PetscCall(SetUpGauge(npp));
  PetscCall(NppEvaluationCreate(npp));
  PetscCall(SetUpDerivativeBuffer(npp));
  PetscCall(SetUpElectrodeFaces(npp));
  if (!npp->cellSource) PetscCall(PetscCalloc1(nf * g->ncells, &npp->cellSource));
  npp->symmetric = (PetscBool)(nf == 1 && npp->phys.electroneutral && (!npp->correct || npp->maxSkew < 1e-12));

  /* Jacobian pattern: count, then record, with the same walk that fills the values */
  PetscCall(NppInitialGuess(npp, npp->X));
  PetscCall(NppGlobalToLocal(npp, npp->X, npp->Xloc, PETSC_TRUE));
  PetscCall(NppOperatorPattern(npp, npp->Xloc, &npp->ncoo, NULL, NULL));
  PetscCall(PetscMalloc2(npp->ncoo, &ci, npp->ncoo, &cj));
  PetscCall(PetscMalloc1(npp->ncoo, &npp->cooVal));
  PetscCall(NppOperatorPattern(npp, npp->Xloc, &npp->ncoo, ci, cj));
  PetscCall(VecGetLocalSize(npp->X, &nown));
  PetscCall(MatCreate(npp->comm, &npp->J));
  PetscCall(MatSetSizes(npp->J, nown, nown, PETSC_DETERMINE, PETSC_DETERMINE));
  if (!npp->nglobal) PetscCall(MatSetBlockSize(npp->J, nf));
  PetscCall(MatSetType(npp->J, MATAIJ));
  PetscCall(MatSetPreallocationCOO(npp->J, npp->ncoo, ci, cj));
  PetscCall(PetscFree2(ci, cj));
  PetscFunctionReturn(0);
}
