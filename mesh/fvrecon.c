/* SPDX-License-Identifier: BSD-2-Clause */
#include "fvgeom.h"

/* smallest det(M)/(tr(M)/dim)^dim of a usable least-squares matrix */
#define NPP_LSQ_MIN_COND 1e-3
/* a cell with an open boundary face (an electrode) whose own stencil is this flat takes the
   neighbours of its neighbours too (CellGradient) */
#define NPP_LSQ_OPEN_MIN_QUALITY 0.1
/* most points of one cell's stencil (faces, then neighbours of neighbours) */
#define NPP_LSQ_MAX_POINTS 64

/* How evenly the points of a least-squares stencil spread, det M / (tr M / dim)^dim: 1 for an
   isotropic stencil, 0 for a degenerate one. */
static PetscReal StencilQuality(PetscInt dim, const PetscReal M[9])
{
  PetscReal tr = 0;
  for (PetscInt i = 0; i < dim; i++) tr += M[4 * i];
  if (!(tr > 0)) return 0;
  if (dim == 1) return 1;
  if (dim == 2) return (M[0] * M[4] - M[1] * M[3]) / PetscSqr(tr / 2);
  return (M[0] * (M[4] * M[8] - M[5] * M[7]) - M[1] * (M[3] * M[8] - M[5] * M[6]) + M[2] * (M[3] * M[7] - M[4] * M[6])) / PetscPowReal(tr / 3, 3);
}

/* Inverse of the symmetric dim x dim matrix M (row-major 3x3 storage). Returns PETSC_FALSE
   if M is too close to singular for a trustworthy gradient: det(M) / (tr(M)/dim)^dim is the
   product of the normalised eigenvalues, small when the neighbours are (nearly) collinear
   or coplanar. */
static PetscBool InvertSym(PetscInt dim, const PetscReal M[9], PetscReal Mi[9])
{
  PetscReal det, tr = 0;
  for (PetscInt i = 0; i < dim; i++) tr += M[4 * i];
  if (tr <= 0) return PETSC_FALSE;
  if (dim == 1) {
    Mi[0] = 1.0 / M[0];
    return PETSC_TRUE;
  }
  if (dim == 2) {
    det = M[0] * M[4] - M[1] * M[3];
    if (det / PetscSqr(tr / 2) < NPP_LSQ_MIN_COND) return PETSC_FALSE;
    Mi[0] = M[4] / det, Mi[1] = -M[1] / det, Mi[3] = -M[3] / det, Mi[4] = M[0] / det;
    return PETSC_TRUE;
  }
  det = M[0] * (M[4] * M[8] - M[5] * M[7]) - M[1] * (M[3] * M[8] - M[5] * M[6]) + M[2] * (M[3] * M[7] - M[4] * M[6]);
  if (det / PetscPowReal(tr / 3, 3) < NPP_LSQ_MIN_COND) return PETSC_FALSE;
  Mi[0] = (M[4] * M[8] - M[5] * M[7]) / det, Mi[1] = (M[2] * M[7] - M[1] * M[8]) / det, Mi[2] = (M[1] * M[5] - M[2] * M[4]) / det;
  Mi[3] = (M[5] * M[6] - M[3] * M[8]) / det, Mi[4] = (M[0] * M[8] - M[2] * M[6]) / det, Mi[5] = (M[2] * M[3] - M[0] * M[5]) / det;
  Mi[6] = (M[3] * M[7] - M[4] * M[6]) / det, Mi[7] = (M[1] * M[6] - M[0] * M[7]) / det, Mi[8] = (M[0] * M[4] - M[1] * M[3]) / det;
  return PETSC_TRUE;
}

/* Pseudo-inverse of a symmetric dim x dim M restricted to its well-determined directions:
   eigenpairs by cyclic Jacobi rotations, directions with eigenvalue below rel * tr(M)/dim dropped
   (the gradient keeps its components along the others and none along them). Returns the number
   of directions kept. */
