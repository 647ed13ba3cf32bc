/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "constants.h"
#include "face_kernels.h"

/* The discrete NPP operator: one walk over the cells and the faces computes the residual and,
   on request, every Jacobian entry, added into its slot of the pattern (jacobian_pattern.h). The
   same walk with no values records the sparsity pattern once, so that the pattern and the values
   cannot disagree. The flux laws are the pure kernels of physics/face_kernels.h, one per kind of face;
   they see only the values at the two points of the face normal line, and FaceChainRule carries
   their derivatives through the reconstruction to the unknowns.
   Species flux through face f from K to L, in the region-normalised concentration
   ct = c/c_bulk and driving potential psi = z phi/VT + theta (theta = mu0/RT + ln(c_bulk/cref)):
     N = T [B(dpsi) ct_K' - B(-dpsi) ct_L'],  dpsi = psi_L' - psi_K',
     T = A / (dK/omega_K + dL/omega_L),  omega = D c_bulk (scaled),
   Scharfetter-Gummel inside a region; across an interface it keeps the exact equilibrium
   partition and makes the flux of a uniform single-ion conductor the harmonic series of its
   conductivities (docs/theory.md). Primes: values reconstructed at the two points of the face
   normal line (non-orthogonal correction, fvrecon.c). Poisson flux: T_eps (phi_K' - phi_L'). */

/* A sparse derivative: d(quantity)/d(global column), one entry per column: the stencils of a
   face's two points overlap, and merging here makes the Jacobian walk visit each matrix entry
   about 3 times per face instead of 9 (3-D tetrahedra). key: the column's local index (cell *
   nf + field, then the global unknowns); slot[key]: its entry, -1 when absent (reset after each
   face). */
typedef struct {
  PetscInt   n, cap;
  PetscInt  *col, *key;
  PetscReal *val;
  PetscInt  *slot;
} Deriv;

static inline void DAdd(Deriv *d, PetscInt key, PetscInt col, PetscReal val)
{
  const PetscInt s = d->slot[key];
  if (s >= 0) {
    d->val[s] += val;
    return;
  }
  if (d->n < d->cap) d->col[d->n] = col, d->key[d->n] = key, d->val[d->n] = val, d->slot[key] = d->n;
  d->n++;
}

/* Adds a * d(reconstructed eta of species i, row r)/du to D; eta = ln ct + z phi/VT + theta,
   d eta_k = (A du)/chat_k + z dphi_k (chat = c/cref = A u + b). */
static void DerivEtaRow(const NppModel *model, const NppDisc *disc, PetscInt i, PetscInt r, PetscReal a, const PetscReal *chat, Deriv *D)
{
  const NppFields *fl = &model->fld;
  NppFaceRecon     rc = disc->recon[i];
  const PetscInt   ns = model->phys.nspecies, nc = disc->geom->ncells;
  for (PetscInt k = rc->off[r]; k < rc->off[r + 1]; k++) {
    const PetscInt c = rc->idx[k];
    if (c >= nc) continue; /* boundary value */
    const PetscInt   reg = disc->cellRegion[c];
    const PetscReal *A   = &fl->A[(reg * ns + i) * fl->nf];
    for (PetscInt j = 0; j < fl->phi; j++)
      if (A[j] != 0.0) DAdd(D, fl->nf * c + j, disc->cellRow[c] + j, a * rc->w[k] * A[j] / chat[c]);
    DAdd(D, fl->nf * c + fl->phi, disc->cellRow[c] + fl->phi, a * rc->w[k] * model->phys.sp[i].z);
  }
}

/* Same for a cell value (species without reconstruction). */
static void DerivSpeciesCell(const NppModel *model, const NppDisc *disc, PetscInt i, PetscInt c, PetscReal a, Deriv *D)
{
  const NppFields *fl = &model->fld;
  const PetscInt   ns = model->phys.nspecies, reg = disc->cellRegion[c];
  const PetscReal *A = &fl->A[(reg * ns + i) * fl->nf];
  for (PetscInt j = 0; j < fl->phi; j++)
    if (A[j] != 0.0) DAdd(D, fl->nf * c + j, disc->cellRow[c] + j, a * fl->kappa[reg * ns + i] * A[j]);
}

