/* SPDX-License-Identifier: BSD-2-Clause */
#include "jacobian_pattern.h"
#include <petscsf.h>

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
    if (n) qsort(t, (size_t)n, 3 * sizeof(PetscInt), CompareEntry); /* t is NULL when n is 0 */
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

static int CompareEntry2(const void *a, const void *b)
{
  const PetscInt *x = (const PetscInt *)a, *y = (const PetscInt *)b;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : (x[1] > y[1]);
}

/* a[0..na) merged with the sorted x[0..nx) into out, unique and sorted; returns the length. */
static PetscInt MergeRow(const PetscInt *a, PetscInt na, const PetscInt *x, PetscInt nx, PetscInt *out)
{
  PetscInt i = 0, j = 0, n = 0;
  while (i < na || j < nx) {
    const PetscInt c = j >= nx || (i < na && a[i] <= x[j]) ? a[i] : x[j];
    out[n++]         = c;
    while (i < na && a[i] == c) i++;
    while (j < nx && x[j] == c) j++;
  }
  return n;
}

/* Merges the received (global row, column) pairs t[0..2n), sorted, into the local rows. */
static PetscErrorCode MergeReceived(NppJacPattern *p, PetscInt n, const PetscInt t[])
{
  PetscInt *start, *col, *x, nnz = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc3(p->nrows + 1, &start, p->nnz + n, &col, n, &x));
  start[0] = 0;
  for (PetscInt r = 0, k = 0; r < p->nrows; r++) {
    PetscInt nx = 0;
    for (; k < n && t[2 * k] - p->rstart == r; k++) x[nx++] = t[2 * k + 1];
    nnz += MergeRow(p->col + p->rowStart[r], p->rowStart[r + 1] - p->rowStart[r], x, nx, col + nnz);
    start[r + 1] = nnz;
  }
  PetscCall(PetscInfo(NULL, "Jacobian pattern: %" PetscInt_FMT " entries of other ranks' visits received, %" PetscInt_FMT " new\n", n, nnz - p->nnz));
  PetscCall(PetscArraycpy(p->rowStart, start, p->nrows + 1));
  PetscCall(PetscFree(p->col));
  PetscCall(PetscMalloc1(PetscMax(nnz, 1), &p->col));
  PetscCall(PetscArraycpy(p->col, col, nnz));
  PetscCall(PetscFree3(start, col, x));
  for (PetscInt k = 0; k < (PetscInt)p->nOffVisits; k++) p->offSlot[k] += nnz - p->nnz; /* after the local slots */
  p->nslots += nnz - p->nnz;
  p->nnz = nnz;
  PetscFunctionReturn(0);
}

/* The off-rank entries go to the ranks that own their rows, which merge them into their rows and
   answer with their slots; the SF from these slots to the owners' carries the values. */
