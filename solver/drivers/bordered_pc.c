/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"

/* The coupled problems' preconditioner: the Jacobian with global unknowns (galvanostatic
   electrode potentials) is bordered,

       J = [A B]   A: cells x cells (species and potential), B: cells x globals,
           [C D]   C: the current constraints' derivatives, D: globals x globals,

   and a border in an algebraic multigrid hierarchy is a dense row and column: it makes the coarse
   operators dense (measured: BoomerAMG set-up and V-cycles 10x slower on the 3-D protrusion). So
   the border is eliminated exactly with respect to the cell preconditioner P ~ A (options prefix
   "cells_"): at set-up W = P^-1 B (one application per global unknown) and the small dense Schur
   complement S = D - C W; each application then costs one application of P,

       z = P^-1 r_c,   y_g = S^-1 (r_g - C z),   y_c = z - W y_g,

   i.e. the block factorisation of [P B; C D], exact when P = A. Without global unknowns it is P
   on J itself. */

/* LU with partial pivoting of the n x n column-major a (n: the number of electrodes under
   current control, 1 or 2 in practice; no LAPACK needed). */
static PetscBool DenseLUFactor(PetscInt n, PetscScalar *a, PetscInt *piv)
{
  for (PetscInt k = 0; k < n; k++) {
    PetscInt p = k;
    for (PetscInt i = k + 1; i < n; i++)
      if (PetscAbsScalar(a[i + n * k]) > PetscAbsScalar(a[p + n * k])) p = i;
    if (!(PetscAbsScalar(a[p + n * k]) > 0)) return PETSC_FALSE;
    piv[k] = p;
    for (PetscInt j = 0; j < n; j++) {
      PetscScalar t = a[k + n * j];
      a[k + n * j]  = a[p + n * j];
      a[p + n * j]  = t;
    }
    for (PetscInt i = k + 1; i < n; i++) {
      a[i + n * k] /= a[k + n * k];
      for (PetscInt j = k + 1; j < n; j++) a[i + n * j] -= a[i + n * k] * a[k + n * j];
    }
  }
  return PETSC_TRUE;
}

static void DenseLUSolve(PetscInt n, const PetscScalar *a, const PetscInt *piv, PetscScalar *x)
{
  for (PetscInt k = 0; k < n; k++) {
    PetscScalar t = x[k];
    x[k]          = x[piv[k]];
    x[piv[k]]     = t;
    for (PetscInt i = k + 1; i < n; i++) x[i] -= a[i + n * k] * x[k];
  }
  for (PetscInt k = n - 1; k >= 0; k--) {
    for (PetscInt j = k + 1; j < n; j++) x[k] -= a[k + n * j] * x[j];
    x[k] /= a[k + n * k];
  }
}

typedef struct {
  PetscInt     nglobal;
  PetscMPIInt  owner, rank;
  PetscInt     nlocalCells;
  IS           isCells, isGlobals;
  Mat          A, B, C;
  PC           inner;
  Vec         *W, z, Cz;
  PetscScalar *S; /* [nglobal^2] column-major, LU-factored, on the owner */
  PetscInt    *pivots;
  PetscScalar *yg; /* [nglobal] work: the global part of an application */
  PetscBool    configured;
  PetscErrorCode (*configure)(PC inner, void *ctx);     /* sets the inner splits once options are read */
  PetscErrorCode (*update)(PC inner, Mat A, void *ctx); /* before each set-up of the inner PC on A */
  PetscErrorCode (*ready)(PC inner, void *ctx);         /* after it, before its first application */
  PetscErrorCode (*destroy)(void *ctx);
  void *ctx;
} Bordered;

