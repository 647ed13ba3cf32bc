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

/* -solver_direct_max_unknowns (default 20 000). */
PetscErrorCode NppSolverOptions(MPI_Comm comm, PetscInt *maxDirect)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(comm, "solver_", "Linear solver strategy (-solver_*)", NULL);
  PetscCall(NppOptionsInt(PetscOptionsObject, "-direct_max_unknowns", "coupled problems up to this size use MUMPS LU by default", "-", *maxDirect, maxDirect, NULL));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/* The splits "c" (species unknowns) and "phi" (potential; with withGlobals also the global
   unknowns) of a fieldsplit PC, in the numbering of X's first rows on each rank. */
static PetscErrorCode SetSplits(PC pc, const NppModel *model, const NppDisc *disc, PetscBool withGlobals, IS *isPhi)
{
  MPI_Comm       comm = PetscObjectComm((PetscObject)pc);
  const PetscInt nf   = model->fld.nf;
  PetscInt      *ic, *ip, nc = 0, np = 0, rstart;
  IS             c, p;
  PetscMPIInt    rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecGetOwnershipRange(disc->Xcells, &rstart, NULL));
  PetscCall(PetscMalloc2(disc->nlocalCells, &ic, disc->nlocalCells / nf + disc->nglobal, &ip));
  for (PetscInt k = 0; k < disc->nlocalCells; k++) {
    if (k % nf == model->fld.phi) ip[np++] = rstart + k;
    else ic[nc++] = rstart + k;
  }
  for (PetscInt k = 0; withGlobals && k < disc->nglobal && rank == disc->globalOwner; k++) ip[np++] = disc->globalRow0 + k;
  PetscCall(ISCreateGeneral(comm, nc, ic, PETSC_COPY_VALUES, &c));
  PetscCall(ISCreateGeneral(comm, np, ip, PETSC_COPY_VALUES, &p));
  if (nf > 2) PetscCall(ISSetBlockSize(c, nf - 1)); /* the species of a cell: one block for AMG */
  PetscCall(PCFieldSplitSetIS(pc, "c", c));
  PetscCall(PCFieldSplitSetIS(pc, "phi", p));
  if (isPhi) {
    PetscCall(PetscObjectReference((PetscObject)p));
    *isPhi = p;
  }
  PetscCall(ISDestroy(&c));
  PetscCall(ISDestroy(&p));
  PetscCall(PetscFree2(ic, ip));
  PetscFunctionReturn(0);
}

typedef struct {
  const NppModel      *model;
  const NppDisc       *disc;
  const NppRun        *run;      /* its Xloc holds the state of the last Jacobian evaluation */
  const NppEvaluation *ev;       /* the continuation multipliers */
  PetscBool            screened; /* the Poisson model's screened Schur approximation (below) */
  PetscBool            slotboom; /* the Poisson model's species block in Slotboom variables (slotboom_pc.c) */
  IS                   isPhi;
  Mat                  Sp;
} SplitContext;

static PetscErrorCode ConfigureCells(PC inner, void *ctx)
{
  SplitContext *sc = (SplitContext *)ctx;
  PetscBool     isfs, userPre;

  PetscFunctionBeginUser;
  PetscCall(PetscObjectTypeCompare((PetscObject)inner, PCFIELDSPLIT, &isfs));
  if (!isfs) PetscFunctionReturn(0);
  PetscCall(SetSplits(inner, sc->model, sc->disc, PETSC_FALSE, &sc->isPhi));
  PetscCall(PetscOptionsHasName(NULL, NULL, "-cells_pc_fieldsplit_schur_precondition", &userPre));
  sc->screened = (PetscBool)(!sc->model->phys.electroneutral && !userPre);
  PetscFunctionReturn(0);
}

