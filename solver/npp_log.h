/* SPDX-License-Identifier: BSD-2-Clause */
#pragma once
#include <petsclog.h>

/* PETSc log events of npp's stages, so that -log_view shows npp's own time next to PETSc's
   (class "npp"). NppLogEventsRegister() registers them once; NppCreate calls it. */
extern PetscClassId  NPP_CLASSID;
extern PetscLogEvent NPP_Mesh;       /* generate or read the mesh, and distribute it */
extern PetscLogEvent NPP_FVGeom;     /* finite-volume geometry and mesh quality */
extern PetscLogEvent NPP_SetUp;      /* regions, fields, boundaries, operator, solvers */
extern PetscLogEvent NPP_Residual;   /* residual evaluation (SNES function, TS IFunction) */
extern PetscLogEvent NPP_Jacobian;   /* Jacobian evaluation (SNES Jacobian, TS IJacobian) */
extern PetscLogEvent NPP_Electronic; /* the electronic leakage solve */
extern PetscLogEvent NPP_Output;     /* writing one output state */
extern PetscLogEvent NPP_Summary;    /* writing summary.json */

PetscErrorCode NppLogEventsRegister(void);