static PetscErrorCode ExchangeOffRank(NppJacPattern *p, MPI_Comm comm)
{
  PetscMPIInt  size, *scount, *rcount, *sdispl, *rdispl;
  PetscLayout  map;
  const PetscInt noff = p->nslots - p->nnz;
  PetscInt     nrecv, *send, *recv, *slot;
  PetscSFNode *remote;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscLayoutCreateFromSizes(comm, p->nrows, PETSC_DECIDE, 1, &map));
  PetscCall(PetscCalloc4(size, &scount, size, &rcount, size + 1, &sdispl, size + 1, &rdispl));
  PetscCall(PetscMalloc1(2 * noff, &send));
  PetscCall(PetscMalloc1(noff, &remote)); /* the SF owns it */
  for (PetscInt k = 0; k < noff; k++) { /* sorted by row, so grouped by owner in rank order */
    PetscMPIInt owner;
    PetscCall(PetscLayoutFindOwner(map, p->offRow[k], &owner));
    remote[k].rank = owner;
    scount[owner] += 2;
    send[2 * k] = p->offRow[k], send[2 * k + 1] = p->offCol[k];
  }
  PetscCallMPI(MPI_Alltoall(scount, 1, MPI_INT, rcount, 1, MPI_INT, comm));
  for (PetscMPIInt q = 0; q < size; q++) sdispl[q + 1] = sdispl[q] + scount[q], rdispl[q + 1] = rdispl[q] + rcount[q];
  nrecv = rdispl[size] / 2;
  PetscCall(PetscMalloc2(2 * nrecv, &recv, nrecv, &slot));
  PetscCallMPI(MPI_Alltoallv(send, scount, sdispl, MPIU_INT, recv, rcount, rdispl, MPIU_INT, comm));
  if (nrecv) {
    PetscInt *t;
    PetscCall(PetscMalloc1(2 * nrecv, &t));
    PetscCall(PetscArraycpy(t, recv, 2 * nrecv));
    qsort(t, (size_t)nrecv, 2 * sizeof(PetscInt), CompareEntry2);
    PetscCall(MergeReceived(p, nrecv, t));
    PetscCall(PetscFree(t));
  }
  for (PetscInt k = 0; k < nrecv; k++) slot[k] = NppJacPatternSlot(p, recv[2 * k] - p->rstart, recv[2 * k + 1]);
  /* the answer: one slot per pair, in the order sent */
  for (PetscMPIInt q = 0; q < size; q++) scount[q] /= 2, sdispl[q] /= 2, rcount[q] /= 2, rdispl[q] /= 2;
  PetscCallMPI(MPI_Alltoallv(slot, rcount, rdispl, MPIU_INT, send, scount, sdispl, MPIU_INT, comm));
  for (PetscInt k = 0; k < noff; k++) remote[k].index = send[k];
  PetscCall(PetscSFCreate(comm, &p->offSF));
  PetscCall(PetscSFSetGraph(p->offSF, p->nnz, noff, NULL, PETSC_OWN_POINTER, remote, PETSC_OWN_POINTER));
  PetscCall(PetscSFSetUp(p->offSF));
  PetscCall(PetscFree(send));
  PetscCall(PetscFree2(recv, slot));
  PetscCall(PetscFree4(scount, rcount, sdispl, rdispl));
  PetscCall(PetscLayoutDestroy(&map));
  PetscFunctionReturn(0);
}

/* J's diagonal and off-diagonal blocks (Ao NULL on one rank). */
static PetscErrorCode Blocks(Mat J, Mat *Ad, Mat *Ao, const PetscInt **garray)
{
  PetscBool mpi, seq;

  PetscFunctionBeginUser;
  PetscCall(PetscObjectTypeCompare((PetscObject)J, MATMPIAIJ, &mpi));
  PetscCall(PetscObjectTypeCompare((PetscObject)J, MATSEQAIJ, &seq));
  PetscCheck(mpi || seq, PetscObjectComm((PetscObject)J), PETSC_ERR_SUP, "the Jacobian must be AIJ");
  if (mpi) PetscCall(MatMPIAIJGetSeqAIJ(J, Ad, Ao, garray));
  else *Ad = J, *Ao = NULL, *garray = NULL;
  PetscFunctionReturn(0);
}

/* The values of a row in global column order are the off-diagonal block's columns left of the
   diagonal block, the diagonal block's, then the off-diagonal block's right of it; row after
   row, each block stores its entries contiguously. Check that J holds exactly the pattern. */
static PetscErrorCode CheckLayout(const NppJacPattern *p, Mat J)
{
  Mat             Ad, Ao;
  const PetscInt *garray, *ai, *aj, *oi = NULL, *oj = NULL;
  PetscInt        n, kd = 0, ko = 0;
  PetscBool       done, same = PETSC_TRUE;

  PetscFunctionBeginUser;
  PetscCall(Blocks(J, &Ad, &Ao, &garray));
  PetscCall(MatGetRowIJ(Ad, 0, PETSC_FALSE, PETSC_FALSE, &n, &ai, &aj, &done));
  if (Ao) PetscCall(MatGetRowIJ(Ao, 0, PETSC_FALSE, PETSC_FALSE, &n, &oi, &oj, &done));
  for (PetscInt r = 0; r < p->nrows && same; r++) {
    for (PetscInt k = p->rowStart[r]; k < p->rowStart[r + 1] && same; k++) {
      const PetscInt c = p->col[k];
      if (c >= p->rstart && c < p->rstart + p->nrows) same = (PetscBool)(kd < ai[r + 1] && aj[kd++] == c - p->rstart);
      else same = (PetscBool)(Ao && ko < oi[r + 1] && garray[oj[ko++]] == c);
    }
    same = (PetscBool)(same && kd == ai[r + 1] && (!Ao || ko == oi[r + 1]));
  }
  PetscCall(MatRestoreRowIJ(Ad, 0, PETSC_FALSE, PETSC_FALSE, &n, &ai, &aj, &done));
  if (Ao) PetscCall(MatRestoreRowIJ(Ao, 0, PETSC_FALSE, PETSC_FALSE, &n, &oi, &oj, &done));
  PetscCheck(same, PETSC_COMM_SELF, PETSC_ERR_PLIB, "the Jacobian's AIJ layout differs from its pattern");
  PetscFunctionReturn(0);
}