static void DerivPhiRow(const NppModel *model, const NppDisc *disc, PetscInt r, PetscReal a, Deriv *D)
{
  NppFaceRecon rc = disc->reconPhi;
  for (PetscInt k = rc->off[r]; k < rc->off[r + 1]; k++) {
    const PetscInt c = rc->idx[k];
    if (c < disc->geom->ncells) DAdd(D, model->fld.nf * c + model->fld.phi, disc->cellRow[c] + model->fld.phi, a * rc->w[k]);
  }
}

static inline PetscReal PhiRow(const NppDisc *disc, const NppEvaluation *ev, PetscInt r, const PetscReal *ph)
{
  NppFaceRecon rc = disc->reconPhi;
  PetscReal    s  = 0;
  for (PetscInt k = rc->off[r]; k < rc->off[r + 1]; k++) {
    const PetscInt j = rc->idx[k];
    s += rc->w[k] * (j < disc->geom->ncells ? ph[j] : ev->phiScale * disc->phiValue[j - disc->geom->ncells]);
  }
  return s;
}

/* Reconstructed electrochemical potential eta of species i (row r); boundary values from the
   face's concentration and potential (K's region). */
static inline PetscReal EtaRow(const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, PetscInt i, PetscInt r, const PetscReal *eta)
{
  NppFaceRecon   rc = disc->recon[i];
  const PetscInt nc = disc->geom->ncells, nfc = disc->geom->nfaces, ns = model->phys.nspecies;
  PetscReal      s = 0;
  for (PetscInt k = rc->off[r]; k < rc->off[r + 1]; k++) {
    const PetscInt j = rc->idx[k];
    if (j < nc) s += rc->w[k] * eta[j];
    else {
      const PetscInt f = j - nc;
      s += rc->w[k] * (PetscLogReal(disc->cValue[i * nfc + f]) + model->phys.sp[i].z * ev->phiScale * disc->phiValue[f] + ev->phiScale * model->fld.theta[disc->cellRegion[disc->geom->faces[f].K] * ns + i]);
    }
  }
  return s;
}

/* Where a flux of species i (or the Poisson flux, i < 0) through face f goes: +1 to K's rows,
   -1 to L's, for rows that are conservation laws of it. */
static PetscInt Destinations(const NppModel *model, const NppDisc *disc, PetscInt f, PetscInt i, PetscInt row[], PetscReal coef[], PetscInt cell[])
{
  const NppFields *fl = &model->fld;
  PetscInt         side[2], n = 0;
  PetscReal        sign[2];
  const PetscInt   nsides = NppFaceOwnedSides(disc->geom, f, side, sign);
  for (PetscInt k = 0; k < nsides; k++) {
    const PetscInt  c   = side[k];
    const PetscReal s   = sign[k];
    const PetscInt  reg = disc->cellRegion[c];
    if (i >= 0 && fl->field[i] >= 0 && fl->row[reg * fl->nf + fl->field[i]] == NPP_ROW_CONSERVE) row[n] = disc->cellRow[c] + fl->field[i], coef[n] = s, cell[n++] = c;
    if (c == disc->pinRow) continue;
    if (i < 0) row[n] = disc->cellRow[c] + fl->phi, coef[n] = s, cell[n++] = c;
    else if (model->phys.electroneutral) row[n] = disc->cellRow[c] + fl->phi, coef[n] = s * model->phys.sp[i].z, cell[n++] = c;
  }
  return n;
}

