#include "fvgeom.h"

/* smallest det(M)/(tr(M)/dim)^dim of a usable least-squares matrix */
#define NPP_LSQ_MIN_COND 1e-3

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

/* Least-squares gradient weights of cell c: g_c = sum_j G_j (u_j - u_c), G_j a 3-vector.
   The points are the centroids of the face neighbours in the same group, the boundary faces
   with a value, and the centroid x_f of each face shared with another group, with the value
   flux continuity gives there, w_K u_K + w_L u_L (w = a/(a_K + a_L), a = coef/d): its entry is
   the neighbour o with the factor w_o. These interface points make the stencil of a cell next
   to an interface two-sided; without them its weights are one-sided and large, and the
   corrected operator defeats algebraic multigrid. The value is exact at x_f when the
   tangential gradient vanishes there; otherwise it is exact at x_f - w_K r_K - w_L r_L, but
   using that point brings the one-sided weights back (measured: GAMG stalls), so x_f it is.
   With a scale s (a field discontinuous at interfaces at equilibrium, like a concentration
   across a mu0 jump: u s is continuous there) the interface value seen from c is
   (w_c u_c s_c + w_o u_o s_o)/s_c: ratio[n] = s_o/s_c multiplies the neighbour's entry. */
static PetscInt CellGradient(NppFVGeom g, PetscInt c, const PetscInt group[], const PetscReal coef[], const PetscReal scale[], const PetscBool hasValue[], PetscInt idx[], PetscReal G[], PetscReal ratio[])
{
  const PetscReal *xc = &g->centroid[3 * c];
  PetscReal        M[9] = {0}, Mi[9] = {0}, d[64][3], wt[64], sc[64];
  PetscInt         n    = 0;

  for (PetscInt k = g->cellFaceOff[c]; k < g->cellFaceOff[c + 1] && n < 64; k++) {
    const PetscInt   f  = g->cellFaces[k];
    const NppFace   *fc = &g->faces[f];
    const PetscReal *xj;
    sc[n] = 1.0, ratio[n] = 1.0;
    if (fc->L >= 0) {
      const PetscInt o = fc->K == c ? fc->L : fc->K;
      xj     = &g->centroid[3 * o];
      idx[n] = o;
      if (group[o] != group[c]) {
        const PetscReal aK = coef[fc->K] / fc->dK, aL = coef[fc->L] / fc->dL;
        xj       = fc->centroid;
        sc[n]    = aK + aL > 0 ? (fc->K == c ? aL : aK) / (aK + aL) : 0.0;
        ratio[n] = scale ? scale[o] / scale[c] : 1.0;
      }
    } else {
      if (!hasValue[f]) continue;
      xj     = fc->centroid;
      idx[n] = g->ncells + f;
    }
    for (int i = 0; i < 3; i++) d[n][i] = xj[i] - xc[i];
    wt[n] = 1.0 / (d[n][0] * d[n][0] + d[n][1] * d[n][1] + d[n][2] * d[n][2]);
    for (PetscInt a = 0; a < g->dim; a++)
      for (PetscInt b = 0; b < g->dim; b++) M[3 * a + b] += wt[n] * d[n][a] * d[n][b];
    n++;
  }
  if (!InvertSym(g->dim, M, Mi)) return -1;
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

PetscErrorCode NppFaceReconCreate(NppFVGeom g, const PetscInt group[], const PetscReal coef[], const PetscReal scale[], const PetscBool hasValue[], PetscBool correct, PetscReal minOrtho, NppFaceRecon *recon)
{
  NppFaceRecon rc;
  PetscInt    *gOff, *gIdx, cap;
  PetscReal   *gW, *gR;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&rc));
  /* gradient weights of every local cell */
  PetscCall(PetscMalloc1(g->ncells + 1, &gOff));
  PetscCall(PetscMalloc3(g->cellFaceOff[g->ncells], &gIdx, 3 * g->cellFaceOff[g->ncells], &gW, g->cellFaceOff[g->ncells], &gR));
  gOff[0] = 0;
  for (PetscInt c = 0; c < g->ncells; c++) {
    PetscInt n = correct ? CellGradient(g, c, group, coef, scale, hasValue, &gIdx[gOff[c]], &gW[3 * gOff[c]], &gR[gOff[c]]) : 0;
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
