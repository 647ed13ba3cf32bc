/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"

/* What the steady and transient drivers share: positivity-keeping Newton steps, the Newton
   stopping test and the default linear solvers (docs/theory.md, "Solver"). */

/* Newton steps keep every concentration positive (the scheme works with ln c): a species
   field that the step would lower by more than a third of its value is updated as its logarithm
   instead, u exp(-y/u), which is the linear update for small steps and stays positive. */
PetscErrorCode NppPositivityPreCheck(SNESLineSearch ls, Vec X, Vec Y, PetscBool *changed, void *ctx)
{
  Npp                npp = (Npp)ctx;
  NppFVGeom          g   = npp->disc.geom;
  NppFields         *fl  = &npp->model.fld;
  const PetscInt     nf  = fl->nf;
  const PetscScalar *x;
  PetscScalar       *y;
  PetscBool          any = PETSC_FALSE;

  PetscFunctionBeginUser;
  *changed = PETSC_FALSE;
  if (fl->phi == 0) PetscFunctionReturn(0);
  PetscCall(VecGetArrayRead(X, &x));
  PetscCall(VecGetArray(Y, &y));
  for (PetscInt c = 0; c < g->ncells; c++) {
    if (!g->owned[c]) continue;
    const PetscInt     r  = npp->disc.cellRegion[c];
    const PetscScalar *uc = &x[nf * npp->disc.ownedPos[c]];
    PetscScalar       *yc = &y[nf * npp->disc.ownedPos[c]];
    for (PetscInt f = 0; f < fl->phi; f++) {
      if (fl->row[r * nf + f] == NPP_ROW_ZERO || !(uc[f] > 0)) continue;
      if (yc[f] > uc[f] / 3) yc[f] = uc[f] * (1 - PetscExpReal(-yc[f] / uc[f])), any = PETSC_TRUE; /* x_new = x - y */
    }
  }
  PetscCall(VecRestoreArray(Y, &y));
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(MPIU_Allreduce(&any, changed, 1, MPIU_BOOL, MPI_LOR, npp->comm));
  PetscFunctionReturn(0);
}

/* Newton stops when the scaled residual is below 1e-12 or 1e-9 of its initial value -- or, near
   a steady state, where the residual floors at round-off (measured ~1.1e-12 in cases/dendrite at
   5 A/m^2) and no line search can reduce it further, when it is below 1e-10 and the update is
   below 1e-12 of the solution. (A plain relative step test would also stop far from a solution
   when the potential is large in units of V_T.) */
static PetscErrorCode Converged(SNES snes, PetscInt it, PetscReal xnorm, PetscReal ynorm, PetscReal fnorm, SNESConvergedReason *reason, void *ctx)
{
  PetscFunctionBeginUser;
  PetscCall(SNESConvergedDefault(snes, it, xnorm, ynorm, fnorm, reason, ctx));
  if (*reason == SNES_CONVERGED_ITERATING && it > 0 && fnorm < 1e-10 && ynorm < 1e-12 * xnorm) *reason = SNES_CONVERGED_SNORM_RELATIVE;
  PetscFunctionReturn(0);
}

PetscErrorCode NppSNESTolerances(SNES snes)
{
  PetscFunctionBeginUser;
  PetscCall(SNESSetTolerances(snes, 1e-12, 1e-9, 0.0, 50, 10000));
  PetscCall(SNESSetConvergenceTest(snes, Converged, NULL, NULL));
  PetscFunctionReturn(0);
}

/* -solver_direct_max_unknowns (default 400 000 in 1-D and 2-D, 20 000 in 3-D; dim 0: unknown). */
PetscErrorCode NppSolverOptions(MPI_Comm comm, PetscInt dim, PetscInt *maxDirect)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(comm, "solver_", "Linear solver strategy (-solver_*)", NULL);
  PetscCall(PetscOptionsInt("-direct_max_unknowns", "coupled problems up to this size use MUMPS LU by default (default 400000; 20000 in 3-D)", "-", *maxDirect, maxDirect, NULL));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/* Defaults that need no tuning (all overridable with -ksp_* / -pc_*): a potential-only problem
   is a diffusion operator: CG (symmetric) or right-preconditioned GMRES with GAMG. Coupled
   species and potential: a sparse direct solver (MUMPS) up to -solver_direct_max_unknowns
   (400 000 in 1-D and 2-D, 20 000 in 3-D, where fill-in makes LU slow: measured 112 s against
   6.5 s for GMRES + ASM on a 118 k-unknown 3-D composite), beyond that GMRES(200) with additive
   Schwarz / ILU (measured 1340 iterations per Newton step on a 2-D Poisson-resolved case, where
   LU takes 0.7 s: hence LU in 2-D). */
