#include "npp.h"
#include "fv_flux.h"

/* Steady conduction div(sigma grad phi) + f = 0, the electroneutral single-ion limit of NPP.
   Cell-centred finite volumes: the flux through face f from K to L is
     q_f = T_f (phi_K' - phi_L'),  T_f = A / (dK/sigma_K + dL/sigma_L),
   where phi' are the values reconstructed at the two points on the face normal line
   (fvrecon.c); on an orthogonal mesh phi' = phi and this is the classic two-point flux.
   The operator is linear, so its Jacobian is assembled once, in COO form, in face order. */

PetscErrorCode NppConductionFaceFlux(Npp npp, const PetscReal u[], PetscReal q[])
{
  NppFVGeom g = npp->geom;

  PetscFunctionBeginUser;
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace *fc = &g->faces[f];
    q[f]              = 0;
    if (!fc->active || (fc->L < 0 && !npp->faceHasValue[f])) continue;
    const PetscReal pK = NppFaceReconApply(npp->recon, 2 * f, u, g->ncells, npp->faceValue);
    const PetscReal pL = NppFaceReconApply(npp->recon, 2 * f + 1, u, g->ncells, npp->faceValue);
    q[f]               = npp->faceTrans[f] * (pK - pL);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode FormFunction(SNES snes, Vec X, Vec F, void *ctx)
{
  Npp                npp = (Npp)ctx;
  NppFVGeom          g   = npp->geom;
  const PetscScalar *u;
  PetscScalar       *r;
  PetscReal         *q = npp->faceFlux;

  PetscFunctionBeginUser;
  PetscCall(DMGlobalToLocal(npp->dm, X, INSERT_VALUES, npp->Xloc));
  PetscCall(VecGetArrayRead(npp->Xloc, &u));
  PetscCall(VecGetArray(F, &r));
  PetscCall(NppConductionFaceFlux(npp, u, q));
  for (PetscInt c = 0; c < g->ncells; c++)
    if (g->owned[c]) r[npp->ownedPos[c]] = -npp->cellSource[c] * g->volume[c];
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace *fc = &g->faces[f];
    if (q[f] == 0) continue;
    if (g->owned[fc->K]) r[npp->ownedPos[fc->K]] += q[f];
    if (fc->L >= 0 && g->owned[fc->L]) r[npp->ownedPos[fc->L]] -= q[f];
  }
  PetscCall(VecRestoreArray(F, &r));
  PetscCall(VecRestoreArrayRead(npp->Xloc, &u));
  PetscFunctionReturn(0);
}

static PetscErrorCode FormJacobian(SNES snes, Vec X, Mat J, Mat P, void *ctx)
{
  Npp npp = (Npp)ctx;

  PetscFunctionBeginUser;
  PetscCall(MatSetValuesCOO(P, npp->cooVal, INSERT_VALUES));
  PetscFunctionReturn(0);
}

/* Visits every Jacobian entry of the flux of active face f: d q_f / d u_col, added to row K and
   subtracted from row L. With i, j NULL it only counts. */
static PetscCount FaceEntries(Npp npp, PetscInt f, PetscInt *i, PetscInt *j, PetscReal *v)
{
  NppFVGeom      g  = npp->geom;
  NppFaceRecon   rc = npp->recon;
  const NppFace *fc = &g->faces[f];
  PetscCount     n  = 0;

  if (fc->L < 0 && !npp->faceHasValue[f]) return 0; /* insulating */
  for (PetscInt side = 0; side < 2; side++) {
    const PetscInt row = side ? fc->L : fc->K;
    if (row < 0 || !g->owned[row]) continue;
    for (PetscInt part = 0; part < 2; part++) { /* q = T (u_K' - u_L') */
      const PetscReal s = (side ? -1.0 : 1.0) * (part ? -1.0 : 1.0) * npp->faceTrans[f];
      for (PetscInt k = rc->off[2 * f + part]; k < rc->off[2 * f + part + 1]; k++) {
        if (rc->idx[k] >= g->ncells) continue; /* boundary value: no unknown */
        if (i) i[n] = npp->cellRow[row], j[n] = npp->cellRow[rc->idx[k]], v[n] = s * rc->w[k];
        n++;
      }
    }
  }
  return n;
}

