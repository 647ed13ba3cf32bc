/* SPDX-License-Identifier: BSD-2-Clause */
#pragma once
#include <petscsys.h>
#include <stdio.h>

/* Result files (run_dir.c): written under a temporary name, then flushed, synced and checked,
   then renamed into place. Collective; rank 0 holds the file; a failure is NPP_ERR_WRITE on every
   rank. */
PetscErrorCode NppFileClose(MPI_Comm comm, FILE *fp, const char path[]);
PetscErrorCode NppFileCommit(MPI_Comm comm, const char dir[], const char from[], const char to[]);

/* Whether name is a file npp writes into a run's directory (run_dir.c). */
PetscBool NppRunDirIsResult(const char name[]);