PetscErrorCode NppLinearSolverDefaults(MPI_Comm comm, const NppModel *model, const NppDisc *disc, Vec X, KSP ksp)
{
  PC       pc;
  PetscInt N, maxDirect = disc->geom->dim < 3 ? 400000 : 20000;

  PetscFunctionBeginUser;
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(NppSolverOptions(comm, disc->geom->dim, &maxDirect));
  PetscCall(VecGetSize(X, &N));
  if (model->fld.nf == 1) {
    PetscCall(PCSetType(pc, PCGAMG));
    if (disc->symmetric) PetscCall(KSPSetType(ksp, KSPCG));
    else {
      PetscCall(KSPSetType(ksp, KSPGMRES));
      PetscCall(KSPSetPCSide(ksp, PC_RIGHT));
      PetscCall(KSPGMRESSetRestart(ksp, 100));
    }
    PetscCall(KSPSetTolerances(ksp, 1e-11, 1e-50, PETSC_DEFAULT, 1000));
  } else if (N <= maxDirect) {
    PetscCall(KSPSetType(ksp, KSPPREONLY));
    PetscCall(PCSetType(pc, PCLU));
    PetscCall(PCFactorSetMatSolverType(pc, MATSOLVERMUMPS));
  } else {
    PetscCall(KSPSetType(ksp, KSPGMRES));
    PetscCall(KSPSetPCSide(ksp, PC_RIGHT));
    PetscCall(KSPGMRESSetRestart(ksp, 200));
    PetscCall(PCSetType(pc, PCASM));
    PetscCall(KSPSetTolerances(ksp, 1e-10, 1e-50, PETSC_DEFAULT, 2000));
  }
  PetscFunctionReturn(0);
}

/* With -pc_type fieldsplit: the split "c" holds the species unknowns, "phi" the potential and
   the global unknowns (electrode potentials), e.g.
   -pc_type fieldsplit -pc_fieldsplit_type multiplicative -fieldsplit_phi_pc_type gamg. */
PetscErrorCode NppFieldSplitSetUp(MPI_Comm comm, const NppModel *model, const NppDisc *disc, Vec X, KSP ksp)
{
  PC          pc;
  PetscBool   isfs;
  PetscInt   *ic, *ip, nc = 0, np = 0, rstart;
  IS          c, p;
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PetscObjectTypeCompare((PetscObject)pc, PCFIELDSPLIT, &isfs));
  if (!isfs || model->fld.nf == 1) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecGetOwnershipRange(X, &rstart, NULL));
  PetscCall(PetscMalloc2(disc->nlocalCells, &ic, disc->nlocalCells / model->fld.nf + disc->nglobal, &ip));
  for (PetscInt k = 0; k < disc->nlocalCells; k++) {
    if (k % model->fld.nf == model->fld.phi) ip[np++] = rstart + k;
    else ic[nc++] = rstart + k;
  }
  for (PetscInt k = 0; k < disc->nglobal && rank == disc->globalOwner; k++) ip[np++] = disc->globalRow0 + k;
  PetscCall(ISCreateGeneral(comm, nc, ic, PETSC_COPY_VALUES, &c));
  PetscCall(ISCreateGeneral(comm, np, ip, PETSC_COPY_VALUES, &p));
  PetscCall(PCFieldSplitSetIS(pc, "c", c));
  PetscCall(PCFieldSplitSetIS(pc, "phi", p));
  PetscCall(ISDestroy(&c));
  PetscCall(ISDestroy(&p));
  PetscCall(PetscFree2(ic, ip));
  PetscFunctionReturn(0);
}
