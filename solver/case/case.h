#ifndef NPP_CASE_H
#define NPP_CASE_H
#include <petscsys.h>

/* A case is a directory holding case.yaml (or a path to a .yaml file). Its keys are loaded
   into the PETSc options database, then the command line is inserted again so that any
   key can be overridden there. */
typedef struct {
  char dir[PETSC_MAX_PATH_LEN];  /* case directory ("" when running without a case) */
  char file[PETSC_MAX_PATH_LEN]; /* case file */
  char name[256];                /* basename of the case directory */
} NppCase;

/* Installs the error handler that turns PETSC_ERR_USER_INPUT errors into one clean line. */
PetscErrorCode NppErrorHandlerPush(void);
/* Loads the case named by the first non-option argument, if any. */
PetscErrorCode NppCaseLoad(MPI_Comm comm, int argc, char **argv, NppCase *cs);
/* Where the value of an option comes from: "command line", "case file <path>" or "default". */
const char    *NppOptionSource(const char key[]);
/* Resolve a path given in option `key`: relative paths from the case file are relative to the
   case directory, those from the command line to the working directory. */
PetscErrorCode NppCaseResolvePath(const NppCase *cs, const char key[], const char value[], char path[], size_t len);
/* Errors naming every option that was set but never read. With ours_only, only the case file
   keys and options under this program's prefixes are checked (PETSc reads some of its own
   options only during or after a solve). */
PetscErrorCode NppCaseCheckUnused(MPI_Comm comm, PetscBool ours_only);
PetscErrorCode NppCaseIgnoreUnlistedRegions(MPI_Comm comm, PetscInt n, char *const regions[]);
PetscErrorCode NppCaseFinalize(void);

/* Raise a user-input error naming the option, its value and where it was set. */
#define NppInputError(comm, key, ...) \
  do { \
    char npp_msg_[1024]; \
    PetscCall(PetscSNPrintf(npp_msg_, sizeof npp_msg_, __VA_ARGS__)); \
    SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s: %s: %s", NppOptionSource(key), key, npp_msg_); \
  } while (0)

#endif
