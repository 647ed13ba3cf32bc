/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_TEST_UTIL_H
#define NPP_TEST_UTIL_H
#include <petscsys.h>

/* Checks of the C unit tests: one line per check with the measured value and its bound. */
typedef struct {
  PetscInt passed, failed;
} TestCounter;

/* Passes when value <= bound (a NaN fails); prints one line on rank 0 either way. */
PetscErrorCode TestCheck(MPI_Comm comm, TestCounter *t, const char *what, PetscReal value, PetscReal bound);
/* Passes when value >= bound (a NaN fails). */
PetscErrorCode TestCheckAtLeast(MPI_Comm comm, TestCounter *t, const char *what, PetscReal value, PetscReal bound);
/* Prints the totals; the caller returns non-zero from main when t->failed. */
PetscErrorCode TestFinish(MPI_Comm comm, const TestCounter *t);

static inline PetscReal Dot3(const PetscReal a[3], const PetscReal b[3])
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
static inline PetscReal Norm3(const PetscReal a[3])
{
  return PetscSqrtReal(Dot3(a, a));
}
static inline void Sub3(const PetscReal a[3], const PetscReal b[3], PetscReal c[3])
{
  for (int i = 0; i < 3; i++) c[i] = a[i] - b[i];
}
static inline void Cross3(const PetscReal a[3], const PetscReal b[3], PetscReal c[3])
{
  c[0] = a[1] * b[2] - a[2] * b[1], c[1] = a[2] * b[0] - a[0] * b[2], c[2] = a[0] * b[1] - a[1] * b[0];
}

#endif