/* Cell values of the state: ct = c/c_bulk, c/cref, phi/VT and the electrochemical potentials. */
static void CellValues(const NppModel *model, const NppDisc *disc, NppEvaluation *ev, const PetscScalar *u)
{
  const NppFields  *fl = &model->fld;
  const NppPhysics *ph = &model->phys;
  const PetscInt    ns = ph->nspecies, nf = fl->nf, nc = disc->geom->ncells;

  for (PetscInt c = 0; c < nc; c++) {
    const PetscInt     reg = disc->cellRegion[c];
    const PetscScalar *uc  = &u[nf * c];
    for (PetscInt i = 0; i < ns; i++) {
      ev->chat[i * nc + c] = NppFieldsConcentration(fl, ns, reg, i, uc);
      ev->ct[i * nc + c]   = fl->kappa[reg * ns + i] * ev->chat[i * nc + c];
    }
    ev->phi[c] = uc[fl->phi];
    for (PetscInt i = 0; i < ns; i++) {
      if (!disc->recon[i] || fl->kappa[reg * ns + i] == 0.0) continue;
      if (!(ev->ct[i * nc + c] > 0)) ev->domainError = PETSC_TRUE; /* outside the domain of ln c */
      ev->eta[i * nc + c] = PetscLogReal(PetscMax(ev->ct[i * nc + c], PETSC_SMALL * PETSC_SMALL)) + ph->sp[i].z * ev->phi[c] + ev->phiScale * fl->theta[reg * ns + i];
    }
  }
}

/* The terms of each owned cell: accumulation, sources, the constraint and zero rows, the charge. */
static void CellTerms(const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, const PetscScalar *u, const PetscScalar *udot, PetscReal shift, PetscScalar *r, NppWalk *w)
{
  NppFVGeom         g  = disc->geom;
  const NppFields  *fl = &model->fld;
  const NppPhysics *ph = &model->phys;
  const PetscInt    ns = ph->nspecies, nf = fl->nf, nc = g->ncells;
  const PetscReal   Ld   = PetscPowReal(ph->Lref, g->dim - 2);
  const PetscReal  *chat = ev->chat;

  for (PetscInt c = 0; c < nc; c++) {
    if (!g->owned[c]) continue;
    const PetscInt     reg = disc->cellRegion[c];
    const PetscScalar *uc  = &u[nf * c];
    PetscScalar       *rc  = r ? &r[nf * disc->ownedPos[c]] : NULL;
    const PetscInt     row = disc->cellRow[c];
    const PetscReal    V   = g->volume[c];
    for (PetscInt f = 0; f < fl->phi; f++) {
      const PetscInt i = fl->speciesOfField[f];
      switch (fl->row[reg * nf + f]) {
      case NPP_ROW_CONSERVE: {
        const PetscReal m = V / (ph->Dref * Ld);
        if (rc) rc[f] = (udot ? m * udot[nf * c + f] : 0.0) - V * disc->cellSource[nf * c + f];
        if (w) NppWalkAdd(w, row + f, row + f, udot ? shift * m : 0.0);
      } break;
      case NPP_ROW_NEUTRAL: { /* u_f - (A u + b)_i */
        const PetscReal *A = &fl->A[(reg * ns + i) * nf];
        if (rc) rc[f] = uc[f] - NppFieldsConcentration(fl, ns, reg, i, uc);
        if (w) NppWalkAdd(w, row + f, row + f, 1.0);
        for (PetscInt j = 0; j < fl->phi && w; j++)
          if (A[j] != 0.0) NppWalkAdd(w, row + f, row + j, -A[j]);
      } break;
      case NPP_ROW_ZERO:
        if (rc) rc[f] = uc[f];
        if (w) NppWalkAdd(w, row + f, row + f, 1.0);
        break;
      }
    }
    /* potential row */
    if (c == disc->pinRow) {
      if (rc) rc[fl->phi] = uc[fl->phi];
      if (w) NppWalkAdd(w, row + fl->phi, row + fl->phi, 1.0);
    } else if (ph->electroneutral) {
      if (rc) rc[fl->phi] = -V * disc->cellSource[nf * c + fl->phi];
      if (w) NppWalkAdd(w, row + fl->phi, row + fl->phi, 0.0);
    } else { /* -V (Lref^(2-dim)) F cref/(eps0 VT) (sum z c/cref + rho) */
      const PetscReal P = -V / Ld * ph->poissonCharge * ev->chargeScale;
      PetscReal       q = fl->rho[reg];
      for (PetscInt i = 0; i < ns; i++) q += ph->sp[i].z * chat[i * nc + c];
      if (rc) rc[fl->phi] = P * q - V * disc->cellSource[nf * c + fl->phi];
      if (w) {
        NppWalkAdd(w, row + fl->phi, row + fl->phi, 0.0);
        for (PetscInt j = 0; j < fl->phi; j++) {
          PetscReal a = 0;
          for (PetscInt i = 0; i < ns; i++) a += ph->sp[i].z * fl->A[(reg * ns + i) * nf + j];
          NppWalkAdd(w, row + fl->phi, row + j, P * a);
        }
      }
    }
  }
}