PetscErrorCode NppJacPatternPreallocate(NppJacPattern *p, Mat J)
{
  PetscInt  *dnnz, *onnz, maxrow = 0;
  PetscReal *zero;

  PetscFunctionBeginUser;
  PetscCall(ExchangeOffRank(p, PetscObjectComm((PetscObject)J)));
  PetscCall(PetscCalloc2(p->nrows, &dnnz, p->nrows, &onnz));
  for (PetscInt r = 0; r < p->nrows; r++) {
    for (PetscInt k = p->rowStart[r]; k < p->rowStart[r + 1]; k++) {
      const PetscBool diag = (PetscBool)(p->col[k] >= p->rstart && p->col[k] < p->rstart + p->nrows);
      dnnz[r] += diag, onnz[r] += !diag;
    }
    maxrow = PetscMax(maxrow, dnnz[r] + onnz[r]);
  }
  PetscCall(MatSeqAIJSetPreallocation(J, 0, dnnz));
  PetscCall(MatMPIAIJSetPreallocation(J, 0, dnnz, 0, onnz));
  PetscCall(PetscFree2(dnnz, onnz));
  PetscCall(PetscCalloc1(maxrow, &zero));
  for (PetscInt r = 0; r < p->nrows; r++) {
    const PetscInt row = p->rstart + r;
    PetscCall(MatSetValues(J, 1, &row, p->rowStart[r + 1] - p->rowStart[r], p->col + p->rowStart[r], zero, INSERT_VALUES));
  }
  PetscCall(PetscFree(zero));
  PetscCall(MatSetOption(J, MAT_NO_OFF_PROC_ENTRIES, PETSC_TRUE));
  PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  PetscCall(MatSetOption(J, MAT_NEW_NONZERO_LOCATION_ERR, PETSC_TRUE));
  PetscCall(CheckLayout(p, J));
  PetscFunctionReturn(0);
}

PetscErrorCode NppJacPatternSetValues(const NppJacPattern *p, PetscReal v[], Mat J)
{
  Mat             Ad, Ao;
  const PetscInt *garray;
  PetscScalar    *a, *o = NULL;
  PetscInt        kd = 0, ko = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscSFReduceBegin(p->offSF, MPIU_REAL, v + p->nnz, v, MPI_SUM));
  PetscCall(PetscSFReduceEnd(p->offSF, MPIU_REAL, v + p->nnz, v, MPI_SUM));
  PetscCall(Blocks(J, &Ad, &Ao, &garray));
  PetscCall(MatSeqAIJGetArrayWrite(Ad, &a));
  if (Ao) PetscCall(MatSeqAIJGetArrayWrite(Ao, &o));
  for (PetscInt k = 0; k < p->nnz; k++) {
    if (p->col[k] >= p->rstart && p->col[k] < p->rstart + p->nrows) a[kd++] = v[k];
    else o[ko++] = v[k];
  }
  PetscCall(MatSeqAIJRestoreArrayWrite(Ad, &a));
  if (Ao) PetscCall(MatSeqAIJRestoreArrayWrite(Ao, &o));
  PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY)); /* increases J's state: its preconditioner sees new values */
  PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  PetscFunctionReturn(0);
}

PetscErrorCode NppJacPatternDestroy(NppJacPattern *p)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(p->rowStart));
  PetscCall(PetscFree(p->col));
  PetscCall(PetscFree2(p->offRow, p->offCol));
  PetscCall(PetscFree(p->offSlot));
  PetscCall(PetscSFDestroy(&p->offSF));
  PetscCall(PetscMemzero(p, sizeof(*p)));
  PetscFunctionReturn(0);
}