static PetscErrorCode SetUpNumbering(Npp npp)
{
  NppFVGeom    g = npp->geom;
  PetscSection s, gs;
  PetscInt     rstart;

  PetscFunctionBeginUser;
  PetscCall(PetscSectionCreate(npp->comm, &s));
  PetscCall(PetscSectionSetNumFields(s, 1));
  PetscCall(PetscSectionSetFieldName(s, 0, "potential"));
  PetscCall(PetscSectionSetChart(s, g->cStart, g->cStart + g->ncells));
  for (PetscInt c = 0; c < g->ncells; c++) {
    PetscCall(PetscSectionSetDof(s, g->cStart + c, 1));
    PetscCall(PetscSectionSetFieldDof(s, g->cStart + c, 0, 1));
  }
  PetscCall(PetscSectionSetUp(s));
  PetscCall(DMSetLocalSection(npp->dm, s));
  PetscCall(PetscSectionDestroy(&s));
  PetscCall(DMCreateGlobalVector(npp->dm, &npp->X));
  PetscCall(PetscObjectSetName((PetscObject)npp->X, "potential"));
  PetscCall(DMCreateLocalVector(npp->dm, &npp->Xloc));
  PetscCall(VecGetOwnershipRange(npp->X, &rstart, NULL));
  PetscCall(VecGetSize(npp->X, &npp->globalCells));
  PetscCall(DMGetGlobalSection(npp->dm, &gs));
  PetscCall(PetscMalloc2(g->ncells, &npp->cellRow, g->ncells, &npp->ownedPos));
  for (PetscInt c = 0; c < g->ncells; c++) {
    PetscInt off;
    PetscCall(PetscSectionGetOffset(gs, g->cStart + c, &off));
    npp->cellRow[c]  = off >= 0 ? off : -(off + 1);
    npp->ownedPos[c] = off >= 0 ? off - rstart : -1;
  }
  PetscFunctionReturn(0);
}

/* The Jacobian, the exact corrected operator, as one COO matrix in face order. */
static PetscErrorCode SetUpJacobian(Npp npp)
{
  NppFVGeom  g = npp->geom;
  PetscInt  *ci, *cj, nown;
  PetscCount n = 0;

  PetscFunctionBeginUser;
  for (PetscInt f = 0; f < g->nfaces; f++) n += FaceEntries(npp, f, NULL, NULL, NULL);
  npp->ncoo = n;
  PetscCall(PetscMalloc2(n, &ci, n, &cj));
  PetscCall(PetscMalloc1(n, &npp->cooVal));
  n = 0;
  for (PetscInt f = 0; f < g->nfaces; f++) n += FaceEntries(npp, f, ci + n, cj + n, npp->cooVal + n);
  PetscCall(VecGetLocalSize(npp->X, &nown));
  PetscCall(MatCreate(npp->comm, &npp->J));
  PetscCall(MatSetSizes(npp->J, nown, nown, npp->globalCells, npp->globalCells));
  PetscCall(MatSetType(npp->J, MATAIJ));
  PetscCall(MatSetPreallocationCOO(npp->J, n, ci, cj));
  PetscCall(PetscFree2(ci, cj));
  PetscFunctionReturn(0);
}

PetscErrorCode NppConductionSetUp(Npp npp)
{
  NppFVGeom g = npp->geom;
  KSP       ksp;
  PC        pc;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc2(g->nfaces, &npp->faceTrans, g->nfaces, &npp->faceFlux));
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace  *fc = &g->faces[f];
    const PetscReal sK = npp->mat[npp->cellRegion[fc->K]].conductivity;
    const PetscReal sL = fc->L >= 0 ? npp->mat[npp->cellRegion[fc->L]].conductivity : sK;
    npp->faceTrans[f]  = NppTransmissibility(fc->area, sK, fc->dK, sL, fc->dL);
  }
  {
    PetscReal *sigma;
    PetscCall(PetscMalloc1(g->ncells, &sigma));
    for (PetscInt c = 0; c < g->ncells; c++) sigma[c] = npp->mat[npp->cellRegion[c]].conductivity;
    PetscCall(NppFaceReconCreate(g, npp->cellRegion, sigma, npp->faceHasValue, npp->correct, npp->correctMinOrtho, &npp->recon));
    PetscCall(PetscFree(sigma));
  }
  {
    PetscInt loc[2] = {npp->recon->nfallback, npp->recon->nuncorrected}, glob[2];
    PetscCall(MPIU_Allreduce(loc, glob, 2, MPIU_INT, MPI_SUM, npp->comm));
    npp->nfallback = glob[0], npp->nuncorrected = glob[1];
  }
  npp->symmetric = (PetscBool)(!npp->correct || npp->maxSkew < 1e-12);
  PetscCall(SetUpNumbering(npp));
  PetscCall(SetUpJacobian(npp));

  PetscCall(SNESCreate(npp->comm, &npp->snes));
  PetscCall(SNESSetDM(npp->snes, npp->dm));
  PetscCall(SNESSetFunction(npp->snes, NULL, FormFunction, npp));
  PetscCall(SNESSetJacobian(npp->snes, npp->J, npp->J, FormJacobian, npp));
  PetscCall(SNESSetTolerances(npp->snes, 1e-50, 1e-9, 0.0, 20, 1000));
  PetscCall(SNESGetKSP(npp->snes, &ksp));
  /* Defaults (all overridable): CG + GAMG where the operator is symmetric; else GMRES(100) +
     GAMG, right-preconditioned so that the convergence test sees the true residual. */
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCGAMG));
  if (npp->symmetric) PetscCall(KSPSetType(ksp, KSPCG));
  else {
    PetscCall(KSPSetType(ksp, KSPGMRES));
    PetscCall(KSPSetPCSide(ksp, PC_RIGHT));
    PetscCall(KSPGMRESSetRestart(ksp, 100));
  }
  PetscCall(KSPSetTolerances(ksp, 1e-11, 1e-50, PETSC_DEFAULT, 1000));
  PetscCall(SNESSetFromOptions(npp->snes));
  PetscFunctionReturn(0);
}
