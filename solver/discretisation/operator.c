#include "npp.h"
#include "constants.h"
#include "fv_flux.h"
#include "sg_flux.h"
#include "kinetics.h"

/* The discrete NPP operator: one walk over the cells and the faces computes the residual and,
   on request, every Jacobian entry in a fixed order (COO, MatSetValuesCOO). The same walk with
   no values records the sparsity pattern once, so that the pattern and the values cannot
   disagree.
   Species flux through face f from K to L, in the region-normalised concentration
   ct = c/c_bulk and driving potential psi = z phi/VT + theta (theta = mu0/RT + ln(c_bulk/cref)):
     N = T [B(dpsi) ct_K' - B(-dpsi) ct_L'],  dpsi = psi_L' - psi_K',
     T = A / (dK/omega_K + dL/omega_L),  omega = D c_bulk (scaled),
   Scharfetter-Gummel inside a region; across an interface it keeps the exact equilibrium
   partition and makes the flux of a uniform single-ion conductor the harmonic series of its
   conductivities (docs/theory.md). Primes: values reconstructed at the two points of the face
   normal line (non-orthogonal correction, fvrecon.c). Poisson flux: T_eps (phi_K' - phi_L'). */

typedef struct {
  PetscCount n;
  PetscInt  *i, *j; /* pattern */
  PetscReal *v;     /* values */
} Walk;

static inline void JAdd(Walk *w, PetscInt row, PetscInt col, PetscReal val)
{
  if (w->i) w->i[w->n] = row, w->j[w->n] = col;
  if (w->v) w->v[w->n] = val;
  w->n++;
}

/* A sparse derivative: d(quantity)/d(global column). */
typedef struct {
  PetscInt   n, cap;
  PetscInt  *col;
  PetscReal *val;
} Deriv;

static inline void DAdd(Deriv *d, PetscInt col, PetscReal val)
{
  if (d->n < d->cap) d->col[d->n] = col, d->val[d->n] = val;
  d->n++;
}

/* Adds a * d(reconstructed eta of species i, row r)/du to D; eta = ln ct + z phi/VT + theta,
   d eta_k = (A du)/chat_k + z dphi_k (chat = c/cref = A u + b). */
static void DerivEtaRow(Npp npp, PetscInt i, PetscInt r, PetscReal a, const PetscReal *chat, Deriv *D)
{
  NppFields     *fl = &npp->fld;
  NppFaceRecon   rc = npp->recon[i];
  const PetscInt ns = npp->phys.nspecies, nc = npp->geom->ncells;
  for (PetscInt k = rc->off[r]; k < rc->off[r + 1]; k++) {
    const PetscInt c = rc->idx[k];
    if (c >= nc) continue; /* boundary value */
    const PetscInt   reg = npp->cellRegion[c];
    const PetscReal *A   = &fl->A[(reg * ns + i) * fl->nf];
    for (PetscInt j = 0; j < fl->phi; j++)
      if (A[j] != 0.0) DAdd(D, npp->cellRow[c] + j, a * rc->w[k] * A[j] / chat[c]);
    DAdd(D, npp->cellRow[c] + fl->phi, a * rc->w[k] * npp->phys.sp[i].z);
  }
}

/* Same for a cell value (species without reconstruction). */
static void DerivSpeciesCell(Npp npp, PetscInt i, PetscInt c, PetscReal a, Deriv *D)
{
  NppFields       *fl  = &npp->fld;
  const PetscInt   ns  = npp->phys.nspecies, reg = npp->cellRegion[c];
  const PetscReal *A   = &fl->A[(reg * ns + i) * fl->nf];
  for (PetscInt j = 0; j < fl->phi; j++)
    if (A[j] != 0.0) DAdd(D, npp->cellRow[c] + j, a * fl->kappa[reg * ns + i] * A[j]);
}

static void DerivPhiRow(Npp npp, PetscInt r, PetscReal a, Deriv *D)
{
  NppFaceRecon rc = npp->reconPhi;
  for (PetscInt k = rc->off[r]; k < rc->off[r + 1]; k++) {
    const PetscInt c = rc->idx[k];
    if (c < npp->geom->ncells) DAdd(D, npp->cellRow[c] + npp->fld.phi, a * rc->w[k]);
  }
}

