#include "npp.h"

/* Named boundaries carry a fixed potential; every other boundary face is insulating. */
PetscErrorCode NppBoundariesSetUp(Npp npp)
{
  NppFVGeom g = npp->geom;
  char     *names[64];
  PetscInt  n = 64;
  PetscBool set;

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc3(g->nfaces, &npp->faceBC, g->nfaces, &npp->faceHasValue, g->nfaces, &npp->faceValue));
  for (PetscInt f = 0; f < g->nfaces; f++) npp->faceBC[f] = -1;
  PetscCall(PetscOptionsGetStringArray(NULL, NULL, "-bc_names", names, &n, &set));
  if (!set) n = 0;
  npp->nbc = n;
  PetscCall(PetscCalloc1(n ? n : 1, &npp->bc));
  for (PetscInt b = 0; b < n; b++) {
    NppBoundary *bc = &npp->bc[b];
    DMLabel      label;
    char         key[256];
    PetscReal    a[4] = {0, 0, 0, 0}, A[4];
    PetscInt     count = 0, total;

    PetscCall(PetscStrncpy(bc->name, names[b], sizeof bc->name));
    PetscCall(PetscSNPrintf(key, sizeof key, "-bc_%s_potential", names[b]));
    PetscCall(PetscOptionsGetReal(NULL, NULL, key, &bc->potential, &set));
    if (!set) NppInputError(npp->comm, key, "missing: give the potential of boundary '%s' in V", names[b]);
    if (PetscIsInfOrNanReal(bc->potential)) NppInputError(npp->comm, key, "%g is not a finite potential", (double)bc->potential);
    PetscCall(DMGetLabel(npp->dm, names[b], &label));
    for (PetscInt f = 0; f < g->nfaces && label; f++) {
      const NppFace *fc = &g->faces[f];
      PetscInt       v;
      if (fc->L >= 0) continue;
      PetscCall(DMLabelGetValue(label, g->fStart + f, &v));
      if (v == -1) continue;
      npp->faceBC[f]       = b;
      npp->faceHasValue[f] = PETSC_TRUE;
      npp->faceValue[f]    = bc->potential;
      if (!g->owned[fc->K]) continue;
      count++;
      a[0] += fc->area;
      for (int i = 0; i < 3; i++) a[1 + i] += fc->area * fc->centroid[i];
    }
    PetscCall(MPIU_Allreduce(&count, &total, 1, MPIU_INT, MPI_SUM, npp->comm));
    if (!total) {
      char have[1024];
      PetscCall(NppLabelNames(npp->dm, 1, have, sizeof have));
      NppInputError(npp->comm, "-bc_names", "boundary '%s' is not a boundary of the mesh %s (its face groups: %s)", names[b], npp->meshInfo.file, have);
    }
    PetscCall(MPIU_Allreduce(a, A, 4, MPIU_REAL, MPIU_SUM, npp->comm));
    bc->area = A[0];
    for (int i = 0; i < 3; i++) bc->centroid[i] = A[1 + i] / A[0];
    PetscCall(PetscFree(names[b]));
  }
  PetscFunctionReturn(0);
}
