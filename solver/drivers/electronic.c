/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "npp_log.h"
#include "fv_flux.h"
#include "face_kernels.h"

/* Electronic leakage through mixed-conducting phases (docs/theory.md, "Electronic leakage").
   Where a region has an electronic conductivity sigma_e > 0, electrons move by Ohm's law in
   their own potential phi_e (the electrochemical potential of the electrons over -F):
     div(sigma_e grad phi_e) = 0,
   phi_e equals the metal's potential at every contact (an electrode, or a boundary with a given
   potential), and no electrons cross other boundaries or enter phases with sigma_e = 0. The
   electrolyte hosts no reaction between electrons and ions, so the electronic problem is linear
   and decoupled from the ionic one: it is solved once the ionic state, and with it the electrode
   potentials, is known. The leakage is a current in addition to the ionic one: in a galvanostatic
   cell the applied current is the ionic current (the leakage is reported, not subtracted), which
   is exact to sigma_e/sigma, 1e-7..1e-4 for the materials of the seed papers.
   Discretisation: the same cell-centred scheme as the ionic potential (harmonic two-point
   transmissibility with the non-orthogonal correction of fvrecon.c), one unknown per cell;
   cells without electronic conduction carry the identity. A connected mixed-conducting cluster
   that touches no contact floats: a diagonal shift of 1e-15 of its entries keeps its potential at
   zero and moves the others (and the current balance) by about that relative amount. */

struct _n_NppElectronic {
  PetscReal   *sigma;   /* [ncells] S/m */
  PetscBool   *contact; /* [nfaces] boundary face with a metal potential and sigma_e > 0 on K */
  PetscReal   *value;   /* [nfaces] that potential, V */
  PetscReal   *trans;   /* [nfaces] two-point transmissibility of sigma_e (harmonic), S (3-D) */
  NppFaceRecon recon;
  PetscInt    *row; /* [ncells] global row (the cell's global index) */
  Mat          A;
  Vec          x, b;
  KSP          ksp;
  VecScatter   scatter; /* x -> every local cell */
  Vec          xloc;
  PetscCount   ncoo; /* entries of the matrix pattern */
};

static PetscBool Conducts(NppElectronic e, PetscInt c)
{
  return (PetscBool)(c >= 0 && e->sigma[c] > 0);
}

/* Sets the contact values from the current electrode potentials. */
static void ContactValues(const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, NppElectronic e)
{
  for (PetscInt f = 0; f < disc->geom->nfaces; f++) {
    const PetscInt b = disc->faceBC[f];
    if (e->contact[f]) e->value[f] = NppElectrodePotential(model, ev, &model->bc[b]);
  }
}

/* What a walk over the faces does (ElectronicFace): record the pattern (ci, cj), fill the matrix
   values (vals) and the right-hand side (rhs), or, with a solution xl, add the current leaving
   through each contact boundary (current). */
typedef struct {
  NppElectronic      e;
  PetscReal          dmax; /* rows scaled by 1/sigma_max */
  PetscCount         n;    /* matrix entries so far */
  PetscInt          *ci, *cj;
  PetscReal         *vals;
  PetscScalar       *rhs;
  const PetscScalar *xl;
  PetscReal         *current;
} ElectronicWalk;

/* Ohmic flux through face f (two-point conduction of the electron potential at the two points of
   the face normal, physics/face_kernels.h), carried through the reconstruction: its derivative
   with respect to each stencil value enters the rows of the owned sides. */
