/* SPDX-License-Identifier: BSD-2-Clause */
#pragma once
#include <petscmat.h>

/* The Jacobian's sparsity as the operator walk emits it. The walk visits a (row, column) pair
   once per face whose flux depends on it -- about ten times per matrix entry on tetrahedra with
   a two-ring reconstruction -- so the pattern is kept per row, unique and sorted (CSR), and each
   visit adds its value into its entry's slot, found by bisection in the row: memory in the
   matrix entries, not in the visits. Rows of other ranks (the terms of a galvanostatic
   electrode's current constraint, stored on one rank) are few: there each visit keeps its slot,
   and the owner of the row merges these entries into its own rows at preallocation.
   The matrix is AIJ with exactly this pattern, and the slots are its values in CSR order: they
   are copied into its diagonal and off-diagonal blocks directly (no COO maps, which cost 16
   bytes per entry), after an SF has added the off-rank slots into their owners' slots. */
typedef struct {
  PetscInt   rstart, nrows;   /* the local rows [rstart, rstart + nrows) */
  PetscInt  *rowStart;        /* [nrows + 1] */
  PetscInt  *col;             /* [nnz] global columns, sorted and unique within a row */
  PetscInt   nnz;             /* local entries: the first slots */
  PetscCount nOffVisits;      /* visits of other ranks' rows */
  PetscInt  *offSlot;         /* [nOffVisits] the slot of each, in visit order (after nnz) */
  PetscInt   nslots;          /* nnz + the distinct off-rank entries */
  PetscInt  *offRow, *offCol; /* [nslots - nnz] the distinct off-rank entries */
  PetscSF    offSF;           /* leaves: the off-rank slots; roots: their slots on the owners */
} NppJacPattern;

/* How the walk treats an entry: count it, record it, or add its value. */
typedef enum {
  NPP_WALK_COUNT,
  NPP_WALK_RECORD,
  NPP_WALK_VALUES
} NppWalkMode;

typedef struct {
  NppWalkMode    mode;
  PetscCount     n;   /* entries visited */
  PetscCount     off; /* of which in other ranks' rows */
  NppJacPattern *p;
  PetscInt      *fill; /* NPP_WALK_RECORD: entries recorded per row so far */
  PetscReal     *v;    /* NPP_WALK_VALUES: [p->nslots] */
} NppWalk;

/* The slot of (row, col) of a local row: bisection in the row's sorted columns. */
static inline PetscInt NppJacPatternSlot(const NppJacPattern *p, PetscInt r, PetscInt col)
{
  PetscInt lo = p->rowStart[r], hi = p->rowStart[r + 1] - 1;
  while (lo < hi) {
    const PetscInt mid = (lo + hi) / 2;
    if (p->col[mid] < col) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static inline void NppWalkAdd(NppWalk *w, PetscInt row, PetscInt col, PetscReal val)
{
  NppJacPattern  *p     = w->p;
  const PetscInt  r     = row - p->rstart;
  const PetscBool local = (PetscBool)(r >= 0 && r < p->nrows);

  switch (w->mode) {
  case NPP_WALK_COUNT:
    if (local) p->rowStart[r + 1]++;
    else p->nOffVisits++;
    break;
  case NPP_WALK_RECORD:
    if (local) p->col[p->rowStart[r] + w->fill[r]++] = col;
    else p->offRow[w->off] = row, p->offCol[w->off] = col;
    break;
  case NPP_WALK_VALUES:
    w->v[local ? NppJacPatternSlot(p, r, col) : p->offSlot[w->off]] += val;
    break;
  }
  if (!local) w->off++;
  w->n++;
}

PetscErrorCode NppJacPatternBegin(NppJacPattern *p, PetscInt rstart, PetscInt nrows);
PetscErrorCode NppJacPatternCounted(NppJacPattern *p, NppWalk *w);
PetscErrorCode NppJacPatternRecorded(NppJacPattern *p, NppWalk *w);
/* Collective: merges the off-rank entries into their owners' rows (nnz and nslots change there),
   then preallocates J (AIJ, sized) with exactly the pattern and assembles its structure. */
PetscErrorCode NppJacPatternPreallocate(NppJacPattern *p, Mat J);
/* Collective: J's values from the slots v (v's off-rank slots are added into their owners'). */
PetscErrorCode NppJacPatternSetValues(const NppJacPattern *p, PetscReal v[], Mat J);
PetscErrorCode NppJacPatternDestroy(NppJacPattern *p);
