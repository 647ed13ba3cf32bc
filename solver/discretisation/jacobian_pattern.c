/* SPDX-License-Identifier: BSD-2-Clause */
#include "jacobian_pattern.h"

/* Building the pattern (jacobian_pattern.h): NppJacPatternBegin, a walk in NPP_WALK_COUNT
   mode, NppJacPatternCounted, a walk in NPP_WALK_RECORD mode, NppJacPatternRecorded. Between
   the two walks the visits are held once (a column per visit); after, only the unique entries. */

PetscErrorCode NppJacPatternBegin(NppJacPattern *p, PetscInt rstart, PetscInt nrows)
{
  PetscFunctionBeginUser;
  PetscCall(NppJacPatternDestroy(p));
  p->rstart = rstart;
  p->nrows  = nrows;
  PetscCall(PetscCalloc1(nrows + 1, &p->rowStart));
  PetscFunctionReturn(0);
}

/* After the counting walk: room for every visit, row by row. */
PetscErrorCode NppJacPatternCounted(NppJacPattern *p, NppWalk *w)
{
  PetscCount total = 0;

  PetscFunctionBeginUser;
  for (PetscInt r = 0; r < p->nrows; r++) total += p->rowStart[r + 1];
  PetscCheck(total <= PETSC_MAX_INT, PETSC_COMM_SELF, PETSC_ERR_SUP, "the Jacobian walk visits more than %d entries on a rank: run on more ranks", (int)PETSC_MAX_INT);
  for (PetscInt r = 0; r < p->nrows; r++) p->rowStart[r + 1] += p->rowStart[r];
  PetscCall(PetscMalloc1(p->rowStart[p->nrows], &p->col));
  PetscCall(PetscMalloc2(p->nOffVisits, &p->offRow, p->nOffVisits, &p->offCol));
  PetscCall(PetscCalloc1(p->nrows, &w->fill));
  w->mode = NPP_WALK_RECORD;
  w->n = w->off = 0;
  PetscFunctionReturn(0);
}

static int CompareEntry(const void *a, const void *b)
{
  const PetscInt *x = (const PetscInt *)a, *y = (const PetscInt *)b;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  if (x[1] != y[1]) return x[1] < y[1] ? -1 : 1;
  return x[2] < y[2] ? -1 : (x[2] > y[2]);
}

/* After the recording walk: each row sorted and merged in place; the off-rank visits sorted,
   merged, and each given its slot. */
PetscErrorCode NppJacPatternRecorded(NppJacPattern *p, NppWalk *w)
{
  PetscInt nnz = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscFree(w->fill));
  for (PetscInt r = 0; r < p->nrows; r++) {
    PetscInt  n    = p->rowStart[r + 1] - p->rowStart[r];
    PetscInt *cols = p->col + p->rowStart[r];
    PetscCall(PetscSortRemoveDupsInt(&n, cols));
    p->rowStart[r] = nnz; /* rows move only towards the front: row r's start is read before it is written */
    PetscCall(PetscArraymove(p->col + nnz, cols, n));
    nnz += n;
  }
  p->rowStart[p->nrows] = nnz;
  p->nnz                = nnz;
  PetscCall(PetscInfo(NULL, "Jacobian pattern: %" PetscCount_FMT " visits, %" PetscInt_FMT " local entries in %" PetscInt_FMT " rows\n", w->n, nnz, p->nrows));
  PetscCall(PetscRealloc(sizeof(PetscInt) * (size_t)PetscMax(nnz, 1), &p->col));
  {
    /* off-rank visits: (row, col, visit) triples sorted; equal (row, col) share a slot */
    const PetscInt n = (PetscInt)p->nOffVisits;
    PetscInt      *t, nu = 0;
    PetscCall(PetscMalloc1(3 * n, &t));
    for (PetscInt k = 0; k < n; k++) t[3 * k] = p->offRow[k], t[3 * k + 1] = p->offCol[k], t[3 * k + 2] = k;
    qsort(t, (size_t)n, 3 * sizeof(PetscInt), CompareEntry);
    PetscCall(PetscMalloc1(n, &p->offSlot));
    for (PetscInt k = 0; k < n; k++) {
      if (k == 0 || t[3 * k] != t[3 * (k - 1)] || t[3 * k + 1] != t[3 * (k - 1) + 1]) {
        p->offRow[nu] = t[3 * k], p->offCol[nu] = t[3 * k + 1];
        nu++;
      }
      p->offSlot[t[3 * k + 2]] = nnz + nu - 1;
    }
    PetscCall(PetscFree(t));
    p->nslots = nnz + nu;
  }
  w->mode = NPP_WALK_VALUES;
  w->n = w->off = 0;
  PetscFunctionReturn(0);
}

/* J's nonzero pattern: its unique entries as COO (MatSetValuesCOO then takes the slots' values). */
PetscErrorCode NppJacPatternPreallocate(const NppJacPattern *p, Mat J)
{
  PetscInt *ci, *cj;
  PetscInt  noff = p->nslots - p->nnz;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc2(p->nslots, &ci, p->nslots, &cj));
  for (PetscInt r = 0; r < p->nrows; r++)
    for (PetscInt k = p->rowStart[r]; k < p->rowStart[r + 1]; k++) ci[k] = p->rstart + r, cj[k] = p->col[k];
  for (PetscInt k = 0; k < noff; k++) ci[p->nnz + k] = p->offRow[k], cj[p->nnz + k] = p->offCol[k];
  PetscCall(MatSetPreallocationCOO(J, p->nslots, ci, cj));
  PetscCall(PetscFree2(ci, cj));
  PetscFunctionReturn(0);
}

PetscErrorCode NppJacPatternDestroy(NppJacPattern *p)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(p->rowStart));
  PetscCall(PetscFree(p->col));
  PetscCall(PetscFree2(p->offRow, p->offCol));
  PetscCall(PetscFree(p->offSlot));
  PetscCall(PetscMemzero(p, sizeof(*p)));
  PetscFunctionReturn(0);
}
