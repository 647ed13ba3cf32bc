/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "constants.h"

/* The unknowns of a cell and what each row says, region by region (see NppFields in npp.h).
   Poisson mode: every species present somewhere is a field with a conservation law where it is
   present. Electroneutral mode: in each region the last mobile species is fixed by
   sum z c + rho_fixed/F = 0, the others are conserved; a species fixed everywhere needs no
   field (a single-ion conductor's Li+: the potential is then the only unknown, and charge
   conservation is Ohm's law). The potential row is Poisson, or charge conservation. */
PetscErrorCode NppFieldsSetUp(MPI_Comm comm, NppModel *model)
{
  NppPhysics *ph = &model->phys;
  NppFields  *fl = &model->fld;
  PetscInt    ns = ph->nspecies, nr = model->nregions, *det; /* per region: the species fixed by neutrality, or -1 */
  PetscBool   hasField[NPP_MAX_SPECIES] = {PETSC_FALSE};

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc1(nr, &det));
  for (PetscInt r = 0; r < nr; r++) {
    det[r] = -1;
    if (ph->electroneutral)
      for (PetscInt i = 0; i < ns; i++)
        if (model->mat[r].present[i]) det[r] = i;
    for (PetscInt i = 0; i < ns; i++)
      if (model->mat[r].present[i] && i != det[r]) hasField[i] = PETSC_TRUE;
  }
  fl->nf = 0;
  for (PetscInt i = 0; i < ns; i++) {
    fl->field[i] = hasField[i] ? fl->nf : -1;
    if (hasField[i]) fl->speciesOfField[fl->nf++] = i;
  }
  fl->phi                     = fl->nf++;
  fl->speciesOfField[fl->phi] = -1;
  fl->nregions                = nr;
  PetscCall(PetscCalloc3(nr * ns * fl->nf, &fl->A, nr * ns, &fl->b, nr * fl->nf, &fl->row));
  PetscCall(PetscCalloc5(nr * ns, &fl->omega, nr * ns, &fl->kappa, nr * ns, &fl->theta, nr, &fl->eps, nr, &fl->rho));
  for (PetscInt r = 0; r < nr; r++) {
    const NppMaterial *m = &model->mat[r];
    PetscReal         *A = &fl->A[r * ns * fl->nf], *b = &fl->b[r * ns];
    fl->eps[r] = m->permittivity;
    fl->rho[r] = m->fixed_charge / (NPP_FARADAY * ph->cref);
    for (PetscInt f = 0; f < fl->nf; f++) fl->row[r * fl->nf + f] = NPP_ROW_ZERO;
    for (PetscInt i = 0; i < ns; i++) {
      if (!m->present[i]) continue;
      fl->omega[r * ns + i] = m->D[i] * m->c[i] / (ph->Dref * ph->cref);
      fl->kappa[r * ns + i] = ph->cref / m->c[i];
      fl->theta[r * ns + i] = m->mu0[i] / (NPP_GAS_CONST * ph->T) + PetscLogReal(m->c[i] / ph->cref);
      if (i != det[r]) {
        A[i * fl->nf + fl->field[i]]       = 1.0;
        fl->row[r * fl->nf + fl->field[i]] = NPP_ROW_CONSERVE;
      }
    }
    if (det[r] >= 0) { /* z_d c_d = -(rho + sum_j z_j c_j) */
      const PetscInt  d  = det[r];
      const PetscReal zd = ph->sp[d].z;
      b[d]               = -fl->rho[r] / zd;
      for (PetscInt j = 0; j < ns; j++)
        if (j != d && m->present[j]) A[d * fl->nf + fl->field[j]] = -ph->sp[j].z / zd;
      if (fl->field[d] >= 0) fl->row[r * fl->nf + fl->field[d]] = NPP_ROW_NEUTRAL;
      if (b[d] < 0) {
        PetscCall(PetscFree(det));
        NppInputError(comm, "-physics_electroneutral", "region '%s': electroneutrality would make %s negative (check the fixed charge and concentrations)", m->name, ph->sp[d].name);
      }
    }
  }
  PetscCall(PetscFree(det));
  PetscFunctionReturn(0);
}

/* Bulk concentrations of each region, zero potential (electrodes: their potential). */
PetscErrorCode NppInitialGuess(MPI_Comm comm, const NppModel *model, const NppDisc *disc, Vec X)
{
  NppFVGeom        g  = disc->geom;
  const NppFields *fl = &model->fld;
  PetscScalar     *x;

  PetscFunctionBeginUser;
  PetscCall(VecGetArray(X, &x));
  for (PetscInt c = 0; c < g->ncells; c++) {
    if (!g->owned[c]) continue;
    const PetscInt r = disc->cellRegion[c];
    PetscScalar   *u = &x[fl->nf * disc->ownedPos[c]];
    for (PetscInt f = 0; f < fl->nf; f++) {
      const PetscInt i = fl->speciesOfField[f];
      u[f]             = i >= 0 && model->mat[r].present[i] ? model->mat[r].c[i] / model->phys.cref : 0.0;
    }
  }
  if (disc->nglobal) { /* galvanostatic electrode potentials: the given -bc_<b>_potential, or 0 */
    PetscMPIInt rank;
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    for (PetscInt k = 0; k < disc->nglobal && rank == disc->globalOwner; k++) x[disc->nlocalCells + k] = model->bc[disc->globalBC[k]].potential / model->phys.VT;
  }
  PetscCall(VecRestoreArray(X, &x));
  PetscFunctionReturn(0);
}
