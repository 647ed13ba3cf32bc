/* SPDX-License-Identifier: BSD-2-Clause */
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
  npp->ev.time = t;
  PetscCall(PetscLogEventBegin(NPP_Residual, 0, 0, 0, 0));
  PetscCall(NppGlobalToLocal(npp->comm, &npp->disc, &npp->ev, X, npp->run.Xloc, PETSC_TRUE));
  PetscCall(NppGlobalToLocal(npp->comm, &npp->disc, &npp->ev, Xdot, npp->run.Xdotloc, PETSC_FALSE));
  PetscCall(NppOperatorEvaluate(npp, npp->run.Xloc, npp->run.Xdotloc, 0.0, F, NULL));
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
  PetscCall(NppFaultPoint(npp->comm, "jacobian"));
  npp->ev.time = t;
  PetscCall(PetscLogEventBegin(NPP_Jacobian, 0, 0, 0, 0));
  PetscCall(NppGlobalToLocal(npp->comm, &npp->disc, &npp->ev, X, npp->run.Xloc, PETSC_TRUE));
  PetscCall(NppGlobalToLocal(npp->comm, &npp->disc, &npp->ev, Xdot, npp->run.Xdotloc, PETSC_FALSE));
  PetscCall(NppOperatorEvaluate(npp, npp->run.Xloc, npp->run.Xdotloc, shift, NULL, npp->run.jacVal));
  PetscCall(NppJacPatternSetValues(&npp->disc.jac, npp->run.jacVal, P));
  PetscCall(PetscLogEventEnd(NPP_Jacobian, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* A progress line on rank 0 (PetscPrintf) after the first step and then at most every
   -output_progress seconds of wall time (default 10; 0: off), so that long runs on many ranks
   report without flooding the log: step, simulated time and its share of the end time, step size,
   Newton and Krylov iterations of the step, and the wall time left at the average rate so far. */
static PetscErrorCode Progress(MPI_Comm comm, NppRun *run, const NppOutput *out, PetscReal t, PetscReal dt, PetscInt its, PetscInt lits)
{
  PetscLogDouble  now;
  const PetscReal tf = out->outTimes[out->nout - 1];

  PetscFunctionBeginUser;
  if (!(run->progressInterval > 0)) PetscFunctionReturn(0);
  PetscCall(PetscTime(&now));
  if (run->nsteps > 1 && now - run->progressLast < run->progressInterval) PetscFunctionReturn(0);
  run->progressLast = now;
  {
    const double spent = now - run->progressStart;
    char         line[256], eta[64] = "";
    /* the rate of the first percent (small steps after every start) says little about the rest */
    const double t0 = run->restart.active ? run->restart.t : 0; /* this run's start */
    if (t - t0 > 0.01 * (tf - t0)) snprintf(eta, sizeof eta, ", about %.0f s left", spent * (tf - t) / (t - t0));
    snprintf(line, sizeof line, "npp: step %d  t = %.4g s (%.1f %% of %.6g s)  dt %.3g s  Newton %d  Krylov %d  wall %.0f s%s\n", (int)run->nsteps, (double)t, (double)(100 * t / tf), (double)tf, (double)dt, (int)its, (int)lits, spent, eta);
    PetscCall(PetscPrintf(comm, "%s", line)); /* plain C formatting: PETSc's %g writes 36000. */
  }
  PetscFunctionReturn(0);
}

/* Boundary inflow of each species over the last step (backward-Euler rule, the fluxes of the new
   state), and the step's iteration counts. */
static PetscErrorCode PostStep(TS ts)
{
  Npp       npp;
  SNES      snes;
  Vec       X;
  PetscReal t, dt;
  PetscInt  its, lits, step;

  PetscFunctionBeginUser;
  PetscCall(TSGetApplicationContext(ts, &npp));
  PetscCall(TSGetSolution(ts, &X));
  if (npp->run.restart.replay) { /* the checkpoint's last step, repeated: its stored result goes on */
    const NppRestart *rs = &npp->run.restart;
    PetscReal         tmax;
    PetscCall(VecCopy(rs->Xlast, X));
    PetscCall(TSSetTime(ts, rs->t));
    PetscCall(TSSetTimeStep(ts, rs->dt));
    PetscCall(TSSetStepNumber(ts, rs->step));
    PetscCall(TSGetMaxTime(ts, &tmax));
    if (rs->t >= tmax) PetscCall(TSSetConvergedReason(ts, TS_CONVERGED_TIME));
    npp->run.restart.replay = PETSC_FALSE;
    PetscFunctionReturn(0);
  }
  PetscCall(TSGetTime(ts, &t));
  PetscCall(TSGetTimeStep(ts, &dt));
  PetscCall(TSGetStepNumber(ts, &step));
  PetscCall(TSGetSNES(ts, &snes));
  PetscCall(SNESGetIterationNumber(snes, &its));
  PetscCall(SNESGetLinearSolveIterations(snes, &lits));
  {
    TSType    type;
    PetscReal dtPrev = dt;
    PetscCall(TSGetType(ts, &type));
    if (npp->run.nsteps) dtPrev = t - npp->run.steps[npp->run.nsteps - 1].t;
    else dtPrev = t;
    if (npp->run.nsteps == npp->run.maxsteps) {
      npp->run.maxsteps = 2 * npp->run.maxsteps + 64;
      PetscCall(PetscRealloc(npp->run.maxsteps * sizeof(NppStepLog), &npp->run.steps));
    }
    npp->run.steps[npp->run.nsteps].t = t, npp->run.steps[npp->run.nsteps].dt = dtPrev;
    npp->run.steps[npp->run.nsteps].snes = its, npp->run.steps[npp->run.nsteps].ksp = lits;
    npp->run.nsteps++;
    npp->run.snesIts += its, npp->run.kspIts += lits;
    PetscCall(Progress(npp->comm, &npp->run, &npp->out, t, dtPrev, its, lits));
    {
      PetscReal out[NPP_MAX_SPECIES];
      PetscCall(NppBoundaryFluxes(npp, X, out));
      for (PetscInt i = 0; i < npp->model.phys.nspecies; i++) npp->run.inflow[i] -= dtPrev * out[i];
    }
  }
  /* the electrodes' time series and the stop criteria (on the statistics just evaluated) */
  PetscCall(NppSeriesWrite(&npp->model, &npp->ev, &npp->out, t));
  {
    PetscReal V, cmin;
    PetscCall(NppCellVoltage(&npp->model, &npp->ev, &V));
    PetscCall(NppMinElectrodeSpeciesConcentration(npp->comm, &npp->model, &npp->disc, &npp->ev, &cmin));
    if (npp->run.stopVoltage > 0 && PetscAbsReal(V) >= npp->run.stopVoltage)
      PetscCall(PetscSNPrintf(npp->run.stopReason, sizeof npp->run.stopReason, "cell voltage %.4g V reached the cutoff %g V (-time_stop_cell_voltage)", (double)V, (double)npp->run.stopVoltage));
    else if (npp->run.stopConcentration > 0 && cmin <= npp->run.stopConcentration)
      PetscCall(PetscSNPrintf(npp->run.stopReason, sizeof npp->run.stopReason, "electrode species depleted: %.4g mol/m^3 below %g mol/m^3 (-time_stop_concentration)", (double)cmin, (double)npp->run.stopConcentration));
    if (npp->run.stopReason[0]) {
      npp->run.stopped  = PETSC_TRUE;
      npp->run.stopTime = t;
      PetscCall(TSSetConvergedReason(ts, TS_CONVERGED_USER));
    }
  }
  /* dt is the size the controller chose for the next step */
  if (!npp->run.stopped && NppCheckpointDue(npp, step)) PetscCall(NppCheckpointWrite(npp, step, X, t, npp->run.Xprev, npp->run.tprev, dt));
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
  for (PetscInt b = 0; b < npp->model.nbc; b++) {
    const NppCurrentSchedule *s = &npp->model.bc[b].schedule;
    if (!npp->model.bc[b].galvanostatic) continue;
    next = PetscMin(next, NppCurrentScheduleNextSwitch(s, t));
    if (t > 0 && NppCurrentScheduleValue(s, t) != NppCurrentScheduleValue(s, t * (1 + 1e-8))) dt = PetscMin(dt, npp->run.dt0); /* on a switch */
  }
  if (t + dt > next - 1e-9 * dt) dt = next - t;
  PetscCall(TSSetTimeStep(ts, dt));
  if (!npp->run.restart.replay) { /* a checkpoint after this step stores the state before it too */
    Vec X;
    PetscCall(TSGetSolution(ts, &X));
    PetscCall(VecCopy(X, npp->run.Xprev));
    npp->run.tprev = t;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Monitor(TS ts, PetscInt step, PetscReal t, Vec X, void *ctx)
{
  Npp npp = (Npp)ctx;

  PetscFunctionBeginUser;
  if (npp->run.restart.replay) PetscFunctionReturn(0); /* written before the checkpoint */
  if (npp->out.outEvery > 0 && step > 0 && step % npp->out.outEvery == 0) PetscCall(NppWriteState(npp, X, t));
  PetscFunctionReturn(0);
}

/* The keys of the transient run: -time_final makes it one; the others (and -output_progress)
   are read only then (else they are unknown keys), or with all (-help). Output times: at most
   NPP_MAX_OUTPUT_TIMES. */
#define NPP_MAX_OUTPUT_TIMES 256
PetscErrorCode NppTimeOptions(MPI_Comm comm, NppRun *run, NppOutput *out, PetscBool all, PetscReal *tf, PetscReal *dt0)
{
  PetscReal times[NPP_MAX_OUTPUT_TIMES + 1];
  PetscInt  n = NPP_MAX_OUTPUT_TIMES + 1;
  PetscBool set;

  PetscFunctionBeginUser;
  *tf = 0;
  PetscOptionsBegin(comm, "time_", "Time (-time_*)", NULL);
  PetscCall(NppOptionsRealOptional(PetscOptionsObject, "-final", "end time; makes the run transient (without it: steady)", "s", tf, &run->transient));
  if (run->transient || all) {
    *dt0 = *tf * 1e-6;
    PetscCall(NppOptionsReal(PetscOptionsObject, "-step", "first step; steps adapt (default 1e-6 of -time_final)", "s", *dt0, dt0, &set));
    PetscCall(NppOptionsInt(PetscOptionsObject, "-output_every", "also write every N steps (0: off)", "-", out->outEvery, &out->outEvery, NULL));
    PetscCall(NppOptionsReal(PetscOptionsObject, "-stop_cell_voltage", "stop when |cell voltage| reaches this (0: off)", "V", run->stopVoltage, &run->stopVoltage, NULL));
    PetscCall(NppOptionsReal(PetscOptionsObject, "-stop_concentration", "stop when the reacting species falls below this anywhere (0: off)", "mol/m^3", run->stopConcentration, &run->stopConcentration, NULL));
    PetscCall(NppOptionsRealArray(PetscOptionsObject, "-output_times", "times written, hit exactly (default the final time)", "s", times, 0, &n, &set));
  }
  PetscOptionsEnd();
  if (!run->transient && !all) PetscFunctionReturn(0);
  run->progressInterval = 10;
  PetscOptionsBegin(comm, "output_", "Output of a transient run (-output_*)", NULL);
  PetscCall(NppOptionsReal(PetscOptionsObject, "-progress", "wall time between progress lines (0: none)", "s", run->progressInterval, &run->progressInterval, NULL));
  PetscOptionsEnd();
  if (!run->transient) PetscFunctionReturn(0);
  if (!(run->progressInterval >= 0)) NppInputError(comm, "-output_progress", "%g s must be >= 0 (0: no progress lines)", (double)run->progressInterval);
  if (!(*tf > 0)) NppInputError(comm, "-time_final", "%g s must be positive", (double)*tf);
  if (out->outEvery < 0) NppInputError(comm, "-time_output_every", "%d must be a non-negative number of steps", (int)out->outEvery);
  if (!(*dt0 > 0 && *dt0 <= *tf)) NppInputError(comm, "-time_step", "%g s must be positive and at most -time_final %g s", (double)*dt0, (double)*tf);
  run->dt0 = *dt0;
  if (!(run->stopVoltage >= 0)) NppInputError(comm, "-time_stop_cell_voltage", "%g V must be positive (0: off)", (double)run->stopVoltage);
  if (!(run->stopConcentration >= 0)) NppInputError(comm, "-time_stop_concentration", "%g mol/m^3 must be positive (0: off)", (double)run->stopConcentration);
  if (!set) n = 0;
  if (n > NPP_MAX_OUTPUT_TIMES) NppInputError(comm, "-time_output_times", "more than %d output times (NPP_MAX_OUTPUT_TIMES): use -time_output_every", NPP_MAX_OUTPUT_TIMES);
  PetscCall(PetscMalloc1(n + 1, &out->outTimes));
  for (PetscInt k = 0; k < n; k++) {
    if (!(times[k] > 0 && times[k] <= *tf) || (k && times[k] <= times[k - 1])) NppInputError(comm, "-time_output_times", "%g s: output times must increase and lie in (0, -time_final]", (double)times[k]);
    out->outTimes[k] = times[k];
  }
  if (!n || out->outTimes[n - 1] < *tf) out->outTimes[n++] = *tf;
  out->nout = n;
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
  PetscCall(NppTimeOptions(npp->comm, &npp->run, &npp->out, PETSC_FALSE, &tf, &dt0));
  if (!npp->run.transient) PetscFunctionReturn(0);
  PetscCall(NppCheckpointOptions(npp->comm, &npp->out));
  PetscCall(VecDuplicate(npp->run.X, &npp->run.Xprev));
  PetscCall(TSCreate(npp->comm, &npp->run.ts));
  PetscCall(TSSetApplicationContext(npp->run.ts, npp));
  {
    Vec F; /* shaped like X, which may hold global unknowns besides the DM's cells */
    PetscCall(VecDuplicate(npp->run.X, &F));
    PetscCall(TSSetIFunction(npp->run.ts, F, IFunction, npp));
    PetscCall(VecDestroy(&F));
  }
  PetscCall(TSSetIJacobian(npp->run.ts, npp->run.J, npp->run.J, IJacobian, npp));
  PetscCall(TSSetType(npp->run.ts, TSBEULER));
  PetscCall(TSSetTimeStep(npp->run.ts, dt0));
  PetscCall(TSSetMaxTime(npp->run.ts, tf));
  PetscCall(TSSetMaxSteps(npp->run.ts, 1000000));
  PetscCall(TSSetExactFinalTime(npp->run.ts, TS_EXACTFINALTIME_MATCHSTEP));
  PetscCall(TSSetMaxSNESFailures(npp->run.ts, -1));
  PetscCall(TSSetErrorIfStepFails(npp->run.ts, PETSC_FALSE)); /* a failed step ends TSSolve with a reason we report */
  PetscCall(TSSetPostStep(npp->run.ts, PostStep));
  PetscCall(TSSetPreStep(npp->run.ts, PreStep));
  PetscCall(TSMonitorSet(npp->run.ts, Monitor, npp, NULL));
  PetscCall(TSGetAdapt(npp->run.ts, &adapt));
  PetscCall(TSAdaptSetType(adapt, TSADAPTBASIC));
  PetscCall(TSAdaptSetStepLimits(adapt, 1e-12 * tf, tf));
  /* error norm on the species only: the potential is algebraic. A vector tolerance makes PETSc
     ignore -ts_atol, so it is read here (scaled concentration units, c/cref). */
  {
    PetscReal a = 1e-4;
    PetscCall(PetscOptionsGetReal(NULL, NULL, "-ts_atol", &a, NULL));
    npp->run.tsAtol = a;
  }
  PetscCall(VecDuplicate(npp->run.X, &atol));
  {
    PetscScalar *a;
    PetscInt     n;
    PetscCall(VecGetLocalSize(atol, &n));
    PetscCall(VecGetArray(atol, &a));
    for (PetscInt k = 0; k < n; k++) a[k] = (k >= npp->disc.nlocalCells || k % npp->model.fld.nf == npp->model.fld.phi) ? 1e30 : npp->run.tsAtol;
    PetscCall(VecRestoreArray(atol, &a));
  }
  PetscCall(TSSetTolerances(npp->run.ts, 0.0, atol, 1e-3, NULL));
  PetscCall(VecDestroy(&atol));
  PetscCall(TSGetSNES(npp->run.ts, &snes));
  PetscCall(NppSNESTolerances(snes));
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(NppLinearSolverDefaults(npp->comm, &npp->model, &npp->disc, &npp->ev, &npp->run, snes));
  PetscCall(TSSetFromOptions(npp->run.ts));
  PetscCall(NppFieldSplitSetUp(&npp->model, &npp->disc, ksp));
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
  PetscReal   charge;
  PetscInt    k0 = 0;
  NppRestart *rs = &npp->run.restart;

  PetscFunctionBeginUser;
  PetscCall(PetscTime(&npp->run.progressStart));
  npp->run.progressLast = npp->run.progressStart;
  PetscCall(PetscTime(&npp->out.checkpointLastTime));
  if (!rs->active) {
    PetscCall(NppBalance(npp->comm, &npp->model, &npp->disc, npp->run.X, npp->run.total0, &charge));
    PetscCall(NppWriteState(npp, npp->run.X, 0.0));
    PetscCall(NppSeriesOpen(npp->comm, &npp->model, &npp->out));
  } else { /* from the checkpoint (NppRestartBegin): repeat its last step, then go on */
    const PetscReal tf = npp->out.outTimes[npp->out.nout - 1], eps = 1e-12 * tf;
    PetscCall(NppSeriesResume(npp->comm, &npp->model, &npp->out, rs->csvLength));
    while (k0 < npp->out.nout && npp->out.outTimes[k0] < rs->t - eps) k0++;
    if (k0 == npp->out.nout) NppInputError(npp->comm, "-time_final", "%g s: the checkpoint in %s is at t = %g s already", (double)tf, npp->out.outdir, (double)rs->t);
    /* the step is repeated in the solve towards the output time it ended before or on */
    PetscCall(TSSetTime(npp->run.ts, rs->tprev));
    PetscCall(TSSetTimeStep(npp->run.ts, rs->t - rs->tprev));
    PetscCall(TSSetStepNumber(npp->run.ts, rs->step - 1));
    rs->replay = PETSC_TRUE;
    PetscCall(TSRestartStep(npp->run.ts));
  }
  for (PetscInt k = k0; k < npp->out.nout && !npp->run.stopped; k++) {
    TSConvergedReason reason;
    PetscReal         t;
    PetscCall(TSSetMaxTime(npp->run.ts, npp->out.outTimes[k]));
    PetscCall(TSSolve(npp->run.ts, npp->run.X));
    PetscCall(TSGetConvergedReason(npp->run.ts, &reason));
    PetscCall(TSGetTime(npp->run.ts, &t));
    if (reason < 0 && (npp->run.stopVoltage > 0 || npp->run.stopConcentration > 0)) {
      /* a protocol run to a limit (critical current density): a failure of the integration
         is where it ends; the state is the last accepted one */
      PetscCall(PetscSNPrintf(npp->run.stopReason, sizeof npp->run.stopReason, "the time integration failed (%s) before any stop criterion was met", TSConvergedReasons[reason]));
      npp->run.stopped = PETSC_TRUE, npp->run.stopTime = t;
      PetscCall(PetscPrintf(npp->comm, "npp: stopped at t = %g s: %s\n", (double)t, npp->run.stopReason));
      PetscCall(NppWriteState(npp, npp->run.X, t));
      break;
    }
    if (reason < 0) {
      /* near depletion (Sand's time) the concentration next to an electrode heads for zero and
         the steps shrink until they fail: say so, with what to do about it */
      PetscReal cmin;
      char      hint[320] = "";
      PetscCall(NppMinElectrodeSpeciesConcentration(npp->comm, &npp->model, &npp->disc, &npp->ev, &cmin));
      if (cmin < 0.01 * npp->model.phys.cref)
        PetscCall(PetscSNPrintf(hint, sizeof hint, "; the electrode species is depleted (%.3g mol/m^3 at the last attempt): the current exceeds what transport supplies (Sand's time); -time_stop_concentration ends such a run cleanly", (double)cmin));
      npp->run.failTime = t;
      SETERRQ(npp->comm, PETSC_ERR_NOT_CONVERGED, "the time integration stopped at t = %g s before %g s (%s after %d steps)%s; rerun with -ts_monitor -snes_converged_reason -ts_adapt_monitor to see why", (double)t, (double)npp->out.outTimes[k], TSConvergedReasons[reason],
              (int)npp->run.nsteps, hint);
    }
    if (npp->run.stopped) PetscCall(PetscPrintf(npp->comm, "npp: stopped at t = %g s: %s\n", (double)t, npp->run.stopReason));
    PetscCall(NppWriteState(npp, npp->run.X, t));
  }
  PetscFunctionReturn(0);
}
