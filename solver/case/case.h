/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_CASE_H
#define NPP_CASE_H
#include <petscsys.h>
#include "npp_options.h" /* NppInputError */

/* A case is a directory holding case.yaml (or a path to a .yaml file). Its keys are loaded
   into the PETSc options database, then the command line is inserted again so that any
   key can be overridden there. */
typedef struct {
  char dir[PETSC_MAX_PATH_LEN];  /* case directory ("" when running without a case) */
  char file[PETSC_MAX_PATH_LEN]; /* case file */
  char name[256];                /* basename of the case directory */
} NppCase;

/* Installs the error handler that turns PETSC_ERR_USER_INPUT errors into one clean line; a message
   "-key: ..." (NppInputError) is prefixed with where the key was set (NppOptionSource). */
PetscErrorCode NppErrorHandlerPush(void);
/* The text of the last error reported as one "npp: error:" line (for the summary of a failed run). */
const char *NppErrorMessage(void);
/* Names the result file being written (NULL: none): an error of a library meanwhile is reported as
   a failure to write it, in one line. */
void NppErrorWriting(const char path[]);
/* Refuses a case file whose text PETSc's YAML reader would misread or that reaches outside its
   place: NUL bytes, duplicate keys, includes outside the case directory or in a cycle, options
   naming files for PETSc's viewers, an output_dir outside the case directory (case_text.c). */
PetscErrorCode NppCaseCheckText(MPI_Comm comm, const char file[], const char dir[]);
/* Loads the case named by the first non-option argument, if any. */
PetscErrorCode NppCaseLoad(MPI_Comm comm, int argc, char **argv, NppCase *cs);
/* Where the value of an option comes from: "command line", "case file <path>" or "default". */
const char *NppOptionSource(const char key[]);
/* Resolve a path given in option `key`: relative paths from the case file are relative to the
   case directory, those from the command line to the working directory. */
PetscErrorCode NppCaseResolvePath(const NppCase *cs, const char key[], const char value[], char path[], size_t len);
/* Unknown keys are input errors: at the end of set-up (setUp) all but those PETSc may read only in
   the solve, after the solve the rest. */
PetscErrorCode NppCaseCheckUnused(MPI_Comm comm, PetscBool setUp);
PetscErrorCode NppCaseIgnoreUnlistedRegions(MPI_Comm comm, PetscInt n, char *const regions[]);
PetscErrorCode NppCaseFinalize(void);
/* -help: list every key (each stage reads its keys as in a run, then npp exits before meshing);
   placeholders: without a case, name regions, boundaries and species <r>, <b>, <s>. */
PetscErrorCode NppCaseHelp(const NppCase *cs, PetscBool *help, PetscBool *placeholders);

#endif
