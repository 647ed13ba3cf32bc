/* SPDX-License-Identifier: BSD-2-Clause */
#include "npp_log.h"

PetscClassId  NPP_CLASSID;
PetscLogEvent NPP_Mesh, NPP_FVGeom, NPP_SetUp, NPP_Residual, NPP_Jacobian, NPP_Electronic, NPP_Output, NPP_Summary;

PetscErrorCode NppLogEventsRegister(void)
{
  static PetscBool registered = PETSC_FALSE;

  PetscFunctionBeginUser;
  if (registered) PetscFunctionReturn(0);
  registered = PETSC_TRUE;
  PetscCall(PetscClassIdRegister("npp", &NPP_CLASSID));
  PetscCall(PetscLogEventRegister("NppMesh", NPP_CLASSID, &NPP_Mesh));
  PetscCall(PetscLogEventRegister("NppFVGeom", NPP_CLASSID, &NPP_FVGeom));
  PetscCall(PetscLogEventRegister("NppSetUp", NPP_CLASSID, &NPP_SetUp));
  PetscCall(PetscLogEventRegister("NppResidual", NPP_CLASSID, &NPP_Residual));
  PetscCall(PetscLogEventRegister("NppJacobian", NPP_CLASSID, &NPP_Jacobian));
  PetscCall(PetscLogEventRegister("NppElectronic", NPP_CLASSID, &NPP_Electronic));
  PetscCall(PetscLogEventRegister("NppOutputWrite", NPP_CLASSID, &NPP_Output));
  PetscCall(PetscLogEventRegister("NppSummary", NPP_CLASSID, &NPP_Summary));
  PetscFunctionReturn(0);
}
