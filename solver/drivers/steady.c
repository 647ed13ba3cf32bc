/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "npp_log.h"

/* Steady solve: Newton with line search on the discrete operator; when it fails from the cold
   start (bulk concentrations, zero potential), continuation in the driving forces -- applied
   potentials, boundary fluxes and the offsets theta = mu0/RT + ln(c_bulk/cref) scaled by
   lambda = 0 -> 1; at lambda = 0 the bulk state is an exact equilibrium -- then in the Debye
   length (Poisson charge scaled by s -> 1: lambda_D / sqrt(s)). */

static PetscErrorCode FormFunction(SNES snes, Vec X, Vec F, void *ctx)
{
  Npp npp = (Npp)ctx;

  PetscFunctionBeginUser;
  PetscCall(PetscLogEventBegin(NPP_Residual, 0, 0, 0, 0));
  PetscCall(NppGlobalToLocal(npp->comm, &npp->disc, &npp->ev, X, npp->run.Xloc, PETSC_TRUE));
  PetscCall(NppOperatorEvaluate(npp, npp->run.Xloc, NULL, 0.0, F, NULL));
  PetscCall(PetscLogEventEnd(NPP_Residual, 0, 0, 0, 0));
  if (npp->ev.domainError) PetscCall(SNESSetFunctionDomainError(snes)); /* the line search steps back */
  PetscFunctionReturn(0);
}