static PetscErrorCode BorderedSetUp(PC pc)
{
  Bordered *b;
  Mat       J;
  MatReuse  reuse;
  PetscInt  ng, row0;

  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &b));
  ng = b->nglobal;
  PetscCall(PCGetOperators(pc, NULL, &J));
  if (!b->configured) {
    PetscCall(PCSetFromOptions(b->inner));
    if (b->configure) PetscCall(b->configure(b->inner, b->ctx));
    b->configured = PETSC_TRUE;
  }
  if (!ng) {
    PetscCall(PCSetOperators(b->inner, J, J));
    if (b->update) PetscCall(b->update(b->inner, J, b->ctx));
    PetscCall(PCSetUp(b->inner));
    if (b->ready) PetscCall(b->ready(b->inner, b->ctx));
    PetscFunctionReturn(0);
  }
  reuse = b->A ? MAT_REUSE_MATRIX : MAT_INITIAL_MATRIX;
  PetscCall(MatCreateSubMatrix(J, b->isCells, b->isCells, reuse, &b->A));
  PetscCall(MatCreateSubMatrix(J, b->isCells, b->isGlobals, reuse, &b->B));
  PetscCall(MatCreateSubMatrix(J, b->isGlobals, b->isCells, reuse, &b->C));
  PetscCall(PCSetOperators(b->inner, b->A, b->A));
  if (b->update) PetscCall(b->update(b->inner, b->A, b->ctx));
  PetscCall(PCSetUp(b->inner));
  if (b->ready) PetscCall(b->ready(b->inner, b->ctx));
  if (!b->W) {
    PetscCall(MatCreateVecs(b->A, &b->z, NULL));
    PetscCall(VecDuplicateVecs(b->z, ng, &b->W));
    PetscCall(MatCreateVecs(b->C, NULL, &b->Cz));
  }
  /* S = D - C W, column by column, assembled and factored on the owner */
  PetscCall(MatGetOwnershipRange(J, &row0, NULL));
  for (PetscInt k = 0; k < ng; k++) {
    PetscCall(MatGetColumnVector(b->B, b->z, k));
    PetscCall(PCApply(b->inner, b->z, b->W[k]));
    PetscCall(MatMult(b->C, b->W[k], b->Cz));
    if (b->rank == b->owner) {
      const PetscScalar *cz;
      PetscCall(VecGetArrayRead(b->Cz, &cz));
      for (PetscInt j = 0; j < ng; j++) {
        PetscInt    row = row0 + b->nlocalCells + j, col = row0 + b->nlocalCells + k;
        PetscScalar d;
        PetscCall(MatGetValues(J, 1, &row, 1, &col, &d));
        b->S[j + ng * k] = d - cz[j];
      }
      PetscCall(VecRestoreArrayRead(b->Cz, &cz));
    }
  }
  {
    PetscBool regular = b->rank == b->owner ? DenseLUFactor(ng, b->S, b->pivots) : PETSC_TRUE;
    PetscCallMPI(MPI_Bcast(&regular, 1, MPIU_BOOL, b->owner, PetscObjectComm((PetscObject)pc)));
    PetscCheck(regular, PetscObjectComm((PetscObject)pc), PETSC_ERR_MAT_LU_ZRPVT, "the electrode potentials' Schur complement is singular: a current constraint does not depend on the potentials");
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode BorderedApply(PC pc, Vec r, Vec y)
{
  Bordered    *b;
  Vec          rc, yc;
  PetscInt     ng;
  PetscScalar *yg;

  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &b));
  ng = b->nglobal;
  yg = b->yg;
  if (!ng) {
    PetscCall(PCApply(b->inner, r, y));
    PetscFunctionReturn(0);
  }
  PetscCall(VecGetSubVector(r, b->isCells, &rc));
  PetscCall(PCApply(b->inner, rc, b->z));
  PetscCall(VecRestoreSubVector(r, b->isCells, &rc));
  PetscCall(MatMult(b->C, b->z, b->Cz));
  if (b->rank == b->owner) { /* y_g = S^-1 (r_g - C z) */
    const PetscScalar *ra, *cz;
    PetscCall(VecGetArrayRead(r, &ra));
    PetscCall(VecGetArrayRead(b->Cz, &cz));
    for (PetscInt j = 0; j < ng; j++) yg[j] = ra[b->nlocalCells + j] - cz[j];
    PetscCall(VecRestoreArrayRead(b->Cz, &cz));
    PetscCall(VecRestoreArrayRead(r, &ra));
    DenseLUSolve(ng, b->S, b->pivots, yg);
  }
  PetscCallMPI(MPI_Bcast(yg, (PetscMPIInt)ng, MPIU_SCALAR, b->owner, PetscObjectComm((PetscObject)pc)));
  for (PetscInt k = 0; k < ng; k++) yg[k] = -yg[k];
  PetscCall(VecMAXPY(b->z, ng, yg, b->W)); /* y_c = z - W y_g */
  PetscCall(VecGetSubVector(y, b->isCells, &yc));
  PetscCall(VecCopy(b->z, yc));
  PetscCall(VecRestoreSubVector(y, b->isCells, &yc));
  if (b->rank == b->owner) {
    PetscScalar *ya;
    PetscCall(VecGetArray(y, &ya));
    for (PetscInt j = 0; j < ng; j++) ya[b->nlocalCells + j] = -yg[j];
    PetscCall(VecRestoreArray(y, &ya));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode BorderedView(PC pc, PetscViewer viewer)
{
  Bordered *b;
  PetscBool ascii;

  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &b));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &ascii));
  if (!ascii) PetscFunctionReturn(0);
  PetscCall(PetscViewerASCIIPrintf(viewer, "npp bordered: %" PetscInt_FMT " global unknown(s) eliminated with a dense Schur complement; cell preconditioner (prefix cells_):\n", b->nglobal));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PCView(b->inner, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

static PetscErrorCode BorderedDestroy(PC pc)
{
  Bordered *b;

  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &b));
  PetscCall(ISDestroy(&b->isCells));
  PetscCall(ISDestroy(&b->isGlobals));
  PetscCall(MatDestroy(&b->A));
  PetscCall(MatDestroy(&b->B));
  PetscCall(MatDestroy(&b->C));
  PetscCall(PCDestroy(&b->inner));
  if (b->W) PetscCall(VecDestroyVecs(b->nglobal, &b->W));
  PetscCall(VecDestroy(&b->z));
  PetscCall(VecDestroy(&b->Cz));
  PetscCall(PetscFree3(b->S, b->pivots, b->yg));
  if (b->destroy) PetscCall(b->destroy(b->ctx));
  PetscCall(PetscFree(b));
  PetscFunctionReturn(0);
}