static inline PetscReal PhiRow(Npp npp, PetscInt r, const PetscReal *ph)
{
  NppFaceRecon rc = npp->reconPhi;
  PetscReal    s  = 0;
  for (PetscInt k = rc->off[r]; k < rc->off[r + 1]; k++) {
    const PetscInt j = rc->idx[k];
    s += rc->w[k] * (j < npp->geom->ncells ? ph[j] : npp->phiScale * npp->phiValue[j - npp->geom->ncells]);
  }
  return s;
}

/* Reconstructed electrochemical potential eta of species i (row r); boundary values from the
   face's concentration and potential (K's region). */
static inline PetscReal EtaRow(Npp npp, PetscInt i, PetscInt r, const PetscReal *eta)
{
  NppFaceRecon   rc = npp->recon[i];
  const PetscInt nc = npp->geom->ncells, nfc = npp->geom->nfaces, ns = npp->phys.nspecies;
  PetscReal      s  = 0;
  for (PetscInt k = rc->off[r]; k < rc->off[r + 1]; k++) {
    const PetscInt j = rc->idx[k];
    if (j < nc) s += rc->w[k] * eta[j];
    else {
      const PetscInt f = j - nc;
      s += rc->w[k] * (PetscLogReal(npp->cValue[i * nfc + f]) + npp->phys.sp[i].z * npp->phiScale * npp->phiValue[f] + npp->phiScale * npp->fld.theta[npp->cellRegion[npp->geom->faces[f].K] * ns + i]);
    }
  }
  return s;
}

/* Where a flux of species i (or the Poisson flux, i < 0) through face f goes: +1 to K's rows,
   -1 to L's, for rows that are conservation laws of it. */
static PetscInt Destinations(Npp npp, PetscInt f, PetscInt i, PetscInt row[], PetscReal coef[], PetscInt cell[])
{
  NppFVGeom      g  = npp->geom;
  NppFields     *fl = &npp->fld;
  const NppFace *fc = &g->faces[f];
  PetscInt       n  = 0;
  for (PetscInt side = 0; side < 2; side++) {
    const PetscInt  c = side ? fc->L : fc->K;
    const PetscReal s = side ? -1.0 : 1.0;
    if (c < 0 || !g->owned[c]) continue;
    const PetscInt reg = npp->cellRegion[c];
    if (i >= 0 && fl->field[i] >= 0 && fl->row[reg * fl->nf + fl->field[i]] == NPP_ROW_CONSERVE) row[n] = npp->cellRow[c] + fl->field[i], coef[n] = s, cell[n++] = c;
    if (c == npp->pinRow) continue;
    if (i < 0) row[n] = npp->cellRow[c] + fl->phi, coef[n] = s, cell[n++] = c;
    else if (npp->phys.electroneutral) row[n] = npp->cellRow[c] + fl->phi, coef[n] = s * npp->phys.sp[i].z, cell[n++] = c;
  }
  return n;
}

