#include "npp.h"

/* Manufactured solution phi = cos(pi x) cos(pi y) cos(pi z) + x + y/2 (only the coordinates
   of the mesh dimension), with the source f = -div(sigma grad phi) = sigma dim pi^2 prod cos,
   and phi imposed on every boundary face. Its L2 error measures the order of the scheme. */
static PetscReal Exact(PetscInt dim, const PetscReal x[3])
{
  PetscReal p = 1, lin = 0;
  for (PetscInt i = 0; i < dim; i++) p *= PetscCosReal(PETSC_PI * x[i]), lin += x[i] / (i + 1);
  return p + lin;
}

static PetscReal Source(PetscInt dim, PetscReal sigma, const PetscReal x[3])
{
  PetscReal p = 1;
  for (PetscInt i = 0; i < dim; i++) p *= PetscCosReal(PETSC_PI * x[i]);
  return sigma * dim * PETSC_PI * PETSC_PI * p;
}

PetscErrorCode NppMMSSetUp(Npp npp)
{
  NppFVGeom g = npp->geom;
  char      kind[64] = "none";
  PetscBool none;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mms_solution", kind, sizeof kind, NULL));
  PetscCall(PetscStrcmp(kind, "none", &none));
  PetscCall(PetscStrcmp(kind, "cosine", &npp->mms.on));
  if (!none && !npp->mms.on) NppInputError(npp->comm, "-mms_solution", "unknown manufactured solution '%s' (choose none or cosine)", kind);
  if (!npp->mms.on) PetscFunctionReturn(0);
  for (PetscInt r = 1; r < npp->nregions; r++)
    if (npp->mat[r].conductivity != npp->mat[0].conductivity) NppInputError(npp->comm, "-mms_solution", "cosine needs one conductivity in all regions");
  for (PetscInt c = 0; c < g->ncells; c++) npp->cellSource[c] = Source(g->dim, npp->mat[npp->cellRegion[c]].conductivity, &g->centroid[3 * c]);
  for (PetscInt f = 0; f < g->nfaces; f++) {
    if (g->faces[f].L >= 0) continue;
    npp->faceHasValue[f] = PETSC_TRUE;
    npp->faceValue[f]    = Exact(g->dim, g->faces[f].centroid);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppMMSError(Npp npp)
{
  NppFVGeom          g = npp->geom;
  const PetscScalar *x;
  PetscReal          s[2] = {0, 0}, S[2];

  PetscFunctionBeginUser;
  if (!npp->mms.on) PetscFunctionReturn(0);
  PetscCall(VecGetArrayRead(npp->X, &x));
  for (PetscInt c = 0; c < g->ncells; c++) {
    if (!g->owned[c]) continue;
    const PetscReal e = x[npp->ownedPos[c]] - Exact(g->dim, &g->centroid[3 * c]);
    s[0] += g->volume[c] * e * e;
    s[1] += g->volume[c];
  }
  PetscCall(VecRestoreArrayRead(npp->X, &x));
  PetscCall(MPIU_Allreduce(s, S, 2, MPIU_REAL, MPIU_SUM, npp->comm));
  npp->mms.l2error = PetscSqrtReal(S[0]);
  npp->mms.h       = PetscPowReal(S[1] / npp->globalCells, 1.0 / g->dim);
  PetscFunctionReturn(0);
}