/* Makes pc the bordered preconditioner of the layout of disc; the cell preconditioner is created
   with prefix "cells_" and type innerType, read from the options at the first set-up, after
   which hooks->configure(inner, ctx) may complete it (index sets of a fieldsplit);
   hooks->update(inner, A, ctx) runs before each set-up of the inner PC on the cell block A and
   hooks->ready(inner, ctx) after it (the sub-solvers of a fieldsplit exist then);
   hooks->destroy(ctx) when pc is destroyed. Any hook may be NULL. */
PetscErrorCode NppBorderedPCSet(PC pc, const NppDisc *disc, PCType innerType, const NppCellPCHooks *hooks, void *ctx, PC *inner)
{
  MPI_Comm  comm = PetscObjectComm((PetscObject)pc);
  Bordered *b;
  PetscInt  rstart;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&b));
  b->nglobal     = disc->nglobal;
  b->owner       = disc->globalOwner;
  b->nlocalCells = disc->nlocalCells;
  b->configure   = hooks->configure;
  b->update      = hooks->update;
  b->ready       = hooks->ready;
  b->destroy     = hooks->destroy;
  b->ctx         = ctx;
  PetscCallMPI(MPI_Comm_rank(comm, &b->rank));
  PetscCall(PetscMalloc3(b->nglobal * b->nglobal, &b->S, b->nglobal, &b->pivots, b->nglobal, &b->yg));
  PetscCall(PCCreate(comm, &b->inner));
  PetscCall(PCSetOptionsPrefix(b->inner, "cells_"));
  PetscCall(PCSetType(b->inner, innerType));
  if (b->nglobal) {
    PetscCall(VecGetOwnershipRange(disc->Xcells, &rstart, NULL));
    PetscCall(ISCreateStride(comm, disc->nlocalCells, rstart, 1, &b->isCells));
    PetscCall(ISCreateStride(comm, b->rank == b->owner ? b->nglobal : 0, disc->globalRow0, 1, &b->isGlobals));
  }
  PetscCall(PCSetType(pc, PCSHELL));
  PetscCall(PCShellSetContext(pc, b));
  PetscCall(PCShellSetName(pc, "npp bordered"));
  PetscCall(PCShellSetSetUp(pc, BorderedSetUp));
  PetscCall(PCShellSetApply(pc, BorderedApply));
  PetscCall(PCShellSetView(pc, BorderedView));
  PetscCall(PCShellSetDestroy(pc, BorderedDestroy));
  if (inner) *inner = b->inner;
  PetscFunctionReturn(0);
}
