#include "npp.h"

/* Steady solve: Newton with line search on the discrete operator; when it fails from the cold
   start (bulk concentrations, zero potential), continuation in the driving forces -- applied
   potentials, boundary fluxes and the offsets theta = mu0/RT + ln(c_bulk/cref) scaled by
   lambda = 0 -> 1; at lambda = 0 the bulk state is an exact equilibrium -- then in the Debye
   length (Poisson charge scaled by s -> 1: lambda_D / sqrt(s)). */

static PetscErrorCode FormFunction(SNES snes, Vec X, Vec F, void *ctx)
{
  Npp npp = (Npp)ctx;

  PetscFunctionBeginUser;
  PetscCall(NppGlobalToLocal(npp, X, npp->Xloc, PETSC_TRUE));
  PetscCall(NppOperatorEvaluate(npp, npp->Xloc, NULL, 0.0, F, NULL));
  if (npp->domainError) PetscCall(SNESSetFunctionDomainError(snes)); /* the line search steps back */
  PetscFunctionReturn(0);
}

static PetscErrorCode FormJacobian(SNES snes, Vec X, Mat J, Mat P, void *ctx)
{
  Npp npp = (Npp)ctx;

  PetscFunctionBeginUser;
  PetscCall(NppGlobalToLocal(npp, X, npp->Xloc, PETSC_TRUE));
  PetscCall(NppOperatorEvaluate(npp, npp->Xloc, NULL, 0.0, NULL, npp->cooVal));
  PetscCall(MatSetValuesCOO(P, npp->cooVal, INSERT_VALUES));
  PetscFunctionReturn(0);
}

/* Newton steps keep every concentration positive (the scheme works with ln c): a species
   field that the step would lower by more than a third of its value is updated as its logarithm
   instead, u exp(-y/u), which is the linear update for small steps and stays positive. */
