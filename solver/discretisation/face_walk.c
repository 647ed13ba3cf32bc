/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp.h"

/* The one loop over the faces of the local mesh: every walk over faces (the operator, the
   electronic leakage, the balances, the cell current density) goes through here, so that which
   faces a rank treats is decided in one place. */
PetscErrorCode NppFaceWalk(Npp npp, NppFaceSet set, NppFaceVisitor visit, void *ctx)
{
  NppFVGeom g = npp->disc.geom;

  PetscFunctionBeginUser;
  for (PetscInt f = 0; f < g->nfaces; f++) {
    const NppFace *fc = &g->faces[f];
    switch (set) {
    case NPP_FACES_ACTIVE:
      if (!fc->active) continue;
      break;
    case NPP_FACES_OWNED_BOUNDARY:
      if (fc->L >= 0 || !g->owned[fc->K]) continue;
      break;
    }
    PetscCall(visit(npp, f, ctx));
  }
  PetscFunctionReturn(0);
}
