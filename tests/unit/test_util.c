/* SPDX-License-Identifier: BSD-2-Clause */
#include "test_util.h"

PetscErrorCode TestCheck(MPI_Comm comm, TestCounter *t, const char *what, PetscReal value, PetscReal bound)
{
  const PetscBool ok = (PetscBool)(value <= bound);

  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(comm, "  %-72s %10.3e <= %9.3e  %s\n", what, (double)value, (double)bound, ok ? "ok" : "FAILED"));
  if (ok) t->passed++;
  else t->failed++;
  PetscFunctionReturn(0);
}

PetscErrorCode TestCheckAtLeast(MPI_Comm comm, TestCounter *t, const char *what, PetscReal value, PetscReal bound)
{
  const PetscBool ok = (PetscBool)(value >= bound);

  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(comm, "  %-72s %10.3e >= %9.3e  %s\n", what, (double)value, (double)bound, ok ? "ok" : "FAILED"));
  if (ok) t->passed++;
  else t->failed++;
  PetscFunctionReturn(0);
}

PetscErrorCode TestFinish(MPI_Comm comm, const TestCounter *t)
{
  PetscFunctionBeginUser;
  PetscCall(PetscPrintf(comm, "%d checks passed, %d failed\n", (int)t->passed, (int)t->failed));
  PetscFunctionReturn(0);
}