/* The Poisson model's Schur complement S = A_pp - A_pc A_cc^-1 A_cp, approximated where the
   species are near equilibrium: there a potential change dphi moves each concentration by
   dc = -z c dphi at no flux (Boltzmann), so A_cc^-1 A_cp dphi ~ z c dphi and
   S ~ A_pp - sum_i A_pc,i z_i c_i: the permittivity operator plus the Debye-Hueckel screening
   F^2/RT sum z^2 c per cell volume (A_pc is the charge term, diagonal), an M-matrix for AMG.
   Rebuilt from the cell block and the state at each set-up. */
static PetscErrorCode UpdateScreenedSchur(PC inner, Mat A, void *ctx)
{
  SplitContext      *sc = (SplitContext *)ctx;
  const NppModel    *m  = sc->model;
  const NppDisc     *d  = sc->disc;
  const PetscInt     nf = m->fld.nf, phi = m->fld.phi;
  const PetscScalar *u;
  PetscScalar       *dg;
  PetscInt           rstart;
  Vec                diag;
  MatReuse           reuse = sc->Sp ? MAT_REUSE_MATRIX : MAT_INITIAL_MATRIX;

  PetscFunctionBeginUser;
  if (!sc->screened) PetscFunctionReturn(0);
  PetscCall(MatCreateSubMatrix(A, sc->isPhi, sc->isPhi, reuse, &sc->Sp));
  PetscCall(MatCreateVecs(sc->Sp, &diag, NULL));
  PetscCall(MatGetOwnershipRange(A, &rstart, NULL));
  PetscCall(VecGetArrayRead(sc->run->Xloc, &u));
  PetscCall(VecGetArray(diag, &dg));
  for (PetscInt c = 0; c < d->geom->ncells; c++) {
    const PetscInt k = d->ownedPos[c];
    PetscInt       row;
    if (k < 0) continue;
    row   = rstart + nf * k + phi;
    dg[k] = 0;
    for (PetscInt f = 0; f < phi; f++) {
      PetscInt    col = rstart + nf * k + f;
      PetscScalar a;
      PetscCall(MatGetValues(A, 1, &row, 1, &col, &a));
      dg[k] -= a * m->phys.sp[m->fld.speciesOfField[f]].z * PetscMax(PetscRealPart(u[nf * c + f]), 0);
    }
  }
  PetscCall(VecRestoreArray(diag, &dg));
  PetscCall(VecRestoreArrayRead(sc->run->Xloc, &u));
  PetscCall(MatDiagonalSet(sc->Sp, diag, ADD_VALUES));
  PetscCall(VecDestroy(&diag));
  if (reuse == MAT_INITIAL_MATRIX) PetscCall(PCFieldSplitSetSchurPre(inner, PC_FIELDSPLIT_SCHUR_PRE_USER, sc->Sp));
  PetscFunctionReturn(0);
}

/* The Slotboom scaling of the species split (slotboom_pc.c), in its order (owned cells, then
   species): the Boltzmann factor exp(-z phi/V_T - theta)/kappa of each species at the state of
   the Jacobian, i.e. the concentration the species would have in equilibrium with the local
   potential. It makes the two-point Scharfetter-Gummel block exactly symmetric at any state
   (the concentrations themselves do so only in equilibrium: measured 17 Krylov iterations per
   Newton step at every step of cases/space-charge, against 15-209 with c). Normalised per species
   by its largest value, and at least e^-600 of it; 1 for a species absent from a region. */