static PetscErrorCode FormJacobian(SNES snes, Vec X, Mat J, Mat P, void *ctx)
{
  Npp npp = (Npp)ctx;

  PetscFunctionBeginUser;
  PetscCall(PetscLogEventBegin(NPP_Jacobian, 0, 0, 0, 0));
  PetscCall(NppGlobalToLocal(npp->comm, &npp->disc, &npp->ev, X, npp->run.Xloc, PETSC_TRUE));
  PetscCall(NppOperatorEvaluate(npp, npp->run.Xloc, NULL, 0.0, NULL, npp->run.jacVal));
  PetscCall(NppJacPatternSetValues(&npp->disc.jac, npp->run.jacVal, P));
  PetscCall(PetscLogEventEnd(NPP_Jacobian, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

PetscErrorCode NppSteadySetUp(Npp npp)
{
  KSP ksp;

  PetscFunctionBeginUser;
  PetscCall(SNESCreate(npp->comm, &npp->run.snes));
  {
    Vec F; /* shaped like X, which may hold global unknowns besides the DM's cells */
    PetscCall(VecDuplicate(npp->run.X, &F));
    PetscCall(SNESSetFunction(npp->run.snes, F, FormFunction, npp));
    PetscCall(VecDestroy(&F));
  }
  PetscCall(SNESSetJacobian(npp->run.snes, npp->run.J, npp->run.J, FormJacobian, npp));
  PetscCall(NppSNESTolerances(npp->run.snes));
  PetscCall(SNESGetKSP(npp->run.snes, &ksp));
  PetscCall(NppLinearSolverDefaults(npp->comm, &npp->model, &npp->disc, &npp->ev, &npp->run, npp->run.snes));
  PetscCall(SNESSetFromOptions(npp->run.snes));
  PetscCall(NppFieldSplitSetUp(&npp->model, &npp->disc, ksp));
  {
    SNESLineSearch ls;
    PetscCall(SNESGetLineSearch(npp->run.snes, &ls));
    PetscCall(SNESLineSearchSetPreCheck(ls, NppPositivityPreCheck, npp));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Attempt(NppRun *run, Vec X, PetscBool *ok)
{
  SNESConvergedReason reason;
  PetscInt            its, lits;

  PetscFunctionBeginUser;
  PetscCall(SNESSolve(run->snes, NULL, X));
  PetscCall(SNESGetConvergedReason(run->snes, &reason));
  PetscCall(SNESGetIterationNumber(run->snes, &its));
  PetscCall(SNESGetLinearSolveIterations(run->snes, &lits));
  run->snesIts += its, run->kspIts += lits;
  *ok = (PetscBool)(reason > 0);
  PetscFunctionReturn(0);
}

static PetscErrorCode NoteStr(NppRun *run, const char str[])
{
  PetscFunctionBeginUser;
  PetscCall(PetscStrlcat(run->continuation, str, sizeof run->continuation));
  PetscFunctionReturn(0);
}

static PetscErrorCode Note(NppRun *run, const char fmt[], double a)
{
  size_t n;

  PetscFunctionBeginUser;
  PetscCall(PetscStrlen(run->continuation, &n));
  PetscCall(PetscSNPrintf(run->continuation + n, sizeof run->continuation - n, fmt, a));
  PetscFunctionReturn(0);
}

/* Walks parameter *p from p0 to 1 (arithmetically or geometrically), halving the step on failure. */
static PetscErrorCode Continue(Npp npp, Vec X, PetscReal *p, PetscReal p0, PetscBool geometric, const char what[], PetscBool *ok)
{
  Vec       Xgood;
  PetscReal cur = p0, step = geometric ? 10.0 : 0.25;

  PetscFunctionBeginUser;
  PetscCall(VecDuplicate(X, &Xgood));
  PetscCall(NppInitialGuess(npp->comm, &npp->model, &npp->disc, X));
  *p = cur;
  PetscCall(Attempt(&npp->run, X, ok));
  PetscCall(PetscPrintf(npp->comm, "npp: continuation in %s: %g %s\n", what, (double)cur, *ok ? "converged" : "failed"));
  PetscCall(Note(&npp->run, "%g", (double)cur));
  if (!*ok) {
    PetscCall(VecDestroy(&Xgood));
    PetscFunctionReturn(0);
  }
  while (cur < 1.0) {
    const PetscReal next = PetscMin(1.0, geometric ? cur * step : cur + step);
    PetscCall(VecCopy(X, Xgood));
    *p = next;
    PetscCall(Attempt(&npp->run, X, ok));
    PetscCall(PetscPrintf(npp->comm, "npp: continuation in %s: %g %s\n", what, (double)next, *ok ? "converged" : "failed"));
    PetscCall(Note(&npp->run, *ok ? ", %g" : ", %g (failed)", (double)next));
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
  PetscCall(PetscStrncpy(npp->run.continuation, dflt, sizeof npp->run.continuation));
  PetscCall(NppInitialGuess(npp->comm, &npp->model, &npp->disc, npp->run.X));
  PetscCall(Attempt(&npp->run, npp->run.X, &ok));
  if (!ok) {
    PetscCall(PetscPrintf(npp->comm, "npp: Newton failed from the cold start; continuation in the driving forces (applied potentials, fluxes, mu0 jumps)\n"));
    npp->run.continuation[0] = 0;
    PetscCall(NoteStr(&npp->run, "driving forces "));
    PetscCall(Continue(npp, npp->run.X, &npp->ev.phiScale, 0.0, PETSC_FALSE, "driving forces", &ok));
    npp->ev.phiScale = 1.0;
  }
  if (!ok && !npp->model.phys.electroneutral) {
    PetscCall(PetscPrintf(npp->comm, "npp: continuation in the Debye length (Poisson charge x s, s -> 1)\n"));
    PetscCall(NoteStr(&npp->run, "; Debye length (charge scale) "));
    PetscCall(Continue(npp, npp->run.X, &npp->ev.chargeScale, 1e-6, PETSC_TRUE, "charge scale", &ok));
    npp->ev.chargeScale = 1.0;
  }
  {
    SNESConvergedReason reason;
    PetscCall(SNESGetConvergedReason(npp->run.snes, &reason));
    PetscCheck(ok, npp->comm, PETSC_ERR_NOT_CONVERGED, "the steady solver did not converge (%s; %d Newton and %d Krylov iterations in all; continuation: %s); rerun with -snes_monitor -ksp_converged_reason -snes_converged_reason to see why", SNESConvergedReasons[reason],
               (int)npp->run.snesIts, (int)npp->run.kspIts, npp->run.continuation);
  }
  PetscFunctionReturn(0);
}
