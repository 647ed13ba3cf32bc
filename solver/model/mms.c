/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"
#include "constants.h"

/* Manufactured solutions: exact fields, their source terms, and Dirichlet data on every
   boundary face; the L2 errors measure the order of the scheme.
   cosine: conduction (electroneutral, one mobile ion): phi = prod cos(pi x_d) + x + y/2 (+ z/3),
           source f = -div(sigma grad phi) = sigma dim pi^2 prod cos.
   npp:    Poisson mode, two species of charge +-1 with phi/VT = g + x/L, c_i = c_bulk (1 + a_i g),
           g = prod cos(pi x_d / L) (L: -mms_length), a = (0.5, -0.4); sources for both
           Nernst-Planck equations and for Poisson. */

static PetscReal CosineExact(PetscInt dim, const PetscReal x[3])
{
  PetscReal p = 1, lin = 0;
  for (PetscInt i = 0; i < dim; i++) p *= PetscCosReal(PETSC_PI * x[i]), lin += x[i] / (i + 1);
  return p + lin;
}

/* g, its gradient and Laplacian */
static PetscReal G(PetscInt dim, PetscReal L, const PetscReal x[3], PetscReal grad[3], PetscReal *lap)
{
  const PetscReal k = PETSC_PI / L;
  PetscReal       p = 1;
  for (PetscInt d = 0; d < dim; d++) p *= PetscCosReal(k * x[d]);
  for (PetscInt d = 0; d < 3; d++) {
    grad[d] = 0;
    if (d >= dim) continue;
    PetscReal q = -k * PetscSinReal(k * x[d]);
    for (PetscInt e = 0; e < dim; e++)
      if (e != d) q *= PetscCosReal(k * x[e]);
    grad[d] = q;
  }
  *lap = -dim * k * k * p;
  return p;
}

static const PetscReal amp[2] = {0.5, -0.4};

/* -mms_solution (none, cosine or npp) and -mms_length; an unknown kind is left in kind for
   NppMMSSetUp to name. */