static PetscErrorCode SpeciesScaling(Vec s, void *ctx)
{
  SplitContext      *sc = (SplitContext *)ctx;
  const NppModel    *m  = sc->model;
  const NppDisc     *d  = sc->disc;
  const PetscInt     nf = m->fld.nf, ns = m->fld.phi, nsp = m->phys.nspecies;
  const PetscScalar *u;
  PetscScalar       *sa;
  PetscReal          emax[NPP_MAX_SPECIES], gmax[NPP_MAX_SPECIES];

  PetscFunctionBeginUser;
  for (PetscInt f = 0; f < ns; f++) emax[f] = PETSC_MIN_REAL;
  PetscCall(VecGetArrayRead(sc->run->Xloc, &u));
  PetscCall(VecGetArray(s, &sa));
  for (PetscInt c = 0; c < d->geom->ncells; c++) {
    const PetscInt k = d->ownedPos[c], r = d->cellRegion[c];
    if (k < 0) continue;
    for (PetscInt f = 0; f < ns; f++) {
      const PetscInt  i     = m->fld.speciesOfField[f];
      const PetscReal kappa = m->fld.kappa[r * nsp + i];
      PetscReal       e;
      if (m->fld.row[r * nf + f] == NPP_ROW_ZERO || !(kappa > 0)) {
        sa[ns * k + f] = PETSC_MAX_REAL; /* marks an absent species */
        continue;
      }
      e              = -m->phys.sp[i].z * PetscRealPart(u[nf * c + m->fld.phi]) - sc->ev->phiScale * m->fld.theta[r * nsp + i] - PetscLogReal(kappa);
      sa[ns * k + f] = e;
      emax[f]        = PetscMax(emax[f], e);
    }
  }
  PetscCall(MPIU_Allreduce(emax, gmax, (PetscMPIInt)ns, MPIU_REAL, MPIU_MAX, PetscObjectComm((PetscObject)s)));
  for (PetscInt k = 0; k < d->nlocalCells / nf; k++)
    for (PetscInt f = 0; f < ns; f++) {
      PetscScalar *v = &sa[ns * k + f];
      *v             = PetscRealPart(*v) == PETSC_MAX_REAL ? 1 : PetscExpReal(PetscMax(PetscRealPart(*v) - gmax[f], -600));
    }
  PetscCall(VecRestoreArray(s, &sa));
  PetscCall(VecRestoreArrayRead(sc->run->Xloc, &u));
  PetscFunctionReturn(0);
}

/* After the fieldsplit's set-up, its species solver exists (not yet set up): in the Poisson
   model, unless the user chose its PC, it becomes the Slotboom preconditioner around the AMG the
   options name. */
static PetscErrorCode CellsReady(PC inner, void *ctx)
{
  SplitContext *sc = (SplitContext *)ctx;
  KSP          *sub;
  PC            pcc;
  PCType        type;
  char          amg[64]; /* a copy: the PC frees its type name when it changes type */
  PetscInt      n;
  PetscBool     isshell;

  PetscFunctionBeginUser;
  if (!sc->slotboom) PetscFunctionReturn(0);
  PetscCall(PCFieldSplitGetSubKSP(inner, &n, &sub));
  PetscCall(KSPGetPC(sub[0], &pcc));
  PetscCall(PetscFree(sub));
  PetscCall(PetscObjectTypeCompare((PetscObject)pcc, PCSHELL, &isshell));
  if (isshell) PetscFunctionReturn(0);
  PetscCall(PCGetType(pcc, &type));
  PetscCall(PetscStrncpy(amg, type, sizeof amg));
  PetscCall(NppSlotboomPCSet(pcc, amg, SpeciesScaling, sc));
  PetscFunctionReturn(0);
}

static PetscErrorCode DestroySplitContext(void *ctx)
{
  SplitContext *sc = (SplitContext *)ctx;

  PetscFunctionBeginUser;
  PetscCall(ISDestroy(&sc->isPhi));
  PetscCall(MatDestroy(&sc->Sp));
  PetscCall(PetscFree(sc));
  PetscFunctionReturn(0);
}

/* A default of the cell preconditioner's sub-solvers, which exist only at its set-up: put in the
   options database unless the case or the command line set the key, and marked used, so that a
   default made irrelevant by a user's choice (hypre's options under -cells_fieldsplit_phi_pc_type
   gamg) is not reported as an unknown key. */