static PetscErrorCode Evaluate(Npp npp, const PetscScalar *u, const PetscScalar *udot, PetscReal shift, PetscScalar *r, Walk *w)
{
  NppFVGeom        g  = npp->geom;
  NppFields       *fl = &npp->fld;
  NppPhysics      *ph = &npp->phys;
  const PetscInt   ns = ph->nspecies, nf = fl->nf, nc = g->ncells, nfc = g->nfaces, dim = g->dim;
  const PetscReal  Ld = PetscPowReal(ph->Lref, dim - 2);
  PetscReal       *ct = npp->work, *phv = npp->work + ns * nc, *eta = npp->work + (ns + 1) * nc, *chat = npp->work + (2 * ns + 1) * nc;
  Deriv            D;
  PetscReal        dbuf[4096];
  PetscInt         cbuf[4096];

  PetscFunctionBeginUser;
  D.cap = 4096, D.col = cbuf, D.val = dbuf;
  /* cell values: ct = c/c_bulk, phi/VT */
  for (PetscInt c = 0; c < nc; c++) {
    const PetscInt     reg = npp->cellRegion[c];
    const PetscScalar *uc  = &u[nf * c];
    for (PetscInt i = 0; i < ns; i++) {
      chat[i * nc + c] = NppFieldsConcentration(fl, ns, reg, i, uc);
      ct[i * nc + c]   = fl->kappa[reg * ns + i] * chat[i * nc + c];
    }
    phv[c] = uc[fl->phi];
    for (PetscInt i = 0; i < ns; i++) {
      if (!npp->recon[i] || fl->kappa[reg * ns + i] == 0.0) continue;
      if (!(ct[i * nc + c] > 0)) npp->domainError = PETSC_TRUE; /* outside the domain of ln c */
      eta[i * nc + c] = PetscLogReal(PetscMax(ct[i * nc + c], PETSC_SMALL * PETSC_SMALL)) + ph->sp[i].z * phv[c] + npp->phiScale * fl->theta[reg * ns + i];
    }
  }
  /* cell terms */
  for (PetscInt c = 0; c < nc; c++) {
    if (!g->owned[c]) continue;
    const PetscInt     reg = npp->cellRegion[c];
    const PetscScalar *uc  = &u[nf * c];
    PetscScalar       *rc  = r ? &r[nf * npp->ownedPos[c]] : NULL;
    const PetscInt     row = npp->cellRow[c];
    const PetscReal    V   = g->volume[c];
    for (PetscInt f = 0; f < fl->phi; f++) {
      const PetscInt i = fl->speciesOfField[f];
      switch (fl->row[reg * nf + f]) {
      case NPP_ROW_CONSERVE: {
        const PetscReal m = V / (ph->Dref * Ld);
        if (rc) rc[f] = (udot ? m * udot[nf * c + f] : 0.0) - V * npp->cellSource[nf * c + f];
        if (w) JAdd(w, row + f, row + f, udot ? shift * m : 0.0);
      } break;
      case NPP_ROW_NEUTRAL: { /* u_f - (A u + b)_i */
        const PetscReal *A = &fl->A[(reg * ns + i) * nf];
        if (rc) rc[f] = uc[f] - NppFieldsConcentration(fl, ns, reg, i, uc);
        if (w) JAdd(w, row + f, row + f, 1.0);
        for (PetscInt j = 0; j < fl->phi && w; j++)
          if (A[j] != 0.0) JAdd(w, row + f, row + j, -A[j]);
      } break;
      case NPP_ROW_ZERO:
        if (rc) rc[f] = uc[f];
        if (w) JAdd(w, row + f, row + f, 1.0);
        break;
      }
    }
    /* potential row */
    if (c == npp->pinRow) {
      if (rc) rc[fl->phi] = uc[fl->phi];
      if (w) JAdd(w, row + fl->phi, row + fl->phi, 1.0);
    } else if (ph->electroneutral) {
      if (rc) rc[fl->phi] = -V * npp->cellSource[nf * c + fl->phi];
      if (w) JAdd(w, row + fl->phi, row + fl->phi, 0.0);
    } else { /* -V (Lref^(2-dim)) F cref/(eps0 VT) (sum z c/cref + rho) */
      const PetscReal P = -V / Ld * ph->poissonCharge * npp->chargeScale;
      PetscReal       q = fl->rho[reg];
      for (PetscInt i = 0; i < ns; i++) q += ph->sp[i].z * chat[i * nc + c];
      if (rc) rc[fl->phi] = P * q - V * npp->cellSource[nf * c + fl->phi];
      if (w) {
        JAdd(w, row + fl->phi, row + fl->phi, 0.0);
        for (PetscInt j = 0; j < fl->phi; j++) {
          PetscReal a = 0;
          for (PetscInt i = 0; i < ns; i++) a += ph->sp[i].z * fl->A[(reg * ns + i) * nf + j];
          JAdd(w, row + fl->phi, row + j, P * a);
        }
      }
    }
  }
  /* face fluxes */
  PetscCall(PetscArrayzero(npp->faceFlux, (ns + 1) * nfc));
  PetscCall(PetscArrayzero(npp->globalSum, npp->nglobal));
  for (PetscInt f = 0; f < nfc; f++) {
    const NppFace *fc = &g->faces[f];
    PetscInt       drow[4], dcell[4], nd;
    PetscReal      dcoef[4];
    if (!fc->active) continue;
    for (PetscInt i = -1; i < ns; i++) {
      PetscReal N = 0;
      if (i < 0) { /* Poisson */
        if (ph->electroneutral || npp->transPhi[f] == 0.0) continue;
        const PetscReal T = npp->transPhi[f];
        N                 = T * (PhiRow(npp, 2 * f, phv) - PhiRow(npp, 2 * f + 1, phv));
        nd                = Destinations(npp, f, -1, drow, dcoef, dcell);
        if (w) {
          D.n = 0;
          DerivPhiRow(npp, 2 * f, T, &D);
          DerivPhiRow(npp, 2 * f + 1, -T, &D);
        }
      } else {
        const PetscReal T    = npp->trans[i * nfc + f];
        const PetscBool bnd  = (PetscBool)(fc->L < 0);
        const PetscInt  rK   = npp->cellRegion[fc->K];
        if (bnd && npp->faceElectrode[f] >= 0) { /* Li-metal electrode: Butler-Volmer at K's point */
          const NppBoundary *bc = &npp->bc[npp->faceElectrode[f]];
          if (i != bc->electrodeSpecies || fl->kappa[rK * ns + i] == 0.0) continue; /* other species blocked */
          /* potential and concentration at K's point on the face normal (the non-orthogonal
             correction, as in the fluxes): ln c' = eta' - z phi' - theta where the species
             varies, else the cell value */
          const PetscReal z = ph->sp[i].z, thK = npp->phiScale * fl->theta[rK * ns + i];
          const PetscBool rec = (PetscBool)(npp->recon[i] != NULL);
          const PetscReal pK  = PhiRow(npp, 2 * f, phv);
          const PetscReal lnc = rec ? EtaRow(npp, i, 2 * f, eta + i * nc) - z * pK - thK : PetscLogReal(PetscMax(ct[i * nc + fc->K], PETSC_SMALL));
          const PetscReal cs  = PetscMax(PetscExpReal(lnc), PETSC_SMALL);
          const PetscReal scale = -fc->area / (z * NPP_FARADAY * ph->speciesScale); /* i (A/m^2) -> scaled flux leaving */
          const PetscReal i0    = bc->i0 * (bc->i0Exponent != 0.0 ? PetscPowReal(cs, bc->i0Exponent) : 1.0);
          const PetscReal phis  = bc->galvanostatic ? npp->globalValue[bc->unknown] : npp->phiScale * bc->potential / ph->VT;
          const PetscReal etaBV = phis - pK - PetscLogReal(cs) / z;
          const PetscBool galv  = (PetscBool)(bc->galvanostatic && g->owned[fc->K]); /* a term of its current constraint */
          /* in series with the kinetics: the SEI film and the half-cell between K's point and the
             electrode (ohmic, d_K / sigma_K), so that K's potential, not the unknown surface
             potential, enters eta */
          const PetscReal r = (bc->filmResistance + fc->dK / npp->mat[rK].conductivity) / ph->VT;
          PetscReal       didn;
          const PetscReal cur = NppButlerVolmerFilm(i0, bc->alphaA, bc->alphaC, r, etaBV, &didn);
          N                   = scale * cur;
          nd                  = Destinations(npp, f, i, drow, dcoef, dcell);
          npp->faceCurrent[f] = cur;
          npp->faceEta[f]     = (etaBV - r * cur) * ph->VT;
          if (galv) npp->globalSum[bc->unknown] += N;
          if (w && (nd || galv)) {
            /* dcur = didn d(etaBV) + cur x (1 - r didn) d(ln c)   (through i0 = i0 c^x) */
            const PetscReal a = bc->i0Exponent != 0.0 ? cur * bc->i0Exponent * (1 - r * didn) : 0.0;
            D.n = 0;
            if (bc->galvanostatic) DAdd(&D, npp->globalRow0 + bc->unknown, scale * didn);
            if (rec) { /* d etaBV = -(1/z) d eta',  d ln c = d eta' - z d phi' */
              DerivEtaRow(npp, i, 2 * f, scale * (-didn / z + a), chat + i * nc, &D);
              DerivPhiRow(npp, 2 * f, -scale * z * a, &D);
            } else { /* d etaBV = -d phi',  d ln c = d ct / ct */
              DerivPhiRow(npp, 2 * f, -scale * didn, &D);
              DerivSpeciesCell(npp, i, fc->K, scale * (-didn / z + a) / cs, &D);
            }
            PetscCheck(D.n <= D.cap, PETSC_COMM_SELF, PETSC_ERR_PLIB, "face %d: Jacobian work buffer exceeded", (int)f);
            for (PetscInt e = 0; e < D.n && galv; e++) JAdd(w, npp->globalRow0 + bc->unknown, D.col[e], -D.val[e]);
          }
        } else if (bnd && npp->cHasFlux[i * nfc + f]) { /* given flux: no derivative */
          N  = npp->phiScale * npp->cFlux[i * nfc + f];
          nd = Destinations(npp, f, i, drow, dcoef, dcell);
          D.n = 0;
        } else {
          if (T == 0.0) continue;
          const PetscReal z = ph->sp[i].z;
          PetscReal       cK, cL, pK, pL, thK = npp->phiScale * npp->fld.theta[rK * ns + i], thL, dx, dcK, dcL, ddx;
          const PetscBool rec = (PetscBool)(npp->recon[i] != NULL);
          pK                  = PhiRow(npp, 2 * f, phv);
          /* corrected concentration at K's point: ct' = exp(eta' - psi'), positive, exact at equilibrium */
          cK = rec ? PetscExpReal(EtaRow(npp, i, 2 * f, eta + i * nc) - z * pK - thK) : ct[i * nc + fc->K];
          if (bnd) {
            cL  = npp->cValue[i * nfc + f];
            pL  = npp->phiHasValue[f] ? npp->phiScale * npp->phiValue[f] : pK;
            thL = thK;
          } else {
            pL  = PhiRow(npp, 2 * f + 1, phv);
            thL = npp->phiScale * npp->fld.theta[npp->cellRegion[fc->L] * ns + i];
            cL  = rec ? PetscExpReal(EtaRow(npp, i, 2 * f + 1, eta + i * nc) - z * pL - thL) : ct[i * nc + fc->L];
          }
          dx = z * (pL - pK) + thL - thK;
          N  = NppSGFlux(T, cK, cL, dx, &dcK, &dcL, &ddx);
          nd = Destinations(npp, f, i, drow, dcoef, dcell);
          if (w && nd) {
            D.n = 0;
            if (rec) {
              DerivEtaRow(npp, i, 2 * f, dcK * cK, chat + i * nc, &D);
              DerivPhiRow(npp, 2 * f, -z * dcK * cK, &D);
            } else DerivSpeciesCell(npp, i, fc->K, dcK, &D);
            if (!bnd) {
              if (rec) {
                DerivEtaRow(npp, i, 2 * f + 1, dcL * cL, chat + i * nc, &D);
                DerivPhiRow(npp, 2 * f + 1, -z * dcL * cL, &D);
              } else DerivSpeciesCell(npp, i, fc->L, dcL, &D);
              DerivPhiRow(npp, 2 * f + 1, z * ddx, &D);
              DerivPhiRow(npp, 2 * f, -z * ddx, &D);
            } else if (npp->phiHasValue[f]) DerivPhiRow(npp, 2 * f, -z * ddx, &D);
          }
        }
      }
      npp->faceFlux[(i + 1) * nfc + f] = N;
      for (PetscInt k = 0; k < nd; k++) {
        if (r) r[nf * npp->ownedPos[dcell[k]] + (drow[k] - npp->cellRow[dcell[k]])] += dcoef[k] * N;
        if (w) {
          PetscCheck(D.n <= D.cap, PETSC_COMM_SELF, PETSC_ERR_PLIB, "face %d: %d Jacobian entries exceed the work buffer", (int)f, (int)D.n);
          for (PetscInt e = 0; e < D.n; e++) JAdd(w, drow[k], D.col[e], dcoef[k] * D.val[e]);
        }
      }
    }
  }
  /* the current constraints' diagonals (their values come with the electrode faces) */
  if (w && npp->nglobal) {
    PetscMPIInt rank;
    PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
    for (PetscInt k = 0; k < npp->nglobal && rank == npp->globalOwner; k++) JAdd(w, npp->globalRow0 + k, npp->globalRow0 + k, 0.0);
  }
  PetscFunctionReturn(0);
}