/* The kinds of face flux, one kernel each (physics/face_kernels.h). */
typedef enum {
  FACE_NONE,       /* no flux of this quantity (absent, blocking, or no potential coupling) */
  FACE_CONDUCTION, /* Poisson: two-point conduction of the potential */
  FACE_SPECIES,    /* Scharfetter-Gummel, inside the domain or to a reservoir */
  FACE_ELECTRODE,  /* Butler-Volmer at a Li-metal electrode */
  FACE_GIVEN       /* a given flux leaving the domain */
} FaceKind;

/* Kind of the flux of species i (the Poisson flux: i < 0) through active face f. */
static FaceKind Kind(const NppModel *model, const NppDisc *disc, PetscInt f, PetscInt i)
{
  const NppFace *fc  = &disc->geom->faces[f];
  const PetscInt nfc = disc->geom->nfaces, ns = model->phys.nspecies;

  if (i < 0) return model->phys.electroneutral || disc->transPhi[f] == 0.0 ? FACE_NONE : FACE_CONDUCTION;
  if (fc->L < 0 && disc->faceElectrode[f] >= 0) { /* other species are blocked there */
    const NppBoundary *bc = &model->bc[disc->faceElectrode[f]];
    return i == bc->electrodeSpecies && model->fld.kappa[disc->cellRegion[fc->K] * ns + i] != 0.0 ? FACE_ELECTRODE : FACE_NONE;
  }
  if (fc->L < 0 && disc->cHasFlux[i * nfc + f]) return FACE_GIVEN;
  return disc->trans[i * nfc + f] == 0.0 ? FACE_NONE : FACE_SPECIES;
}

/* The derivatives of a face flux with respect to its face values, as a kernel gives them: the
   potential and the species' concentration at K's and L's point ([0], [1]), and a global unknown
   (an electrode potential). has* say which face values depend on the unknowns at all, so that
   the entries (the Jacobian pattern) do not depend on the values. */
typedef struct {
  PetscBool hasPhi[2], hasC[2];
  PetscReal dphi[2];
  PetscBool logC; /* dc is d/d(ln c') rather than d/dc' */
  PetscReal dc[2], c[2];
  PetscInt  global; /* index among the global unknowns, or -1 */
  PetscReal dglobal;
} FaceDeriv;

/* The chain rule through the reconstruction, for every kind of face: derivatives with respect to
   the face values -> sparse derivative with respect to the unknowns. A species with a
   reconstruction has ln c' = eta' - z phi' - theta at the face points (eta' reconstructed); one
   without has its cell values (ct of K and L). */
static PetscErrorCode FaceChainRule(const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, PetscInt f, PetscInt i, const FaceDeriv *d, Deriv *D)
{
  const NppFace *fc = &disc->geom->faces[f];

  PetscFunctionBeginUser;
  D->n = 0;
  if (d->global >= 0) DAdd(D, model->fld.nf * disc->geom->ncells + d->global, disc->globalRow0 + d->global, d->dglobal);
  for (PetscInt side = 0; side < 2; side++) {
    const PetscInt row  = 2 * f + side;
    PetscReal      dphi = d->dphi[side];
    PetscBool      phi  = d->hasPhi[side];
    if (d->hasC[side]) {
      if (disc->recon[i]) {
        const PetscReal deta = d->logC ? d->dc[side] : d->dc[side] * d->c[side]; /* d/d ln c' */
        DerivEtaRow(model, disc, i, row, deta, NppEvalConcentration(ev, i), D);
        dphi -= model->phys.sp[i].z * deta, phi = PETSC_TRUE;
      } else DerivSpeciesCell(model, disc, i, side ? fc->L : fc->K, d->logC ? d->dc[side] / d->c[side] : d->dc[side], D);
    }
    if (phi) DerivPhiRow(model, disc, row, dphi, D);
  }
  PetscCheck(D->n <= D->cap, PETSC_COMM_SELF, PETSC_ERR_PLIB, "face %d: %d derivative entries exceed the buffer of %d sized from the reconstruction stencils", (int)f, (int)D->n, (int)D->cap);
  for (PetscInt e = 0; e < D->n; e++) D->slot[D->key[e]] = -1;
  PetscFunctionReturn(0);
}