static PetscErrorCode DefaultOption(const char key[], const char value[])
{
  PetscBool set;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsHasName(NULL, NULL, key, &set));
  if (!set) PetscCall(PetscOptionsSetValue(NULL, key, value));
  PetscCall(PetscOptionsHasName(NULL, NULL, key, &set));
  PetscFunctionReturn(0);
}

/* The coupled problems' default (docs/theory.md, "Linear solvers"): the global unknowns
   eliminated by the bordered preconditioner (bordered_pc.c), and on the cells a Schur-complement
   fieldsplit that eliminates the species: lower block factorisation, one BoomerAMG V-cycle on
   the species block and one on an assembled approximation of the potential's Schur complement.
   The species block is a drift-diffusion operator with its mass term: in the electroneutral
   model BoomerAMG on it as it is (GAMG's Chebyshev/Jacobi cycle, made for symmetric operators,
   doubled the outer iterations); in the Poisson model, where the drift inside Debye layers
   dominates, on its Slotboom form (SpeciesScaling, slotboom_pc.c). The potential's Schur
   complement: in the electroneutral model the potential block itself (the conductivity operator,
   spectrally equivalent to the true Schur complement: between the total and the anion's
   conductivity), in the Poisson model the screened Poisson operator of UpdateScreenedSchur. */
static PetscErrorCode CoupledDefaults(const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, const NppRun *run, KSP ksp)
{
  PC            pc, inner;
  SplitContext *sc;
  /* BoomerAMG's strong threshold: 0.25 in 2-D, 0.5 in 3-D (measured on the 3-D protrusion);
     the Poisson model's species block in Slotboom variables, symmetric, 0.25 in 3-D too (3-D
     space charge, 41 k cells: 15-18 Krylov iterations per Newton step against 20-26 at 0.5) */
  const char *strongPhi = disc->geom->dim == 3 ? "0.5" : "0.25";
  const char *strongC   = model->phys.electroneutral ? strongPhi : "0.25";

  PetscFunctionBeginUser;
  PetscCall(KSPSetType(ksp, KSPGMRES));
  PetscCall(KSPSetPCSide(ksp, PC_RIGHT));
  PetscCall(KSPGMRESSetRestart(ksp, 200));
  /* In the Poisson model GMRES drops fast to a relative residual of 1e-9..1e-10, then crawls
     (measured on cases/space-charge: 12 iterations to 1e-9, 200 more to 1e-10), the limit of
     attainable accuracy with species scaled over many orders of magnitude; Newton's own test
     decides the answer, so the linear solve stops at 1e-8 (same Newton steps, same solution). */
  PetscCall(KSPSetTolerances(ksp, model->phys.electroneutral ? 1e-10 : 1e-8, 1e-50, PETSC_DEFAULT, 1000));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PetscNew(&sc));
  sc->model = model;
  sc->disc  = disc;
  sc->run   = run;
  sc->ev    = ev;
  {
    const NppCellPCHooks hooks = {ConfigureCells, UpdateScreenedSchur, CellsReady, DestroySplitContext};
    PetscBool            userSpeciesPC;
    PetscCall(PetscOptionsHasName(NULL, NULL, "-cells_fieldsplit_c_pc_type", &userSpeciesPC));
    sc->slotboom = (PetscBool)(!model->phys.electroneutral && !userSpeciesPC);
    PetscCall(NppBorderedPCSet(pc, disc, PCFIELDSPLIT, &hooks, sc, &inner));
  }
  PetscCall(PCFieldSplitSetType(inner, PC_COMPOSITE_SCHUR));
  PetscCall(PCFieldSplitSetSchurFactType(inner, PC_FIELDSPLIT_SCHUR_FACT_LOWER));
  PetscCall(PCFieldSplitSetSchurPre(inner, model->phys.electroneutral ? PC_FIELDSPLIT_SCHUR_PRE_A11 : PC_FIELDSPLIT_SCHUR_PRE_SELFP, NULL));
  PetscCall(DefaultOption("-cells_fieldsplit_c_ksp_type", "preonly"));
  PetscCall(DefaultOption("-cells_fieldsplit_phi_ksp_type", "preonly"));
  PetscCall(DefaultOption("-cells_fieldsplit_phi_pc_use_amat", "false")); /* AMG on the assembled approximation, not the implicit Schur complement */
  for (PetscInt s = 0; s < 2; s++) {
    char key[128];
#if defined(PETSC_HAVE_HYPRE)
    const char *opt[][2] = {
      {"pc_type",                             "hypre"                },
      {"pc_hypre_type",                       "boomeramg"            },
      {"pc_hypre_boomeramg_strong_threshold", s ? strongPhi : strongC},
      {"pc_hypre_boomeramg_coarsen_type",     "HMIS"                 },
      {"pc_hypre_boomeramg_interp_type",      "ext+i"                }
    };
#else
    const char *opt[][2] = {
      {"pc_type", "gamg"}
    };
#endif
    for (size_t k = 0; k < sizeof opt / sizeof opt[0]; k++) {
      PetscCall(PetscSNPrintf(key, sizeof key, "-cells_fieldsplit_%s_%s", s ? "phi" : "c", opt[k][0]));
      PetscCall(DefaultOption(key, opt[k][1]));
    }
  }
  PetscFunctionReturn(0);
}