static PetscInt PseudoInvertSym(PetscInt dim, const PetscReal M[9], PetscReal rel, PetscReal Mi[9])
{
  PetscReal A[3][3],
    V[3][3] =
      {
        {1, 0, 0},
        {0, 1, 0},
        {0, 0, 1}
  },
    tr          = 0;
  PetscInt kept = 0;

  for (PetscInt i = 0; i < dim; i++)
    for (PetscInt j = 0; j < dim; j++) A[i][j] = M[3 * i + j];
  for (PetscInt i = 0; i < dim; i++) tr += A[i][i];
  for (PetscInt sweep = 0; sweep < 50; sweep++) {
    PetscReal off = 0;
    for (PetscInt p = 0; p < dim; p++)
      for (PetscInt q = p + 1; q < dim; q++) off += A[p][q] * A[p][q];
    if (off <= 1e-30 * tr * tr) break;
    for (PetscInt p = 0; p < dim; p++)
      for (PetscInt q = p + 1; q < dim; q++) {
        if (A[p][q] == 0.0) continue;
        const PetscReal th = (A[q][q] - A[p][p]) / (2 * A[p][q]);
        const PetscReal t  = (th >= 0 ? 1.0 : -1.0) / (PetscAbsReal(th) + PetscSqrtReal(th * th + 1));
        const PetscReal c = 1 / PetscSqrtReal(t * t + 1), sn = t * c;
        for (PetscInt k = 0; k < dim; k++) { /* A <- J^T A J */
          const PetscReal akp = A[k][p], akq = A[k][q];
          A[k][p] = c * akp - sn * akq, A[k][q] = sn * akp + c * akq;
        }
        for (PetscInt k = 0; k < dim; k++) {
          const PetscReal apk = A[p][k], aqk = A[q][k];
          A[p][k] = c * apk - sn * aqk, A[q][k] = sn * apk + c * aqk;
        }
        for (PetscInt k = 0; k < dim; k++) {
          const PetscReal vkp = V[k][p], vkq = V[k][q];
          V[k][p] = c * vkp - sn * vkq, V[k][q] = sn * vkp + c * vkq;
        }
      }
  }
  for (PetscInt i = 0; i < 9; i++) Mi[i] = 0;
  for (PetscInt e = 0; e < dim; e++) {
    if (!(A[e][e] > rel * tr / dim)) continue;
    kept++;
    for (PetscInt i = 0; i < dim; i++)
      for (PetscInt j = 0; j < dim; j++) Mi[3 * i + j] += V[i][e] * V[j][e] / A[e][e];
  }
  return kept;
}

/* Least-squares gradient weights of cell c: g_c = sum_j G_j (u_j - u_c), G_j a 3-vector.
   The points are the centroids of the face neighbours in the same group, the boundary faces
   with a value, and the centroid x_f of each face shared with another group, with the value
   flux continuity gives there, w_K u_K + w_L u_L (w = a/(a_K + a_L), a = coef/d): its entry is
   the neighbour o with the factor w_o. These interface points make the stencil of a cell next
   to an interface two-sided; without them its weights are one-sided and large, and the
   corrected operator defeats algebraic multigrid. The value is exact at x_f when the
   tangential gradient vanishes there; otherwise it is exact at x_f - w_K r_K - w_L r_L, but
   using that point brings the one-sided weights back (measured: GAMG stalls), so x_f it is.
   A boundary face across which the field has no flux (zeroNormal) adds the condition n . g = 0:
   without it a cell in a corner of walls has too few points and loses its correction, and a
   wall cell's gradient is one-sided.
   With a scale s (a field discontinuous at interfaces at equilibrium, like a concentration
   across a mu0 jump: u s is continuous there) the interface value seen from c is
   (w_c u_c s_c + w_o u_o s_o)/s_c: ratio[n] = s_o/s_c multiplies the neighbour's entry. */