/* Poisson flux: two-point conduction between the potentials at the two points. */
static PetscReal ConductionFace(const NppDisc *disc, const NppEvaluation *ev, PetscInt f, FaceDeriv *d)
{
  const PetscReal *phi = ev->phi;
  const PetscReal  N   = NppConductionFlux(disc->transPhi[f], PhiRow(disc, ev, 2 * f, phi), PhiRow(disc, ev, 2 * f + 1, phi), &d->dphi[0], &d->dphi[1]);
  d->hasPhi[0] = d->hasPhi[1] = PETSC_TRUE;
  return N;
}

/* Scharfetter-Gummel flux of species i between K's and L's point, or to a boundary reservoir
   (L's values given; L's potential is K's where none is given). */
static PetscReal SpeciesFace(const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, PetscInt f, PetscInt i, FaceDeriv *d)
{
  NppFVGeom           g  = disc->geom;
  const NppFace      *fc = &g->faces[f];
  const PetscInt      ns = model->phys.nspecies, nfc = g->nfaces;
  const PetscBool     bnd = (PetscBool)(fc->L < 0), rec = (PetscBool)(disc->recon[i] != NULL);
  const PetscReal     z = model->phys.sp[i].z, thK = ev->phiScale * model->fld.theta[disc->cellRegion[fc->K] * ns + i];
  const PetscReal     pK = PhiRow(disc, ev, 2 * f, ev->phi);
  PetscReal           cK, cL, pL, thL, N;
  NppSpeciesFluxDeriv k;

  /* corrected concentration at K's point: ct' = exp(eta' - psi'), positive, exact at equilibrium */
  cK = rec ? PetscExpReal(EtaRow(model, disc, ev, i, 2 * f, NppEvalElectrochemical(ev, i)) - z * pK - thK) : NppEvalRegionConcentration(ev, i)[fc->K];
  if (bnd) {
    cL  = disc->cValue[i * nfc + f];
    pL  = disc->phiHasValue[f] ? ev->phiScale * disc->phiValue[f] : pK;
    thL = thK;
  } else {
    pL  = PhiRow(disc, ev, 2 * f + 1, ev->phi);
    thL = ev->phiScale * model->fld.theta[disc->cellRegion[fc->L] * ns + i];
    cL  = rec ? PetscExpReal(EtaRow(model, disc, ev, i, 2 * f + 1, NppEvalElectrochemical(ev, i)) - z * pL - thL) : NppEvalRegionConcentration(ev, i)[fc->L];
  }
  N          = NppSpeciesFlux(disc->trans[i * nfc + f], z, cK, pK, thK, cL, pL, thL, &k);
  d->hasC[0] = PETSC_TRUE, d->dc[0] = k.dcK, d->c[0] = cK;
  d->hasPhi[0] = (PetscBool)(!bnd || disc->phiHasValue[f]);
  d->dphi[0]   = k.dpK;
  if (!bnd) {
    d->hasC[1] = d->hasPhi[1] = PETSC_TRUE;
    d->dc[1] = k.dcL, d->c[1] = cL, d->dphi[1] = k.dpL;
  } else if (!disc->phiHasValue[f]) d->dphi[0] = k.dpK + k.dpL; /* pL = pK: exactly zero */
  return N;
}