/* Defaults that need no tuning (all overridable with -ksp_* / -pc_* / -cells_*): a
   potential-only problem is a diffusion operator: CG (symmetric) or right-preconditioned GMRES
   with GAMG. Coupled species and potential: MUMPS LU up to -solver_direct_max_unknowns (20 000),
   beyond that GMRES with the bordered Schur-complement preconditioner (CoupledDefaults), in the
   electroneutral model rebuilt every third Newton iteration. */
PetscErrorCode NppLinearSolverDefaults(MPI_Comm comm, const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, const NppRun *run, SNES snes)
{
  KSP      ksp;
  PC       pc;
  PetscInt N, maxDirect = 20000;

  PetscFunctionBeginUser;
  PetscCall(SNESGetKSP(snes, &ksp));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(NppSolverOptions(comm, &maxDirect));
  PetscCall(VecGetSize(run->X, &N));
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
    PetscCall(CoupledDefaults(model, disc, ev, run, ksp));
    /* The preconditioner is rebuilt every third Newton iteration, counted across time steps: the
       Jacobian changes little between them, and GMRES still solves with the current one.
       Measured on the 3-D protrusion (60 k cells, PHLP, 10 steps): solve 22.5 -> 15.7 s, Newton
       and Krylov iterations and the answer unchanged (every 2nd within a step: no gain, as a
       step takes 2-3 Newton iterations; every 5th: 15.1 s). Not in the Poisson model, whose
       steady continuation changes the Jacobian much between solves. */
    if (model->phys.electroneutral) {
      PetscCall(SNESSetLagPreconditioner(snes, 3));
      PetscCall(SNESSetLagPreconditionerPersists(snes, PETSC_TRUE));
    }
  }
  PetscFunctionReturn(0);
}

/* With -pc_type fieldsplit on the whole system: the split "c" holds the species unknowns, "phi"
   the potential and the global unknowns (electrode potentials), e.g.
   -pc_type fieldsplit -pc_fieldsplit_type multiplicative -fieldsplit_phi_pc_type gamg. */
PetscErrorCode NppFieldSplitSetUp(const NppModel *model, const NppDisc *disc, KSP ksp)
{
  PC        pc;
  PetscBool isfs;

  PetscFunctionBeginUser;
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PetscObjectTypeCompare((PetscObject)pc, PCFIELDSPLIT, &isfs));
  if (!isfs || model->fld.nf == 1) PetscFunctionReturn(0);
  PetscCall(SetSplits(pc, model, disc, PETSC_TRUE, NULL));
  PetscFunctionReturn(0);
}