/* Rows of the global unknowns: the applied current minus the sum over the electrode's faces,
   as fluxes of the electrode species leaving the domain in scaled units (like a cell's
   conservation row), on the rank that stores them. With this sign the row's diagonal is positive
   and, for a potential-only problem, the extended Jacobian stays symmetric: the electrode is one
   more node coupled to its cells by the kinetic conductances. */
static PetscErrorCode CurrentConstraints(Npp npp, PetscScalar *r)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
  PetscCallMPI(MPI_Reduce(rank == npp->globalOwner ? MPI_IN_PLACE : npp->globalSum, npp->globalSum, (PetscMPIInt)npp->nglobal, MPIU_REAL, MPIU_SUM, npp->globalOwner, npp->comm));
  if (rank != npp->globalOwner) PetscFunctionReturn(0);
  for (PetscInt k = 0; k < npp->nglobal; k++) {
    const NppBoundary *bc = &npp->bc[npp->globalBC[k]];
    const PetscReal    iapp = NppCurrentScheduleValue(&bc->schedule, npp->time);
    const PetscReal Napp = -npp->phiScale * iapp * bc->area / (npp->phys.sp[bc->electrodeSpecies].z * NPP_FARADAY * npp->phys.speciesScale);
    r[npp->nlocalCells + k] = Napp - npp->globalSum[k];
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppOperatorEvaluate(Npp npp, Vec Xloc, Vec Xdotloc, PetscReal shift, Vec F, PetscReal *J)
{
  const PetscScalar *u, *ud = NULL;
  PetscScalar       *r = NULL;
  Walk               w = {0, NULL, NULL, J};

  PetscFunctionBeginUser;
  PetscCall(VecGetArrayRead(Xloc, &u));
  if (Xdotloc) PetscCall(VecGetArrayRead(Xdotloc, &ud));
  if (F) PetscCall(VecGetArray(F, &r));
  npp->domainError = PETSC_FALSE;
  PetscCall(Evaluate(npp, u, ud, shift, r, J ? &w : NULL));
  if (F && npp->nglobal) PetscCall(CurrentConstraints(npp, r));
  PetscCheck(!J || w.n == npp->ncoo, PETSC_COMM_SELF, PETSC_ERR_PLIB, "Jacobian walk visited %d entries, pattern has %d", (int)w.n, (int)npp->ncoo);
  if (F) PetscCall(VecRestoreArray(F, &r));
  if (Xdotloc) PetscCall(VecRestoreArrayRead(Xdotloc, &ud));
  PetscCall(VecRestoreArrayRead(Xloc, &u));
  {
    PetscBool any;
    PetscCall(MPIU_Allreduce(&npp->domainError, &any, 1, MPIU_BOOL, MPI_LOR, npp->comm));
    npp->domainError = any;
  }
  PetscFunctionReturn(0);
}

/* Counts (i, j NULL) or records the Jacobian's COO pattern. */
PetscErrorCode NppOperatorPattern(Npp npp, Vec Xloc, PetscCount *n, PetscInt i[], PetscInt j[])
{
  const PetscScalar *u;
  Walk               w = {0, i, j, NULL};

  PetscFunctionBeginUser;
  PetscCall(VecGetArrayRead(Xloc, &u));
  PetscCall(Evaluate(npp, u, NULL, 0.0, NULL, &w));
  PetscCall(VecRestoreArrayRead(Xloc, &u));
  *n = w.n;
  PetscFunctionReturn(0);
}