/* Butler-Volmer at K's point: potential and concentration at K's point on the face normal (the
   non-orthogonal correction, as in the fluxes): ln c' = eta' - z phi' - theta where the species
   varies, else the cell value. Records the face's current density and overpotential, and its
   term of a galvanostatic electrode's current constraint. */
static PetscReal ElectrodeFace(const NppModel *model, const NppDisc *disc, NppEvaluation *ev, PetscInt f, PetscInt i, FaceDeriv *d)
{
  NppFVGeom          g  = disc->geom;
  const NppPhysics  *ph = &model->phys;
  const NppFace     *fc = &g->faces[f];
  const NppBoundary *bc = &model->bc[disc->faceElectrode[f]];
  const PetscInt     ns = ph->nspecies, rK = disc->cellRegion[fc->K];
  const PetscReal    z = ph->sp[i].z, thK = ev->phiScale * model->fld.theta[rK * ns + i];
  const PetscBool    rec  = (PetscBool)(disc->recon[i] != NULL);
  const PetscReal    pK   = PhiRow(disc, ev, 2 * f, ev->phi);
  const PetscReal    lnc  = rec ? EtaRow(model, disc, ev, i, 2 * f, NppEvalElectrochemical(ev, i)) - z * pK - thK : PetscLogReal(PetscMax(NppEvalRegionConcentration(ev, i)[fc->K], PETSC_SMALL));
  const PetscReal    phis = bc->galvanostatic ? ev->globalValue[bc->unknown] : ev->phiScale * bc->potential / ph->VT;
  /* in series with the kinetics: the SEI film and the half-cell between K's point and the
     electrode (ohmic, d_K / sigma_K), so that K's potential, not the unknown surface potential,
     enters the overpotential */
  const PetscReal              r     = (bc->filmResistance + fc->dK / model->mat[rK].conductivity) / ph->VT;
  const PetscReal              scale = -fc->area / (z * NPP_FARADAY * ph->speciesScale); /* i (A/m^2) -> scaled flux leaving */
  const NppElectrodeFaceParams p     = {bc->i0, bc->i0Exponent, bc->alphaA, bc->alphaC, r, z, scale, PETSC_SMALL};
  NppElectrodeFace             o;

  NppElectrodeFaceFlux(&p, pK, lnc, phis, &o);
  ev->faceCurrent[f] = o.current;
  ev->faceEta[f]     = o.eta * ph->VT;
  if (bc->galvanostatic && g->owned[fc->K]) ev->globalSum[bc->unknown] += o.N;
  d->hasC[0] = d->hasPhi[0] = d->logC = PETSC_TRUE;
  d->dc[0] = o.dlnc, d->c[0] = o.c, d->dphi[0] = o.dpK;
  if (bc->galvanostatic) d->global = bc->unknown, d->dglobal = o.dphis;
  return o.N;
}

/* Adds flux N of face f (and, with w, its derivative D) to the rows it enters. */
static void Scatter(const NppModel *model, const NppDisc *disc, PetscReal N, PetscInt nd, const PetscInt drow[], const PetscReal dcoef[], const PetscInt dcell[], const Deriv *D, PetscScalar *r, NppWalk *w)
{
  const PetscInt nf = model->fld.nf;
  for (PetscInt k = 0; k < nd; k++) {
    if (r) r[nf * disc->ownedPos[dcell[k]] + (drow[k] - disc->cellRow[dcell[k]])] += dcoef[k] * N;
    if (w)
      for (PetscInt e = 0; e < D->n; e++) NppWalkAdd(w, drow[k], D->col[e], dcoef[k] * D->val[e]);
  }
}

typedef struct {
  PetscScalar *r;
  NppWalk     *w;
  Deriv        D;
} FaceTermsCtx;

/* The visitor of the face walk: per quantity through face f the kernel of its kind, the chain
   rule, the scatter into the rows. */