PetscErrorCode NppMMSOptions(MPI_Comm comm, NppMMS *mms, char kind[], size_t len)
{
  static const char *const Kinds[] = {"none", "cosine", "npp"};
  PetscInt                 k       = 0;
  PetscBool                known;

  PetscFunctionBeginUser;
  mms->length = 1.0;
  PetscOptionsBegin(comm, "mms_", "Manufactured-solution test (-mms_*)", NULL);
  PetscCall(NppOptionsChoice(PetscOptionsObject, "-solution", "cosine (conduction) or npp (two species + Poisson, Poisson model); imposes the exact solution on all boundaries and its sources", "-", Kinds, 3, &k, kind, len, &known, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-length", "period of the npp solution", "m", mms->length, &mms->length, NULL));
  PetscOptionsEnd();
  if (known) PetscCall(PetscStrncpy(kind, Kinds[k], len));
  PetscFunctionReturn(0);
}

PetscErrorCode NppMMSSetUp(MPI_Comm comm, NppModel *model, NppDisc *disc)
{
  NppFVGeom   g  = disc->geom;
  NppPhysics *ph = &model->phys;
  NppFields  *fl = &model->fld;
  PetscInt    ns = ph->nspecies, nf = fl->nf, nfc = g->nfaces, dim = g->dim;
  char        kind[64] = "none";
  PetscBool   none, cosine, coupled;
  PetscReal   L = 1.0;

  PetscFunctionBeginUser;
  PetscCall(NppMMSOptions(comm, &model->mms, kind, sizeof kind));
  L = model->mms.length;
  PetscCall(PetscStrcmp(kind, "none", &none));
  PetscCall(PetscStrcmp(kind, "cosine", &cosine));
  PetscCall(PetscStrcmp(kind, "npp", &coupled));
  if (!none && !cosine && !coupled) NppInputError(comm, "-mms_solution", "unknown manufactured solution '%s' (choose none, cosine or npp)", kind);
  model->mms.on = cosine ? 1 : coupled ? 2 : 0;
  if (!model->mms.on) PetscFunctionReturn(0);
  if (cosine && (!ph->electroneutral || nf != 1)) NppInputError(comm, "-mms_solution", "cosine is the conduction solution: it needs the electroneutral model with one mobile species (%d fields here)", (int)nf);
  if (coupled && (ph->electroneutral || ns != 2 || nf != 3 || ph->sp[0].z != 1 || ph->sp[1].z != -1))
    NppInputError(comm, "-mms_solution", "npp needs the Poisson model (-physics_electroneutral false) with two species of charge +1 and -1 present everywhere");
  for (PetscInt r = 1; r < model->nregions; r++)
    for (PetscInt i = 0; i < ns; i++)
      if (model->mat[r].D[i] != model->mat[0].D[i] || model->mat[r].c[i] != model->mat[0].c[i] || model->mat[r].permittivity != model->mat[0].permittivity) NppInputError(comm, "-mms_solution", "%s needs one material in all regions", kind);
  const NppMaterial *m = &model->mat[0];
  for (PetscInt c = 0; c < g->ncells; c++) {
    const PetscReal *x = &g->centroid[3 * c];
    PetscReal       *s = &disc->cellSource[nf * c];
    if (cosine) {
      PetscReal p = 1;
      for (PetscInt i = 0; i < dim; i++) p *= PetscCosReal(PETSC_PI * x[i]);
      s[fl->phi] = m->conductivity * dim * PETSC_PI * PETSC_PI * p / (NPP_FARADAY * ph->speciesScale);
    } else {
      PetscReal       gr[3], lap, gp[3], q = m->fixed_charge;
      const PetscReal gv = G(dim, L, x, gr, &lap);
      for (int d = 0; d < 3; d++) gp[d] = gr[d] + (d == 0 ? 1.0 / L : 0.0);
      for (PetscInt i = 0; i < 2; i++) {
        const PetscReal z = ph->sp[i].z, c0 = m->c[i], ci = c0 * (1 + amp[i] * gv);
        PetscReal       dot = 0;
        for (int d = 0; d < 3; d++) dot += c0 * amp[i] * gr[d] * gp[d];
        s[fl->field[i]] = -m->D[i] * (c0 * amp[i] * lap + z * dot + z * ci * lap) / ph->speciesScale;
        q += NPP_FARADAY * z * ci;
      }
      s[fl->phi] = (-NPP_EPS0 * m->permittivity * ph->VT * lap - q) / ph->poissonScale;
    }
  }
  for (PetscInt f = 0; f < nfc; f++) {
    const NppFace *fc = &g->faces[f];
    if (fc->L >= 0) continue;
    disc->phiHasValue[f] = PETSC_TRUE;
    if (cosine) disc->phiValue[f] = CosineExact(dim, fc->centroid) / ph->VT;
    else {
      PetscReal       gr[3], lap;
      const PetscReal gv = G(dim, L, fc->centroid, gr, &lap);
      disc->phiValue[f]  = gv + fc->centroid[0] / L;
      for (PetscInt i = 0; i < 2; i++) disc->cValue[i * nfc + f] = 1 + amp[i] * gv;
    }
    for (PetscInt i = 0; i < ns; i++) {
      if (!m->present[i]) continue;
      disc->cHasValue[i * nfc + f] = PETSC_TRUE, disc->cHasFlux[i * nfc + f] = PETSC_FALSE;
      if (cosine) disc->cValue[i * nfc + f] = 1.0;
    }
  }
  PetscFunctionReturn(0);
}

/* L2 errors of the fields (concentrations relative to the bulk value, potential in V). */
PetscErrorCode NppMMSError(MPI_Comm comm, NppModel *model, const NppDisc *disc, Vec X)
{
  NppFVGeom          g  = disc->geom;
  NppFields         *fl = &model->fld;
  PetscInt           nf = fl->nf, dim = g->dim;
  const PetscScalar *x;
  PetscReal          s[NPP_MAX_SPECIES + 2] = {0}, S[NPP_MAX_SPECIES + 2], L = 1.0;

  PetscFunctionBeginUser;
  if (!model->mms.on) PetscFunctionReturn(0);
  L = model->mms.length;
  PetscCall(VecGetArrayRead(X, &x));
  for (PetscInt c = 0; c < g->ncells; c++) {
    if (!g->owned[c]) continue;
    const PetscScalar *u  = &x[nf * disc->ownedPos[c]];
    const PetscReal   *xc = &g->centroid[3 * c];
    PetscReal          e[NPP_MAX_SPECIES + 1];
    if (model->mms.on == 1) e[fl->phi] = u[fl->phi] * model->phys.VT - CosineExact(dim, xc);
    else {
      PetscReal       gr[3], lap;
      const PetscReal gv = G(dim, L, xc, gr, &lap);
      e[fl->phi]         = (u[fl->phi] - gv - xc[0] / L) * model->phys.VT;
      for (PetscInt i = 0; i < 2; i++) e[fl->field[i]] = u[fl->field[i]] * model->phys.cref / model->mat[0].c[i] - (1 + amp[i] * gv);
    }
    for (PetscInt f = 0; f < nf; f++) s[f] += g->volume[c] * e[f] * e[f];
    s[nf] += g->volume[c];
  }
  PetscCall(VecRestoreArrayRead(X, &x));
  PetscCall(MPIU_Allreduce(s, S, nf + 1, MPIU_REAL, MPIU_SUM, comm));
  for (PetscInt f = 0; f < nf; f++) model->mms.l2error[f] = PetscSqrtReal(S[f]);
  model->mms.h = PetscPowReal(S[nf] / disc->globalCells, 1.0 / dim);
  PetscFunctionReturn(0);
}