static PetscErrorCode ElectronicFace(Npp npp, PetscInt f, void *ctx)
{
  ElectronicWalk    *ew = (ElectronicWalk *)ctx;
  NppElectronic      e  = ew->e;
  NppFVGeom          g  = npp->disc.geom;
  const NppFaceRecon rc = e->recon;
  PetscInt           cell[2], nsides;
  PetscReal          sign[2], dK, dL;

  PetscFunctionBeginUser;
  if (e->trans[f] == 0) PetscFunctionReturn(0);
  (void)NppConductionFlux(e->trans[f] / ew->dmax, 0.0, 0.0, &dK, &dL); /* linear: the derivatives are the law */
  nsides = NppFaceOwnedSides(g, f, cell, sign);
  for (PetscInt s = 0; s < nsides && (ew->ci || ew->vals || ew->rhs); s++) {
    for (PetscInt k = rc->off[2 * f]; k < rc->off[2 * f + 2]; k++) {
      const PetscInt  j  = rc->idx[k];
      const PetscReal dN = sign[s] * (k < rc->off[2 * f + 1] ? dK : dL) * rc->w[k]; /* K's point, L's point */
      if (j >= g->ncells) {                                                         /* a boundary value: right-hand side */
        if (ew->rhs) ew->rhs[npp->disc.ownedPos[cell[s]]] -= dN * e->value[j - g->ncells];
        continue;
      }
      if (ew->ci) ew->ci[ew->n] = e->row[cell[s]], ew->cj[ew->n] = e->row[j];
      if (ew->vals) ew->vals[ew->n] = dN;
      ew->n++;
    }
  }
  if (ew->current && e->contact[f] && g->owned[g->faces[f].K]) {
    PetscReal u[2] = {0, 0}; /* at K's and L's point */
    for (PetscInt k = rc->off[2 * f]; k < rc->off[2 * f + 2]; k++) {
      const PetscInt j = rc->idx[k];
      u[k >= rc->off[2 * f + 1]] += rc->w[k] * (j < g->ncells ? PetscRealPart(ew->xl[j]) : e->value[j - g->ncells]);
    }
    ew->current[npp->disc.faceBC[f]] += NppConductionFlux(e->trans[f], u[0], u[1], NULL, NULL); /* conventional current leaving the domain */
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppElectronicSetUp(Npp npp)
{
  NppFVGeom     g = npp->disc.geom;
  NppElectronic e;
  PetscReal     smax = 0, gmax;
  PetscInt      nown = 0, nf = npp->model.fld.nf, nentries = 0;
  PetscInt     *ci, *cj;
  PetscBool    *wall;
  IS            is;

  PetscFunctionBeginUser;
  for (PetscInt r = 0; r < npp->model.nregions; r++) smax = PetscMax(smax, npp->model.mat[r].electronic_conductivity);
  PetscCall(MPIU_Allreduce(&smax, &gmax, 1, MPIU_REAL, MPIU_MAX, npp->comm));
  if (!(gmax > 0)) PetscFunctionReturn(0);
  PetscCall(PetscNew(&e));
  npp->run.elec = e;
  PetscCall(PetscCalloc1(npp->model.nbc, &npp->run.elecCurrent));
  PetscCall(PetscMalloc5(g->ncells, &e->sigma, g->nfaces, &e->contact, g->nfaces, &e->value, g->nfaces, &e->trans, g->ncells, &e->row));
  PetscCall(PetscMalloc1(g->nfaces, &wall));
  for (PetscInt c = 0; c < g->ncells; c++) {
    e->sigma[c] = npp->model.mat[npp->disc.cellRegion[c]].electronic_conductivity;
    e->row[c]   = npp->disc.cellRow[c] / nf;
    nown += g->owned[c];
  }
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace *fc = &g->faces[f];
    const PetscInt b  = npp->disc.faceBC[f];
    e->contact[f]     = (PetscBool)(fc->L < 0 && b >= 0 && (npp->model.bc[b].hasPotential || npp->model.bc[b].electrode) && Conducts(e, fc->K));
    wall[f]           = (PetscBool)(fc->L < 0 && !e->contact[f]);
    e->value[f]       = 0;
    e->trans[f]       = 0;
    if (fc->L >= 0 && Conducts(e, fc->K) && Conducts(e, fc->L)) e->trans[f] = NppTransmissibility(fc->area, e->sigma[fc->K], fc->dK, e->sigma[fc->L], fc->dL);
    if (e->contact[f]) e->trans[f] = NppTransmissibility(fc->area, e->sigma[fc->K], fc->dK, 0, 0);
  }
  PetscCall(NppFaceReconCreate(g, npp->disc.cellRegion, e->sigma, NULL, e->contact, wall, npp->disc.correct, npp->disc.correctMinOrtho, &e->recon));
  PetscCall(PetscFree(wall));
  /* the pattern: per owned row its diagonal, and per face the stencils of both sides, recorded
     by the walk that fills the values */
  for (PetscInt f = 0; f < g->nfaces; f++) {
    if (!g->faces[f].active || e->trans[f] == 0) continue;
    nentries += 2 * (e->recon->off[2 * f + 2] - e->recon->off[2 * f]);
  }
  nentries += g->ncells;
  PetscCall(PetscMalloc2(nentries, &ci, nentries, &cj));
  {
    ElectronicWalk ew = {e, 1.0, 0, ci, cj, NULL, NULL, NULL, NULL};
    PetscCount     n  = 0;
    for (PetscInt c = 0; c < g->ncells; c++)
      if (g->owned[c]) ci[n] = cj[n] = e->row[c], n++;
    ew.n = n;
    PetscCall(NppFaceWalk(npp, NPP_FACES_ACTIVE, ElectronicFace, &ew));
    n = ew.n;
    PetscCall(MatCreate(npp->comm, &e->A));
    PetscCall(MatSetSizes(e->A, nown, nown, PETSC_DETERMINE, PETSC_DETERMINE));
    PetscCall(MatSetType(e->A, MATAIJ));
    PetscCall(MatSetPreallocationCOO(e->A, n, ci, cj));
    e->ncoo = n;
  }
  PetscCall(PetscFree2(ci, cj));
  PetscCall(MatCreateVecs(e->A, &e->x, &e->b));
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, g->ncells, &e->xloc));
  PetscCall(ISCreateGeneral(PETSC_COMM_SELF, g->ncells, e->row, PETSC_USE_POINTER, &is));
  PetscCall(VecScatterCreate(e->x, is, e->xloc, NULL, &e->scatter));
  PetscCall(ISDestroy(&is));
  PetscCall(KSPCreate(npp->comm, &e->ksp));
  PetscCall(KSPSetOptionsPrefix(e->ksp, "electronic_"));
  PetscCall(KSPSetOperators(e->ksp, e->A, e->A));
  {
    PC pc;
    PetscCall(KSPGetPC(e->ksp, &pc));
    PetscCall(PCSetType(pc, PCGAMG));
    PetscCall(KSPSetType(e->ksp, KSPGMRES)); /* the corrected operator is not symmetric */
    PetscCall(KSPSetPCSide(e->ksp, PC_RIGHT));
    PetscCall(KSPGMRESSetRestart(e->ksp, 100));
    PetscCall(KSPSetTolerances(e->ksp, 1e-13, 1e-50, PETSC_DEFAULT, 2000));
  }
  PetscCall(KSPSetFromOptions(e->ksp));
  PetscFunctionReturn(0);
}