static PetscErrorCode FaceTerms(Npp npp, PetscInt f, void *ctx)
{
  const NppModel *model = &npp->model;
  const NppDisc  *disc  = &npp->disc;
  NppEvaluation  *ev    = &npp->ev;
  FaceTermsCtx   *fw    = (FaceTermsCtx *)ctx;
  NppWalk        *w     = fw->w;
  const NppFace  *fc    = &disc->geom->faces[f];
  const PetscInt  ns = model->phys.nspecies, nfc = disc->geom->nfaces;

  PetscFunctionBeginUser;
  for (PetscInt i = -1; i < ns; i++) {
    const FaceKind kind = Kind(model, disc, f, i);
    FaceDeriv      d    = {
              {PETSC_FALSE, PETSC_FALSE},
              {PETSC_FALSE, PETSC_FALSE},
              {0,           0          },
              PETSC_FALSE, {0,           0          },
              {1,           1          },
              -1, 0
    };
    PetscInt  drow[4], dcell[4], nd, constraint = -1;
    PetscReal dcoef[4], N = 0;
    switch (kind) {
    case FACE_NONE:
      continue;
    case FACE_CONDUCTION:
      N = ConductionFace(disc, ev, f, &d);
      break;
    case FACE_SPECIES:
      N = SpeciesFace(model, disc, ev, f, i, &d);
      break;
    case FACE_GIVEN:
      N = NppGivenFlux(ev->phiScale, disc->cFlux[i * nfc + f]);
      break; /* no derivative */
    case FACE_ELECTRODE: {
      const NppBoundary *bc = &model->bc[disc->faceElectrode[f]];
      N                     = ElectrodeFace(model, disc, ev, f, i, &d);
      if (bc->galvanostatic && disc->geom->owned[fc->K]) constraint = disc->globalRow0 + bc->unknown; /* a term of its current constraint */
    } break;
    }
    nd      = Destinations(model, disc, f, i, drow, dcoef, dcell);
    fw->D.n = 0;
    if (w && (nd || constraint >= 0)) PetscCall(FaceChainRule(model, disc, ev, f, i, &d, &fw->D));
    for (PetscInt e = 0; e < fw->D.n && constraint >= 0; e++) NppWalkAdd(w, constraint, fw->D.col[e], -fw->D.val[e]);
    (i < 0 ? NppEvalPoissonFlux(ev) : NppEvalSpeciesFlux(ev, i))[f] = N;
    Scatter(model, disc, N, nd, drow, dcoef, dcell, &fw->D, fw->r, w);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Evaluate(Npp npp, const PetscScalar *u, const PetscScalar *udot, PetscReal shift, PetscScalar *r, NppWalk *w)
{
  FaceTermsCtx ctx = {
    r, w, {0, npp->disc.derivCap, npp->disc.derivCol, npp->disc.derivKey, npp->disc.derivVal, npp->disc.derivSlot}
  };

  PetscFunctionBeginUser;
  CellValues(&npp->model, &npp->disc, &npp->ev, u);
  CellTerms(&npp->model, &npp->disc, &npp->ev, u, udot, shift, r, w);
  PetscCall(PetscArrayzero(npp->ev.faceFlux, (npp->model.phys.nspecies + 1) * npp->disc.geom->nfaces));
  PetscCall(PetscArrayzero(npp->ev.globalSum, npp->disc.nglobal));
  PetscCall(NppFaceWalk(npp, NPP_FACES_ACTIVE, FaceTerms, &ctx));
  /* the current constraints' diagonals (their values come with the electrode faces) */
  if (w && npp->disc.nglobal) {
    PetscMPIInt rank;
    PetscCallMPI(MPI_Comm_rank(npp->comm, &rank));
    for (PetscInt k = 0; k < npp->disc.nglobal && rank == npp->disc.globalOwner; k++) NppWalkAdd(w, npp->disc.globalRow0 + k, npp->disc.globalRow0 + k, 0.0);
  }
  PetscFunctionReturn(0);
}

/* Rows of the global unknowns: the applied current minus the sum over the electrode's faces,
   as fluxes of the electrode species leaving the domain in scaled units (like a cell's
   conservation row), on the rank that stores them. With this sign the row's diagonal is positive
   and, for a potential-only problem, the extended Jacobian stays symmetric: the electrode is one
   more node coupled to its cells by the kinetic conductances. */
static PetscErrorCode CurrentConstraints(MPI_Comm comm, const NppModel *model, const NppDisc *disc, NppEvaluation *ev, PetscScalar *r)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Reduce(rank == disc->globalOwner ? MPI_IN_PLACE : ev->globalSum, ev->globalSum, (PetscMPIInt)disc->nglobal, MPIU_REAL, MPIU_SUM, disc->globalOwner, comm));
  if (rank != disc->globalOwner) PetscFunctionReturn(0);
  for (PetscInt k = 0; k < disc->nglobal; k++) {
    const NppBoundary *bc    = &model->bc[disc->globalBC[k]];
    const PetscReal    iapp  = NppCurrentScheduleValue(&bc->schedule, ev->time);
    const PetscReal    Napp  = -ev->phiScale * iapp * bc->area / (model->phys.sp[bc->electrodeSpecies].z * NPP_FARADAY * model->phys.speciesScale);
    r[disc->nlocalCells + k] = Napp - ev->globalSum[k];
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppOperatorEvaluate(Npp npp, Vec Xloc, Vec Xdotloc, PetscReal shift, Vec F, PetscReal *J)
{
  const PetscScalar *u, *ud = NULL;
  PetscScalar       *r = NULL;
  NppWalk            w = {NPP_WALK_VALUES, 0, 0, &npp->disc.jac, NULL, J};

  PetscFunctionBeginUser;
  PetscCall(VecGetArrayRead(Xloc, &u));
  if (Xdotloc) PetscCall(VecGetArrayRead(Xdotloc, &ud));
  if (F) PetscCall(VecGetArray(F, &r));
  if (J) PetscCall(PetscArrayzero(J, npp->disc.jac.nslots));
  npp->ev.domainError = PETSC_FALSE;
  PetscCall(Evaluate(npp, u, ud, shift, r, J ? &w : NULL));
  if (F && npp->disc.nglobal) PetscCall(CurrentConstraints(npp->comm, &npp->model, &npp->disc, &npp->ev, r));
  PetscCheck(!J || w.n == npp->disc.nvisits, PETSC_COMM_SELF, PETSC_ERR_PLIB, "Jacobian walk visited %" PetscCount_FMT " entries, the pattern's walk %" PetscCount_FMT, w.n, npp->disc.nvisits);
  if (F) PetscCall(VecRestoreArray(F, &r));
  if (Xdotloc) PetscCall(VecRestoreArrayRead(Xdotloc, &ud));
  PetscCall(VecRestoreArrayRead(Xloc, &u));
  {
    PetscBool any;
    PetscCall(MPIU_Allreduce(&npp->ev.domainError, &any, 1, MPIU_BOOL, MPI_LOR, npp->comm));
    npp->ev.domainError = any;
  }
  PetscFunctionReturn(0);
}

/* The Jacobian's pattern for the local rows [rstart, rstart + nrows): the walk that fills the
   values, run twice without them (count, record), so that the pattern and the values cannot
   disagree. */
PetscErrorCode NppOperatorPattern(Npp npp, Vec Xloc, PetscInt rstart, PetscInt nrows)
{
  const PetscScalar *u;
  NppWalk            w = {NPP_WALK_COUNT, 0, 0, &npp->disc.jac, NULL, NULL};

  PetscFunctionBeginUser;
  PetscCall(NppJacPatternBegin(&npp->disc.jac, rstart, nrows));
  PetscCall(VecGetArrayRead(Xloc, &u));
  PetscCall(Evaluate(npp, u, NULL, 0.0, NULL, &w));
  PetscCall(NppJacPatternCounted(&npp->disc.jac, &w));
  PetscCall(Evaluate(npp, u, NULL, 0.0, NULL, &w));
  npp->disc.nvisits = w.n;
  PetscCall(NppJacPatternRecorded(&npp->disc.jac, &w));
  PetscCall(VecRestoreArrayRead(Xloc, &u));
  PetscFunctionReturn(0);
}
