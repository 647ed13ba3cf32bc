#include "npp.h"
#include "npp_log.h"
#include <stdio.h>

/* Transient solve: TS on the DAE M u' + F(u) = 0 (species rows carry the mass term, the
   potential and constraint rows none). Backward Euler by default (-ts_type bdf for BDF2),
   adaptive steps on the species error (the algebraic potential is excluded from the error
   norm). Results at -time_output_times and every -time_output_every steps go into one
   time series. Options: -time_final (s; makes the run transient), -time_step (first step). */

static PetscErrorCode IFunction(TS ts, PetscReal t, Vec X, Vec Xdot, Vec F, void *ctx)
{
  Npp npp = (Npp)ctx;

  PetscFunctionBeginUser;
  npp->time = t;
  PetscCall(PetscLogEventBegin(NPP_Residual, 0, 0, 0, 0));
  PetscCall(NppGlobalToLocal(npp, X, npp->Xloc, PETSC_TRUE));
  PetscCall(NppGlobalToLocal(npp, Xdot, npp->Xdotloc, PETSC_FALSE));
  PetscCall(NppOperatorEvaluate(npp, npp->Xloc, npp->Xdotloc, 0.0, F, NULL));
  PetscCall(PetscLogEventEnd(NPP_Residual, 0, 0, 0, 0));
  if (npp->ev.domainError) { /* a non-positive concentration: the line search (or the step) backs off */
    SNES snes;
    PetscCall(TSGetSNES(ts, &snes));
    PetscCall(SNESSetFunctionDomainError(snes));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode IJacobian(TS ts, PetscReal t, Vec X, Vec Xdot, PetscReal shift, Mat J, Mat P, void *ctx)
{
  Npp npp = (Npp)ctx;

  PetscFunctionBeginUser;
  npp->time = t;
  PetscCall(PetscLogEventBegin(NPP_Jacobian, 0, 0, 0, 0));
  PetscCall(NppGlobalToLocal(npp, X, npp->Xloc, PETSC_TRUE));
  PetscCall(NppGlobalToLocal(npp, Xdot, npp->Xdotloc, PETSC_FALSE));
  PetscCall(NppOperatorEvaluate(npp, npp->Xloc, npp->Xdotloc, shift, NULL, npp->cooVal));
  PetscCall(MatSetValuesCOO(P, npp->cooVal, INSERT_VALUES));
  PetscCall(PetscLogEventEnd(NPP_Jacobian, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* A progress line on rank 0 (PetscPrintf) after the first step and then at most every
   -output_progress seconds of wall time (default 10; 0: off), so that long runs on many ranks
   report without flooding the log: step, simulated time and its share of the end time, step size,
   Newton and Krylov iterations of the step, and the wall time left at the average rate so far. */
static PetscErrorCode Progress(Npp npp, PetscReal t, PetscReal dt, PetscInt its, PetscInt lits)
{
  PetscLogDouble  now;
  const PetscReal tf = npp->outTimes[npp->nout - 1];

  PetscFunctionBeginUser;
  if (!(npp->progressInterval > 0)) PetscFunctionReturn(0);
  PetscCall(PetscTime(&now));
  if (npp->nsteps > 1 && now - npp->progressLast < npp->progressInterval) PetscFunctionReturn(0);
  npp->progressLast = now;
  {
    const double spent = now - npp->progressStart;
    char         line[256], eta[64] = "";
    /* the rate of the first percent (small steps after every start) says little about the rest */
    if (t > 0.01 * tf) snprintf(eta, sizeof eta, ", about %.0f s left", spent * (tf - t) / t);
    snprintf(line, sizeof line, "npp: step %d  t = %.4g s (%.1f %% of %.6g s)  dt %.3g s  Newton %d  Krylov %d  wall %.0f s%s\n", (int)npp->nsteps, (double)t, (double)(100 * t / tf), (double)tf, (double)dt, (int)its, (int)lits, spent, eta);
    PetscCall(PetscPrintf(npp->comm, "%s", line)); /* plain C formatting: PETSc's %g writes 36000. */
  }
  PetscFunctionReturn(0);
}

/* Boundary inflow of each species over the last step (backward-Euler rule, the fluxes of the new
   state), and the step's iteration counts. */
static PetscErrorCode PostStep(TS ts)
{
  Npp       npp;
  SNES      snes;
  PetscReal t, dt;
  PetscInt  its, lits, step;

  PetscFunctionBeginUser;
  PetscCall(TSGetApplicationContext(ts, &npp));
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSGetTimeStep(ts, &dt));
  PetscCall(TSGetStepNumber(ts, &step));
  PetscCall(TSGetSNES(ts, &snes));
  PetscCall(SNESGetIterationNumber(snes, &its));
  PetscCall(SNESGetLinearSolveIterations(snes, &lits));
  {
    TSType type;
    PetscReal dtPrev = dt;
    PetscCall(TSGetType(ts, &type));
    if (npp->nsteps) dtPrev = t - npp->steps[npp->nsteps - 1].t;
    else dtPrev = t;
    if (npp->nsteps == npp->maxsteps) {
      npp->maxsteps = 2 * npp->maxsteps + 64;
      PetscCall(PetscRealloc(npp->maxsteps * sizeof(NppStepLog), &npp->steps));
    }
    npp->steps[npp->nsteps].t = t, npp->steps[npp->nsteps].dt = dtPrev;
    npp->steps[npp->nsteps].snes = its, npp->steps[npp->nsteps].ksp = lits;
    npp->nsteps++;
    npp->snesIts += its, npp->kspIts += lits;
    PetscCall(Progress(npp, t, dtPrev, its, lits));
    {
      Vec       X;
      PetscReal out[NPP_MAX_SPECIES];
      PetscCall(TSGetSolution(ts, &X));
      PetscCall(NppBoundaryFluxes(npp, X, out));
      for (PetscInt i = 0; i < npp->phys.nspecies; i++) npp->inflow[i] -= dtPrev * out[i];
    }
  }
  /* the electrodes' time series and the stop criteria (on the statistics just evaluated) */
  PetscCall(NppSeriesWrite(npp, t));
  {
    PetscReal V, cmin;
    PetscCall(NppCellVoltage(npp, &V));
    PetscCall(NppMinElectrodeSpeciesConcentration(npp, &cmin));
    if (npp->stopVoltage > 0 && PetscAbsReal(V) >= npp->stopVoltage) PetscCall(PetscSNPrintf(npp->stopReason, sizeof npp->stopReason, "cell voltage %.4g V reached the cutoff %g V (-time_stop_cell_voltage)", (double)V, (double)npp->stopVoltage));
    else if (npp->stopConcentration > 0 && cmin <= npp->stopConcentration) PetscCall(PetscSNPrintf(npp->stopReason, sizeof npp->stopReason, "electrode species depleted: %.4g mol/m^3 below %g mol/m^3 (-time_stop_concentration)", (double)cmin, (double)npp->stopConcentration));
    if (npp->stopReason[0]) {
      npp->stopped  = PETSC_TRUE;
      npp->stopTime = t;
      PetscCall(TSSetConvergedReason(ts, TS_CONVERGED_USER));
    }
  }
  PetscFunctionReturn(0);
}

/* Steps land on the switch times of current schedules and restart from the first step size
   after them (a jump in the current is a new transient). */
static PetscErrorCode PreStep(TS ts)
{
  Npp       npp;
  PetscReal t, dt, next = PETSC_MAX_REAL;

  PetscFunctionBeginUser;
  PetscCall(TSGetApplicationContext(ts, &npp));
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSGetTimeStep(ts, &dt));
  for (PetscInt b = 0; b < npp->nbc; b++) {
    const NppCurrentSchedule *s = &npp->bc[b].schedule;
    if (!npp->bc[b].galvanostatic) continue;
    next = PetscMin(next, NppCurrentScheduleNextSwitch(s, t));
    if (t > 0 && NppCurrentScheduleValue(s, t) != NppCurrentScheduleValue(s, t * (1 + 1e-8))) dt = PetscMin(dt, npp->dt0); /* on a switch */
  }
  if (t + dt > next - 1e-9 * dt) dt = next - t;
  PetscCall(TSSetTimeStep(ts, dt));
  PetscFunctionReturn(0);
}

static PetscErrorCode Monitor(TS ts, PetscInt step, PetscReal t, Vec X, void *ctx)
{
  Npp npp = (Npp)ctx;

  PetscFunctionBeginUser;
  if (npp->outEvery > 0 && step > 0 && step % npp->outEvery == 0) {
    PetscCall(NppDeriveState(npp, X));
    PetscCall(NppOutputWrite(npp, X, t));
  }
  PetscFunctionReturn(0);
}

/* The keys of the transient run: -time_final makes it one; the others (and -output_progress)
   are read only then (else they are unknown keys), or with all (-help). Output times: at most
   NPP_MAX_OUTPUT_TIMES. */
#define NPP_MAX_OUTPUT_TIMES 256
PetscErrorCode NppTimeOptions(Npp npp, PetscBool all, PetscReal *tf, PetscReal *dt0)
{
  PetscReal times[NPP_MAX_OUTPUT_TIMES + 1];
  PetscInt  n = NPP_MAX_OUTPUT_TIMES + 1;
  PetscBool set;

  PetscFunctionBeginUser;
  *tf = 0;
  PetscOptionsBegin(npp->comm, "time_", "Time (-time_*)", NULL);
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-final", "end time; makes the run transient (without it: steady)", "s", tf, &npp->transient));
  if (npp->transient || all) {
    *dt0 = *tf * 1e-6;
    PetscCall(PetscOptionsReal("-step", "first step; steps adapt (default 1e-6 of -time_final)", "s", *dt0, dt0, &set));
    PetscCall(PetscOptionsInt("-output_every", "also write every N steps (0: off)", "-", npp->outEvery, &npp->outEvery, NULL));
    PetscCall(PetscOptionsReal("-stop_cell_voltage", "stop when |cell voltage| reaches this (0: off)", "V", npp->stopVoltage, &npp->stopVoltage, NULL));
    PetscCall(PetscOptionsReal("-stop_concentration", "stop when the reacting species falls below this anywhere (0: off)", "mol/m^3", npp->stopConcentration, &npp->stopConcentration, NULL));
    PetscCall(NppOptionsRealArray(PetscOptionsObject, "-output_times", "times written, hit exactly (default the final time)", "s", times, 0, &n, &set));
  }
  PetscOptionsEnd();
  if (!npp->transient && !all) PetscFunctionReturn(0);
  npp->progressInterval = 10;
  PetscOptionsBegin(npp->comm, "output_", "Output of a transient run (-output_*)", NULL);
  PetscCall(PetscOptionsReal("-progress", "wall time between progress lines (0: none)", "s", npp->progressInterval, &npp->progressInterval, NULL));
  PetscOptionsEnd();
  if (!npp->transient) PetscFunctionReturn(0);
  if (!(npp->progressInterval >= 0)) NppInputError(npp->comm, "-output_progress", "%g s must be >= 0 (0: no progress lines)", (double)npp->progressInterval);
  if (!(*tf > 0)) NppInputError(npp->comm, "-time_final", "%g s must be positive", (double)*tf);
  if (npp->outEvery < 0) NppInputError(npp->comm, "-time_output_every", "%d must be a non-negative number of steps", (int)npp->outEvery);
  if (!(*dt0 > 0 && *dt0 <= *tf)) NppInputError(npp->comm, "-time_step", "%g s must be positive and at most -time_final %g s", (double)*dt0, (double)*tf);
  npp->dt0 = *dt0;
  if (!(npp->stopVoltage >= 0)) NppInputError(npp->comm, "-time_stop_cell_voltage", "%g V must be positive (0: off)", (double)npp->stopVoltage);
  if (!(npp->stopConcentration >= 0)) NppInputError(npp->comm, "-time_stop_concentration", "%g mol/m^3 must be positive (0: off)", (double)npp->stopConcentration);
  if (!set) n = 0;
  if (n > NPP_MAX_OUTPUT_TIMES) NppInputError(npp->comm, "-time_output_times", "more than %d output times (NPP_MAX_OUTPUT_TIMES): use -time_output_every", NPP_MAX_OUTPUT_TIMES);
  PetscCall(PetscMalloc1(n + 1, &npp->outTimes));
  for (PetscInt k = 0; k < n; k++) {
    if (!(times[k] > 0 && times[k] <= *tf) || (k && times[k] <= times[k - 1])) NppInputError(npp->comm, "-time_output_times", "%g s: output times must increase and lie in (0, -time_final]", (double)times[k]);
    npp->outTimes[k] = times[k];
  }
  if (!n || npp->outTimes[n - 1] < *tf) npp->outTimes[n++] = *tf;
  npp->nout = n;
  PetscFunctionReturn(0);
}

PetscErrorCode NppTransientSetUp(Npp npp)
{
  PetscReal tf = 0, dt0 = 0;
  SNES      snes;
  KSP       ksp;
  TSAdapt   adapt;
  Vec       atol;

  PetscFunctionBeginUser;
  PetscCall(NppTimeOptions(npp, PETSC_FALSE, &tf, &dt0));
  if (!npp->transient) PetscFunctionReturn(0);
  PetscCall(TSCreate(npp->comm, &npp->ts));
  PetscCall(TSSetApplicationContext(npp->ts, npp));
  {
    Vec F; /* shaped like X, which may hold global unknowns besides the DM's cells */
    PetscCall(VecDuplicate(npp->X, &F));
    PetscCall(TSSetIFunction(npp->ts, F, IFunction, npp));
    PetscCall(VecDestroy(&F));
  }
  PetscCall(TSSetIJacobian(npp->ts, npp->J, npp->J, IJacobian, npp));
  PetscCall(TSSetType(npp->ts, TSBEULER));
  PetscCall(TSSetTimeStep(npp->ts, dt0));
  PetscCall(TSSetMaxTime(npp->ts, tf));
  PetscCall(TSSetMaxSteps(npp->ts, 1000000));
  PetscCall(TSSetExactFinalTime(npp->ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSSetMaxSNESFailures(npp->ts, -1));
  PetscCall(TSSetErrorIfStepFails(npp->ts, PETSC_FALSE)); /* a failed step ends TSSolve with a reason we report */
  PetscCall(TSSetPostStep(npp->ts, PostStep));
  PetscCall(TSSetPreStep(npp->ts, PreStep));
  PetscCall(TSMonitorSet(npp->ts, Monitor, npp, NULL));
  PetscCall(TSGetAdapt(npp->ts, &adapt));
  PetscCall(TSAdaptSetType(adapt, TSADAPTBASIC));
  PetscCall(TSAdaptSetStepLimits(adapt, 1e-12 * tf, tf));
  /* error norm on the species only: the potential is algebraic. A vector tolerance makes PETSc
     ignore -ts_atol, so it is read here (scaled concentration units, c/cref). */
  {
    PetscReal a = 1e-4;
    PetscCall(PetscOptionsGetReal(NULL, NULL, "-ts_atol", &a, NULL));
    npp->tsAtol = a;
  }
  PetscCall(VecDuplicate(npp->X, &atol));
  {
    PetscScalar *a;
    PetscInt     n;
    PetscCall(VecGetLocalSize(atol, &n));
    PetscCall(VecGetArray(atol, &a));
    for (PetscInt k = 0; k < n; k++) a[k] = (k >= npp->nlocalCells || k % npp->fld.nf == npp->fld.phi) ? 1e30 : npp->tsAtol;
    PetscCall(VecRestoreArray(atol, &a));
  }
  PetscCall(TSSetTolerances(npp->ts, 0.0, atol, 1e-3, NULL));
  PetscCall(VecDestroy(&atol));
  PetscCall(TSGetSNES(npp->ts, &snes));
  PetscCall(NppSNESTolerances(snes));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(NppLinearSolverDefaults(npp, ksp));
  PetscCall(TSSetFromOptions(npp->ts));
  PetscCall(NppFieldSplitSetUp(npp, ksp));
  {
    SNESLineSearch ls;
    PetscCall(SNESGetLineSearch(snes, &ls));
    PetscCall(SNESLineSearchSetPreCheck(ls, NppPositivityPreCheck, npp));
  }
  PetscFunctionReturn(0);
}

/* Starts from the bulk concentrations of each region (written as the first output, with zero
   potential: the potential of a DAE is defined by the first step) and advances to each output
   time in turn, so that output times are hit exactly. */
PetscErrorCode NppTransientSolve(Npp npp)
{
  PetscReal charge;

  PetscFunctionBeginUser;
  PetscCall(NppBalance(npp, npp->X, npp->total0, &charge));
  PetscCall(PetscTime(&npp->progressStart));
  npp->progressLast = npp->progressStart;
  PetscCall(NppDeriveState(npp, npp->X));
  PetscCall(NppOutputWrite(npp, npp->X, 0.0));
  PetscCall(NppSeriesOpen(npp));
  for (PetscInt k = 0; k < npp->nout && !npp->stopped; k++) {
    TSConvergedReason reason;
    PetscReal         t;
    PetscCall(TSSetMaxTime(npp->ts, npp->outTimes[k]));
    PetscCall(TSSolve(npp->ts, npp->X));
    PetscCall(TSGetConvergedReason(npp->ts, &reason));
    PetscCall(TSGetTime(npp->ts, &t));
    if (reason < 0 && (npp->stopVoltage > 0 || npp->stopConcentration > 0)) {
      /* a protocol run to a limit (critical current density): a failure of the integration
         is where it ends; the state is the last accepted one */
      PetscCall(PetscSNPrintf(npp->stopReason, sizeof npp->stopReason, "the time integration failed (%s) before any stop criterion was met", TSConvergedReasons[reason]));
      npp->stopped = PETSC_TRUE, npp->stopTime = t;
      PetscCall(PetscPrintf(npp->comm, "npp: stopped at t = %g s: %s\n", (double)t, npp->stopReason));
      PetscCall(NppDeriveState(npp, npp->X));
      PetscCall(NppOutputWrite(npp, npp->X, t));
      break;
    }
    if (reason < 0) {
      /* near depletion (Sand's time) the concentration next to an electrode heads for zero and
         the steps shrink until they fail: say so, with what to do about it */
      PetscReal cmin;
      char      hint[320] = "";
      PetscCall(NppMinElectrodeSpeciesConcentration(npp, &cmin));
      if (cmin < 0.01 * npp->phys.cref) PetscCall(PetscSNPrintf(hint, sizeof hint, "; the electrode species is depleted (%.3g mol/m^3 at the last attempt): the current exceeds what transport supplies (Sand's time); -time_stop_concentration ends such a run cleanly", (double)cmin));
      SETERRQ(npp->comm, PETSC_ERR_NOT_CONVERGED, "the time integration stopped at t = %g s before %g s (%s after %d steps)%s; rerun with -ts_monitor -snes_converged_reason -ts_adapt_monitor to see why", (double)t, (double)npp->outTimes[k], TSConvergedReasons[reason], (int)npp->nsteps, hint);
    }
    if (npp->stopped) PetscCall(PetscPrintf(npp->comm, "npp: stopped at t = %g s: %s\n", (double)t, npp->stopReason));
    PetscCall(NppDeriveState(npp, npp->X));
    PetscCall(NppOutputWrite(npp, npp->X, t));
  }
  PetscFunctionReturn(0);
}