/* One walk over the faces: the matrix values in the pattern's order, the right-hand side, and
   (with x given, matrix and rhs not) the current leaving through every contact boundary. */
static PetscErrorCode Walk(Npp npp, NppElectronic e, PetscReal *vals, PetscScalar *rhs, const PetscScalar *xl, PetscReal current[])
{
  NppFVGeom      g      = npp->disc.geom;
  PetscReal      dscale = 0, dmax;
  ElectronicWalk ew;

  PetscFunctionBeginUser;
  /* rows scaled by 1/sigma_max: entries O(A/d) whatever the conductivities */
  for (PetscInt c = 0; c < g->ncells; c++) dscale = PetscMax(dscale, e->sigma[c]);
  PetscCall(MPIU_Allreduce(&dscale, &dmax, 1, MPIU_REAL, MPIU_MAX, npp->comm));
  ew = (ElectronicWalk){e, dmax, 0, NULL, NULL, vals, rhs, xl, current};
  if (vals) {
    for (PetscInt c = 0; c < g->ncells; c++)
      if (g->owned[c]) vals[ew.n++] = Conducts(e, c) ? 0.0 : 1.0;
  }
  PetscCall(NppFaceWalk(npp, NPP_FACES_ACTIVE, ElectronicFace, &ew));
  /* a floating cluster gets a tiny diagonal; no effect where a contact fixes the potential */
  if (vals) {
    PetscCount m = 0;
    for (PetscInt c = 0; c < g->ncells; c++)
      if (g->owned[c]) {
        if (Conducts(e, c)) vals[m] = 1e-15 * e->sigma[c] / dmax * PetscPowReal(g->volume[c], (g->dim - 2.0) / g->dim);
        m++;
      }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppElectronicSolve(Npp npp)
{
  NppElectronic      e = npp->run.elec;
  PetscReal         *vals, *loc;
  PetscScalar       *rhs;
  const PetscScalar *xl;
  KSPConvergedReason reason;

  PetscFunctionBeginUser;
  if (!e) PetscFunctionReturn(0);
  PetscCall(PetscLogEventBegin(NPP_Electronic, 0, 0, 0, 0));
  ContactValues(&npp->model, &npp->disc, &npp->ev, e);
  PetscCall(PetscMalloc1(e->ncoo, &vals));
  PetscCall(VecSet(e->b, 0));
  PetscCall(VecGetArray(e->b, &rhs));
  PetscCall(Walk(npp, e, vals, rhs, NULL, NULL));
  PetscCall(VecRestoreArray(e->b, &rhs));
  PetscCall(MatSetValuesCOO(e->A, vals, INSERT_VALUES));
  PetscCall(PetscFree(vals));
  PetscCall(KSPSolve(e->ksp, e->b, e->x));
  PetscCall(KSPGetConvergedReason(e->ksp, &reason));
  PetscCall(KSPGetIterationNumber(e->ksp, &npp->run.elecKspIts));
  PetscCheck(reason > 0, npp->comm, PETSC_ERR_NOT_CONVERGED, "the electronic leakage solve did not converge (%s after %d iterations); rerun with -electronic_ksp_monitor, or try -electronic_pc_type lu", KSPConvergedReasons[reason], (int)npp->run.elecKspIts);
  PetscCall(VecScatterBegin(e->scatter, e->x, e->xloc, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(e->scatter, e->x, e->xloc, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(e->xloc, &xl));
  PetscCall(PetscCalloc1(npp->model.nbc, &loc));
  PetscCall(Walk(npp, e, NULL, NULL, xl, loc));
  PetscCall(VecRestoreArrayRead(e->xloc, &xl));
  PetscCall(MPIU_Allreduce(loc, npp->run.elecCurrent, (PetscMPIInt)npp->model.nbc, MPIU_REAL, MPIU_SUM, npp->comm));
  PetscCall(PetscFree(loc));
  PetscCall(PetscLogEventEnd(NPP_Electronic, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

/* The electron potential of the owned cells (V; 0 where no electrons conduct), for output. */
PetscErrorCode NppElectronicPotential(NppElectronic elec, const PetscScalar **x)
{
  PetscFunctionBeginUser;
  PetscCall(VecGetArrayRead(elec->x, x));
  PetscFunctionReturn(0);
}

PetscErrorCode NppElectronicRestorePotential(NppElectronic elec, const PetscScalar **x)
{
  PetscFunctionBeginUser;
  PetscCall(VecRestoreArrayRead(elec->x, x));
  PetscFunctionReturn(0);
}

PetscErrorCode NppElectronicDestroy(NppElectronic *elec)
{
  NppElectronic e = *elec;

  PetscFunctionBeginUser;
  if (!e) PetscFunctionReturn(0);
  PetscCall(PetscFree5(e->sigma, e->contact, e->value, e->trans, e->row));
  PetscCall(NppFaceReconDestroy(&e->recon));
  PetscCall(MatDestroy(&e->A));
  PetscCall(VecDestroy(&e->x));
  PetscCall(VecDestroy(&e->b));
  PetscCall(VecDestroy(&e->xloc));
  PetscCall(VecScatterDestroy(&e->scatter));
  PetscCall(KSPDestroy(&e->ksp));
  PetscCall(PetscFree(*elec));
  PetscFunctionReturn(0);
}