static PetscInt CellGradient(NppFVGeom g, PetscInt c, const PetscInt group[], const PetscReal coef[], const PetscReal scale[], const PetscBool hasValue[], const PetscBool zeroNormal[], PetscInt idx[], PetscReal G[], PetscReal ratio[])
{
  const PetscReal *xc   = &g->centroid[3 * c];
  PetscReal        M[9] = {0}, Mi[9] = {0}, d[NPP_LSQ_MAX_POINTS][3], wt[NPP_LSQ_MAX_POINTS], sc[NPP_LSQ_MAX_POINTS];
  PetscInt         n    = 0;
  PetscBool        open = PETSC_FALSE; /* a boundary face with neither a value nor a wall: an electrode */

  for (PetscInt k = g->cellFaceOff[c]; k < g->cellFaceOff[c + 1] && n < NPP_LSQ_MAX_POINTS; k++) {
    const PetscInt   f  = g->cellFaces[k];
    const NppFace   *fc = &g->faces[f];
    const PetscReal *xj;
    sc[n] = 1.0, ratio[n] = 1.0;
    if (fc->L >= 0) {
      const PetscInt o = fc->K == c ? fc->L : fc->K;
      xj               = &g->centroid[3 * o];
      idx[n]           = o;
      if (group[o] != group[c]) {
        const PetscReal aK = coef[fc->K] / fc->dK, aL = coef[fc->L] / fc->dL;
        xj       = fc->centroid;
        sc[n]    = aK + aL > 0 ? (fc->K == c ? aL : aK) / (aK + aL) : 0.0;
        ratio[n] = scale ? scale[o] / scale[c] : 1.0;
      }
    } else {
      if (!hasValue[f] && zeroNormal && !zeroNormal[f]) open = PETSC_TRUE;
      if (!hasValue[f]) {
        /* a wall the field's flux cannot cross: n . g = 0 (the residual of a mirror point
           at 2 d_K along n with the cell's own value, weight 1/(2 d_K)^2) */
        if (zeroNormal && zeroNormal[f])
          for (PetscInt a = 0; a < g->dim; a++)
            for (PetscInt b = 0; b < g->dim; b++) M[3 * a + b] += fc->normal[a] * fc->normal[b];
        continue;
      }
      xj     = fc->centroid;
      idx[n] = g->ncells + f;
    }
    for (int i = 0; i < 3; i++) d[n][i] = xj[i] - xc[i];
    wt[n] = 1.0 / (d[n][0] * d[n][0] + d[n][1] * d[n][1] + d[n][2] * d[n][2]);
    for (PetscInt a = 0; a < g->dim; a++)
      for (PetscInt b = 0; b < g->dim; b++) M[3 * a + b] += wt[n] * d[n][a] * d[n][b];
    n++;
  }
  /* A degenerate stencil -- typically a flat cell on an electrode whose neighbours all lie at
     about one height, so that the normal derivative is undetermined -- takes the neighbours of
     its neighbours (same group) as further points. With them a linear field is reconstructed
     exactly also there (measured on a 3-D tetrahedral slab: face currents at an electrode to
     1e-10 instead of +-25 %); this is why the overlap is three cell layers.
     A cell on an electrode (an open boundary face: its flux set by kinetics, no value, no wall)
     does so already when its own stencil is merely flat: its one-sided normal weights enter the
     corrections of its interior faces and flipped the sign of its Jacobian row (measured on 3-D
     tetrahedra graded to a hemispherical electrode: negative diagonals in every electrode cell of
     quality 1e-3 to 1e-2, Jacobi-preconditioned Ritz values down to -124, GMRES + GAMG not
     converging in 1000 iterations; with the second ring 27, as with a Dirichlet electrode). */
  if (!InvertSym(g->dim, M, Mi) || (open && StencilQuality(g->dim, M) < NPP_LSQ_OPEN_MIN_QUALITY)) {
    const PetscInt n1 = n;
    for (PetscInt j = 0; j < n1; j++) {
      const PetscInt o = idx[j];
      if (o >= g->ncells || group[o] != group[c]) continue;
      for (PetscInt k = g->cellFaceOff[o]; k < g->cellFaceOff[o + 1] && n < NPP_LSQ_MAX_POINTS; k++) {
        const NppFace *fc = &g->faces[g->cellFaces[k]];
        if (fc->L < 0) continue;
        const PetscInt o2  = fc->K == o ? fc->L : fc->K;
        PetscBool      dup = (PetscBool)(o2 == c || group[o2] != group[c]);
        for (PetscInt e = 0; e < n && !dup; e++) dup = (PetscBool)(idx[e] == o2);
        if (dup) continue;
        idx[n] = o2, sc[n] = 1.0, ratio[n] = 1.0;
        for (int i = 0; i < 3; i++) d[n][i] = g->centroid[3 * o2 + i] - xc[i];
        wt[n] = 1.0 / (d[n][0] * d[n][0] + d[n][1] * d[n][1] + d[n][2] * d[n][2]);
        for (PetscInt a = 0; a < g->dim; a++)
          for (PetscInt b = 0; b < g->dim; b++) M[3 * a + b] += wt[n] * d[n][a] * d[n][b];
        n++;
      }
    }
  }
  /* still degenerate: keep the directions the points do determine */
  if (!InvertSym(g->dim, M, Mi) && !PseudoInvertSym(g->dim, M, 0.05, Mi)) return -1;
  for (PetscInt j = 0; j < n; j++)
    for (PetscInt a = 0; a < 3; a++) {
      G[3 * j + a] = 0;
      for (PetscInt b = 0; b < g->dim && a < g->dim; b++) G[3 * j + a] += Mi[3 * a + b] * wt[j] * d[j][b];
      G[3 * j + a] *= sc[j];
    }
  return n;
}

