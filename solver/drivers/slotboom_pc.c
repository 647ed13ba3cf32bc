/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"

/* The species block of the Poisson model in Slotboom variables. Inside a Debye layer the species
   block A (Nernst-Planck at fixed potential) is drift-dominated: strongly non-symmetric, and
   algebraic multigrid made for diffusion operators converges slowly on it (measured: 240-450
   Krylov iterations per Newton step on cases/space-charge). In terms of ln c, i.e. with the
   columns scaled by the concentrations, A diag(c), the flux of a species is
   -D c grad(ln c + z phi + mu0/RT) and its derivative at fixed potential is -D c grad(d ln c)
   plus a drift term proportional to the electrochemical-potential gradient, which vanishes at
   equilibrium: the Scharfetter-Gummel flux matrix scaled so is then exactly symmetric (a
   conductance c_face D/h per face), a diffusion operator with varying coefficient that AMG
   handles. So the preconditioner is

       P^-1 r = diag(s) AMG(A diag(s))^-1 r,   s = the species concentrations of the state,

   which is A^-1 when the AMG solve is exact. The AMG works on a scaled copy of A, rebuilt at
   each set-up; its options have the prefix of this PC (e.g. -cells_fieldsplit_c_pc_hypre_*). */

typedef struct {
  PC  amg;
  Mat As; /* A diag(s) */
  Vec s;
  PetscErrorCode (*scaling)(Vec s, void *ctx);
  void *ctx;
} Slotboom;

static PetscErrorCode SlotboomSetUp(PC pc)
{
  Slotboom *sb;
  Mat       A;

  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &sb));
  PetscCall(PCGetOperators(pc, NULL, &A));
  if (sb->As) PetscCall(MatCopy(A, sb->As, SAME_NONZERO_PATTERN));
  else {
    PetscCall(MatDuplicate(A, MAT_COPY_VALUES, &sb->As));
    PetscCall(MatCreateVecs(A, &sb->s, NULL));
  }
  PetscCall(sb->scaling(sb->s, sb->ctx));
  PetscCall(MatDiagonalScale(sb->As, NULL, sb->s));
  PetscCall(PCSetOperators(sb->amg, sb->As, sb->As));
  PetscCall(PCSetUp(sb->amg));
  PetscFunctionReturn(0);
}

static PetscErrorCode SlotboomApply(PC pc, Vec r, Vec y)
{
  Slotboom *sb;

  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &sb));
  PetscCall(PCApply(sb->amg, r, y));
  PetscCall(VecPointwiseMult(y, y, sb->s));
  PetscFunctionReturn(0);
}

static PetscErrorCode SlotboomView(PC pc, PetscViewer viewer)
{
  Slotboom *sb;
  PetscBool ascii;

  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &sb));
  PetscCall(PetscObjectTypeCompare((PetscObject)viewer, PETSCVIEWERASCII, &ascii));
  if (!ascii) PetscFunctionReturn(0);
  PetscCall(PetscViewerASCIIPrintf(viewer, "npp slotboom: the species block with its columns scaled by the concentrations (ln c variables), preconditioned by:\n"));
  PetscCall(PetscViewerASCIIPushTab(viewer));
  PetscCall(PCView(sb->amg, viewer));
  PetscCall(PetscViewerASCIIPopTab(viewer));
  PetscFunctionReturn(0);
}

static PetscErrorCode SlotboomDestroy(PC pc)
{
  Slotboom *sb;

  PetscFunctionBeginUser;
  PetscCall(PCShellGetContext(pc, &sb));
  PetscCall(PCDestroy(&sb->amg));
  PetscCall(MatDestroy(&sb->As));
  PetscCall(VecDestroy(&sb->s));
  PetscCall(PetscFree(sb));
  PetscFunctionReturn(0);
}

/* Makes pc the Slotboom preconditioner of its operator; scaling(s, ctx) fills s (the layout of
   the operator's columns) with the concentrations at each set-up; the AMG is of type amgType,
   then read from the options with pc's prefix. */
PetscErrorCode NppSlotboomPCSet(PC pc, PCType amgType, PetscErrorCode (*scaling)(Vec, void *), void *ctx)
{
  Slotboom   *sb;
  const char *prefix;
  Mat         A, P;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&sb));
  sb->scaling = scaling;
  sb->ctx     = ctx;
  PetscCall(PCGetOptionsPrefix(pc, &prefix));
  PetscCall(PCCreate(PetscObjectComm((PetscObject)pc), &sb->amg));
  PetscCall(PCSetOptionsPrefix(sb->amg, prefix));
  PetscCall(PCSetType(sb->amg, amgType));
  PetscCall(PCSetFromOptions(sb->amg));
  PetscCall(PCGetOperators(pc, &A, &P));
  PetscCall(PetscObjectReference((PetscObject)A));
  PetscCall(PetscObjectReference((PetscObject)P));
  PetscCall(PCSetType(pc, PCSHELL)); /* resets the PC, not its operators */
  PetscCall(PCSetOperators(pc, A, P));
  PetscCall(MatDestroy(&A));
  PetscCall(MatDestroy(&P));
  PetscCall(PCShellSetContext(pc, sb));
  PetscCall(PCShellSetName(pc, "npp slotboom"));
  PetscCall(PCShellSetSetUp(pc, SlotboomSetUp));
  PetscCall(PCShellSetApply(pc, SlotboomApply));
  PetscCall(PCShellSetView(pc, SlotboomView));
  PetscCall(PCShellSetDestroy(pc, SlotboomDestroy));
  PetscFunctionReturn(0);
}