PetscErrorCode NppPositivityPreCheck(SNESLineSearch ls, Vec X, Vec Y, PetscBool *changed, void *ctx)
{
  Npp                npp = (Npp)ctx;
  NppFVGeom          g   = npp->geom;
  NppFields         *fl  = &npp->fld;
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
    const PetscInt     r  = npp->cellRegion[c];
    const PetscScalar *uc = &x[nf * npp->ownedPos[c]];
    PetscScalar       *yc = &y[nf * npp->ownedPos[c]];
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

/* Defaults that need no tuning (all overridable with -ksp_* / -pc_*): a potential-only problem
   is a diffusion operator: CG (symmetric) or right-preconditioned GMRES with GAMG. Coupled
   species and potential: a sparse direct solver (MUMPS) up to -solver_direct_max_unknowns
   (400 000 in 1-D and 2-D, 20 000 in 3-D, where fill-in makes LU slow: measured 112 s against
   6.5 s for GMRES + ASM on a 118 k-unknown 3-D composite), beyond that GMRES(200) with additive
   Schwarz / ILU (measured 1340 iterations per Newton step on a 2-D Poisson-resolved case, where
   LU takes 0.7 s: hence LU in 2-D). */
PetscErrorCode NppLinearSolverDefaults(Npp npp, KSP ksp)
{
  PC       pc;
  PetscInt N, maxDirect = npp->geom->dim < 3 ? 400000 : 20000;

  PetscFunctionBeginUser;
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-solver_direct_max_unknowns", &maxDirect, NULL));
  PetscCall(VecGetSize(npp->X, &N));
  if (npp->fld.nf == 1) {
    PetscCall(PCSetType(pc, PCGAMG));
    if (npp->symmetric) PetscCall(KSPSetType(ksp, KSPCG));
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
PetscErrorCode NppFieldSplitSetUp(Npp npp, KSP ksp)
{
  PC          pc;
  PetscBool   isfs;
  PetscInt   *ic, *ip, nc = 0, np = 0, rstart;
  IS          c, p;
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PetscObjectTypeCompare((PetscObject)pc, PCFIELDSPLIT, &isfs));
  if (!isfs || npp->fld.nf == 1) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  PetscCall(VecGetOwnershipRange(npp->X, &rstart, NULL));
  PetscCall(PetscMalloc2(npp->nlocalCells, &ic, npp->nlocalCells / npp->fld.nf + npp->nglobal, &ip));
  for (PetscInt k = 0; k < npp->nlocalCells; k++) {
    if (k % npp->fld.nf == npp->fld.phi) ip[np++] = rstart + k;
    else ic[nc++] = rstart + k;
  }
  for (PetscInt k = 0; k < npp->nglobal && rank == npp->globalOwner; k++) ip[np++] = npp->globalRow0 + k;
  PetscCall(ISCreateGeneral(npp->comm, nc, ic, PETSC_COPY_VALUES, &c));
  PetscCall(ISCreateGeneral(npp->comm, np, ip, PETSC_COPY_VALUES, &p));
  PetscCall(PCFieldSplitSetIS(pc, "c", c));
  PetscCall(PCFieldSplitSetIS(pc, "phi", p));
  PetscCall(ISDestroy(&c));
  PetscCall(ISDestroy(&p));
  PetscCall(PetscFree2(ic, ip));
  PetscFunctionReturn(0);
}

PetscErrorCode NppSteadySetUp(Npp npp)
{
  KSP ksp;

  PetscFunctionBeginUser;
  PetscCall(SNESCreate(npp->comm, &npp->snes));
  {
    Vec F; /* shaped like X, which may hold global unknowns besides the DM's cells */
    PetscCall(VecDuplicate(npp->X, &F));
    PetscCall(SNESSetFunction(npp->snes, F, FormFunction, npp));
    PetscCall(VecDestroy(&F));
  }
  PetscCall(SNESSetJacobian(npp->snes, npp->J, npp->J, FormJacobian, npp));
  PetscCall(NppSNESTolerances(npp->snes));
  PetscCall(SNESGetKSP(npp->snes, &ksp));
  PetscCall(NppLinearSolverDefaults(npp, ksp));
  PetscCall(SNESSetFromOptions(npp->snes));
  PetscCall(NppFieldSplitSetUp(npp, ksp));
  {
    SNESLineSearch ls;
    PetscCall(SNESGetLineSearch(npp->snes, &ls));
    PetscCall(SNESLineSearchSetPreCheck(ls, NppPositivityPreCheck, npp));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Attempt(Npp npp, Vec X, PetscBool *ok)
{
  SNESConvergedReason reason;
  PetscInt            its, lits;

  PetscFunctionBeginUser;
  PetscCall(SNESSolve(npp->snes, NULL, X));
  PetscCall(SNESGetConvergedReason(npp->snes, &reason));
  PetscCall(SNESGetIterationNumber(npp->snes, &its));
  PetscCall(SNESGetLinearSolveIterations(npp->snes, &lits));
  npp->snesIts += its, npp->kspIts += lits;
  *ok = (PetscBool)(reason > 0);
  PetscFunctionReturn(0);
}

static PetscErrorCode NoteStr(Npp npp, const char str[])
{
  PetscFunctionBeginUser;
  PetscCall(PetscStrlcat(npp->continuation, str, sizeof npp->continuation));
  PetscFunctionReturn(0);
}

static PetscErrorCode Note(Npp npp, const char fmt[], double a)
{
  size_t n;

  PetscFunctionBeginUser;
  PetscCall(PetscStrlen(npp->continuation, &n));
  PetscCall(PetscSNPrintf(npp->continuation + n, sizeof npp->continuation - n, fmt, a));
  PetscFunctionReturn(0);
}

/* Walks parameter *p from p0 to 1 (arithmetically or geometrically), halving the step on failure. */
static PetscErrorCode Continue(Npp npp, Vec X, PetscReal *p, PetscReal p0, PetscBool geometric, const char what[], PetscBool *ok)
{
  Vec       Xgood;
  PetscReal cur = p0, step = geometric ? 10.0 : 0.25;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(X, &Xgood));
  PetscCall(NppInitialGuess(npp, X));
  *p = cur;
  PetscCall(Attempt(npp, X, ok));
  PetscCall(PetscPrintf(npp->comm, "npp: continuation in %s: %g %s\n", what, (double)cur, *ok ? "converged" : "failed"));
  PetscCall(Note(npp, "%g", (double)cur));
  if (!*ok) {
    PetscCall(VecDestroy(&Xgood));
    PetscFunctionReturn(0);
  }
  while (cur < 1.0) {
    const PetscReal next = PetscMin(1.0, geometric ? cur * step : cur + step);
    PetscCall(VecCopy(X, Xgood));
    *p = next;
    PetscCall(Attempt(npp, X, ok));
    PetscCall(PetscPrintf(npp->comm, "npp: continuation in %s: %g %s\n", what, (double)next, *ok ? "converged" : "failed"));
    PetscCall(Note(npp, *ok ? ", %g" : ", %g (failed)", (double)next));
    if (*ok) {
      cur  = next;
      step = geometric ? step * step : 1.5 * step;
      continue;
    }
    PetscCall(VecCopy(Xgood, X));
    step = geometric ? PetscSqrtReal(step) : 0.5 * step;
    if ((geometric && step < 1.05) || (!geometric && step < 1.0 / 256)) break;
  }
  *ok = (PetscBool)(cur >= 1.0);
  PetscCall(VecDestroy(&Xgood));
  PetscFunctionReturn(0);
}

PetscErrorCode NppSteadySolve(Npp npp)
{
  PetscBool ok;
  char      dflt[] = "none";

  PetscFunctionBeginUser;
  PetscCall(PetscStrncpy(npp->continuation, dflt, sizeof npp->continuation));
  PetscCall(NppInitialGuess(npp, npp->X));
  PetscCall(Attempt(npp, npp->X, &ok));
  if (!ok) {
    PetscCall(PetscPrintf(npp->comm, "npp: Newton failed from the cold start; continuation in the driving forces (applied potentials, fluxes, mu0 jumps)\n"));
    npp->continuation[0] = 0;
    PetscCall(NoteStr(npp, "driving forces "));
    PetscCall(Continue(npp, npp->X, &npp->phiScale, 0.0, PETSC_FALSE, "driving forces", &ok));
    npp->phiScale = 1.0;
  }
  if (!ok && !npp->phys.electroneutral) {
    PetscCall(PetscPrintf(npp->comm, "npp: continuation in the Debye length (Poisson charge x s, s -> 1)\n"));
    PetscCall(NoteStr(npp, "; Debye length (charge scale) "));
    PetscCall(Continue(npp, npp->X, &npp->chargeScale, 1e-6, PETSC_TRUE, "charge scale", &ok));
    npp->chargeScale = 1.0;
  }
  {
    SNESConvergedReason reason;
    PetscCall(SNESGetConvergedReason(npp->snes, &reason));
    PetscCheck(ok, npp->comm, PETSC_ERR_NOT_CONVERGED, "the steady solver did not converge (%s; %d Newton and %d Krylov iterations in all; continuation: %s); rerun with -snes_monitor -ksp_converged_reason -snes_converged_reason to see why", SNESConvergedReasons[reason], (int)npp->snesIts, (int)npp->kspIts, npp->continuation);
  }
  PetscFunctionReturn(0);
}