/* Adds value w to entry j of the row that starts at k0 and ends at *k (rows are short). */
static void RowAdd(PetscInt idx[], PetscReal w[], PetscInt k0, PetscInt *k, PetscInt j, PetscReal value)
{
  for (PetscInt e = k0; e < *k; e++)
    if (idx[e] == j) {
      w[e] += value;
      return;
    }
  idx[*k] = j, w[(*k)++] = value;
}

/* Adds a (g_c . v) to the row that starts at k0: a sum_j (G_cj . v)(ratio_j u_j - u_c). */
static void AddGradient(const PetscInt gOff[], const PetscInt gIdx[], const PetscReal gW[], const PetscReal gR[], PetscInt c, const PetscReal v[3], PetscReal a, PetscInt idx[], PetscReal w[], PetscInt k0, PetscInt *k)
{
  for (PetscInt j = gOff[c]; j < gOff[c + 1]; j++) {
    const PetscReal wj = a * (gW[3 * j] * v[0] + gW[3 * j + 1] * v[1] + gW[3 * j + 2] * v[2]);
    if (wj == 0.0) continue;
    RowAdd(idx, w, k0, k, gIdx[j], wj * gR[j]);
    RowAdd(idx, w, k0, k, c, -wj);
  }
}

PetscErrorCode NppFaceReconCreate(NppFVGeom g, const PetscInt group[], const PetscReal coef[], const PetscReal scale[], const PetscBool hasValue[], const PetscBool zeroNormal[], PetscBool correct, PetscReal minOrtho, NppFaceRecon *recon)
{
  NppFaceRecon rc;
  PetscInt    *gOff, *gIdx, cap, gcap;
  PetscReal   *gW, *gR;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&rc));
  /* gradient weights of every local cell */
  PetscCall(PetscMalloc1(g->ncells + 1, &gOff));
  gcap = 2 * g->cellFaceOff[g->ncells] + NPP_LSQ_MAX_POINTS;
  PetscCall(PetscMalloc3(gcap, &gIdx, 3 * gcap, &gW, gcap, &gR));
  gOff[0] = 0;
  for (PetscInt c = 0; c < g->ncells; c++) {
    if (gOff[c] + NPP_LSQ_MAX_POINTS > gcap) { /* room for the largest stencil */
      PetscInt  *i2;
      PetscReal *w2, *r2;
      gcap *= 2;
      PetscCall(PetscMalloc3(gcap, &i2, 3 * gcap, &w2, gcap, &r2));
      PetscCall(PetscArraycpy(i2, gIdx, gOff[c]));
      PetscCall(PetscArraycpy(w2, gW, 3 * gOff[c]));
      PetscCall(PetscArraycpy(r2, gR, gOff[c]));
      PetscCall(PetscFree3(gIdx, gW, gR));
      gIdx = i2, gW = w2, gR = r2;
    }
    PetscInt n = correct ? CellGradient(g, c, group, coef, scale, hasValue, zeroNormal, &gIdx[gOff[c]], &gW[3 * gOff[c]], &gR[gOff[c]]) : 0;
    if (n < 0) {
      n = 0;
      if (g->owned[c]) rc->nfallback++;
    }
    gOff[c + 1] = gOff[c] + n;
  }
  /* face reconstructions: rows 2f (K side) and 2f+1 (L side or boundary value) */
  cap = 2 * g->nfaces; /* per face: two own entries, and each gradient entry of K and L twice in both rows */
  for (PetscInt c = 0; c < g->ncells; c++) cap += (2 + 4 * (gOff[c + 1] - gOff[c])) * (g->cellFaceOff[c + 1] - g->cellFaceOff[c]);
  PetscCall(PetscMalloc1(2 * g->nfaces + 1, &rc->off));
  PetscCall(PetscMalloc2(cap, &rc->idx, cap, &rc->w));
  rc->off[0] = 0;
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace *fc = &g->faces[f];
    PetscInt       k  = rc->off[2 * f];
    PetscBool      on = (PetscBool)(fc->active && correct);

    if (on && NppFaceOrthogonality(g, fc) < minOrtho) on = PETSC_FALSE, rc->nuncorrected += g->owned[fc->K];
    if (fc->L < 0) { /* u_K' = u_K + g_K . rK; the other side is the boundary value */
      const PetscInt k0 = k;
      rc->idx[k] = fc->K, rc->w[k++] = 1.0;
      if (on) AddGradient(gOff, gIdx, gW, gR, fc->K, fc->rK, 1.0, rc->idx, rc->w, k0, &k);
      rc->off[2 * f + 1] = k;
      rc->idx[k] = g->ncells + f, rc->w[k++] = 1.0;
    } else { /* u_K' - u_L' = u_K - u_L + g_f . (rK - rL), split evenly between the two sides */
      PetscReal dr[3];
      for (int i = 0; i < 3; i++) dr[i] = fc->rK[i] - fc->rL[i];
      for (PetscInt side = 0; side < 2; side++) {
        const PetscReal sgn = side ? -0.25 : 0.25; /* 1/2 of the face gradient (g_K + g_L)/2 */
        const PetscInt  k0  = k;
        rc->idx[k] = side ? fc->L : fc->K, rc->w[k++] = 1.0;
        if (on) AddGradient(gOff, gIdx, gW, gR, fc->K, dr, sgn, rc->idx, rc->w, k0, &k);
        if (on) AddGradient(gOff, gIdx, gW, gR, fc->L, dr, sgn, rc->idx, rc->w, k0, &k);
        if (!side) rc->off[2 * f + 1] = k;
      }
    }
    rc->off[2 * f + 2] = k;
  }
  PetscCall(PetscFree(gOff));
  PetscCall(PetscFree3(gIdx, gW, gR));
  *recon = rc;
  PetscFunctionReturn(0);
}

PetscErrorCode NppFaceReconDestroy(NppFaceRecon *recon)
{
  PetscFunctionBeginUser;
  if (!*recon) PetscFunctionReturn(0);
  PetscCall(PetscFree((*recon)->off));
  PetscCall(PetscFree2((*recon)->idx, (*recon)->w));
  PetscCall(PetscFree(*recon));
  PetscFunctionReturn(0);
}
