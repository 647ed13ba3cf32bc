/* SPDX-License-Identifier: BSD-2-Clause */
#include "case.h"

static PetscOptions yamlOptions    = NULL; /* keys of the case file alone */
static PetscOptions argsOptions    = NULL; /* keys of the command line alone */
static PetscOptions variantOptions = NULL; /* keys of the variant file alone */
static char         caseFile[PETSC_MAX_PATH_LEN + 16], variantFile[PETSC_MAX_PATH_LEN + 80];
static char         sourceBuf[PETSC_MAX_PATH_LEN + 32];

/* Options PETSc reads only at PetscFinalize, or that control PETSc itself. */
static const char *const lateOptions[] = {"options_left", "log_view", "log_view_memory", "log_summary", "memory_view", "malloc_debug", "malloc_dump", "malloc_view", "objects_dump", "on_error_abort", "no_signal_handler", "help", "version", "info", "log_trace", "mpi_linear_solver_server", "check_pointer_intensity", "options_monitor", NULL};
/* Prefixes of the options PETSc may read only when a preconditioner is set up, in the solve:
   the cell and electronic sub-solvers, multigrid levels and blocks, the matrix and PC types'
   own options (the PC's type may be decided at its set-up), and the viewers PETSc reads after a
   solve (-ksp_view, -snes_converged_reason) and the checks it runs (-snes_test_jacobian).
   Every other key is read by the end
   of npp's set-up (the case keys, TS, SNES, KSP), so an unknown one is an error before the solve. */
static const char *const solvePrefixes[] = {"cells_", "electronic_", "mg_", "sub_", "fieldsplit_", "mat_", "pc_", "snes_test_", "snes_compare_", "ksp_compute_", NULL};

static char lastError[2048];             /* the text of the last error reported as one line */
static char writing[PETSC_MAX_PATH_LEN]; /* the result file being written, if any */

void NppErrorWriting(const char path[])
{
  (void)snprintf(writing, sizeof writing, "%s", path ? path : "");
}

const char *NppErrorMessage(void)
{
  return lastError;
}

/* Errors raised on every rank alike (input, non-convergence, a result file that cannot be
   written) are one line on rank 0; anything else gets PETSc's traceback. */
static PetscErrorCode NppErrorHandler(MPI_Comm comm, int line, const char *fun, const char *file, PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  if (writing[0] && n != NPP_ERR_WRITE) {    /* a library failed while writing a result (HDF5 on a full disk): one line, on the rank that saw it */
    static PetscBool reported = PETSC_FALSE; /* the clean-up that follows (closing the file) fails too: said once */
    if (p == PETSC_ERROR_INITIAL && !reported) {
      reported = PETSC_TRUE;
      (void)snprintf(lastError, sizeof lastError, "cannot write %.1024s: %.900s (is the disk full?)", writing, mess ? mess : "");
      (void)fprintf(stderr, "npp: error: %s\n", lastError);
    }
    return n;
  }
  if (n != PETSC_ERR_USER_INPUT && n != PETSC_ERR_NOT_CONVERGED && n != NPP_ERR_WRITE) return PetscTraceBackErrorHandler(comm, line, fun, file, n, p, mess, ctx);
  if (p == PETSC_ERROR_INITIAL) {
    PetscMPIInt rank     = 0;
    char        key[256] = "";
    size_t      k        = 0;
    if (comm != MPI_COMM_NULL) MPI_Comm_rank(comm, &rank);
    /* "-key: message" (NppInputError, common/npp_options.h): say where the key was set */
    while (mess && mess[0] == '-' && k < sizeof key - 1 && mess[k] && mess[k] != ':' && mess[k] != ' ') key[k] = mess[k], k++;
    if (k && mess[k] == ':' && mess[k + 1] == ' ') {
      key[k] = 0;
      (void)snprintf(lastError, sizeof lastError, "%s: %s", NppOptionSource(key), mess);
    } else (void)snprintf(lastError, sizeof lastError, "%s", mess ? mess : "");
    if (!rank) (void)fprintf(stderr, "npp: error: %s\n", lastError);
  }
  return n;
}

PetscErrorCode NppErrorHandlerPush(void)
{
  PetscFunctionBeginUser;
  PetscCall(PetscPushErrorHandler(NppErrorHandler, NULL));
  PetscFunctionReturn(0);
}

const char *NppOptionSource(const char key[])
{
  PetscBool set = PETSC_FALSE;
  if (argsOptions && !PetscOptionsHasName(argsOptions, NULL, key, &set) && set) return "command line";
  if (variantOptions && !PetscOptionsHasName(variantOptions, NULL, key, &set) && set) {
    (void)PetscSNPrintf(sourceBuf, sizeof sourceBuf, "variant file %s", variantFile);
    return sourceBuf;
  }
  if (yamlOptions && !PetscOptionsHasName(yamlOptions, NULL, key, &set) && set) {
    (void)PetscSNPrintf(sourceBuf, sizeof sourceBuf, "case file %s", caseFile);
    return sourceBuf;
  }
  return "default";
}

/* Parses a case (or variant) file on its own first, so that a malformed file gets a clean
   message; then adds its keys to own (the case file's keys) and to the database. */
static PetscErrorCode LoadYAML(MPI_Comm comm, const char file[], PetscOptions own)
{
  PetscErrorCode ierr;
  PetscOptions   alone;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsCreate(&alone));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = PetscOptionsInsertFileYAML(comm, alone, file, PETSC_TRUE);
  PetscCall(PetscPopErrorHandler());
  PetscCall(PetscOptionsDestroy(&alone));
  PetscCheck(!ierr, comm, PETSC_ERR_USER_INPUT, "case file %s: not a valid case file (YAML mapping of keys to values expected; PETSc error code %d)", file, (int)ierr);
  PetscCall(PetscOptionsInsertFileYAML(comm, own, file, PETSC_TRUE));
  PetscCall(PetscOptionsInsertFileYAML(comm, NULL, file, PETSC_TRUE));
  PetscFunctionReturn(0);
}

/* -case_variant <v>: the keys of <case dir>/<v>.yaml replace the case file's (e.g. a finer mesh
   for clusters); the command line still wins. The run is named <case>-<v>. A command-line key
   (a case file cannot name its own variant): read from the command line alone. */
static char      variant[64] = "";
static PetscBool hasVariant  = PETSC_FALSE;

static PetscErrorCode ReadVariant(MPI_Comm comm)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(comm, "case_", "Case (-case_*)", NULL);
  PetscOptionsObject->options = argsOptions;
  PetscCall(PetscOptionsString("-variant", "use <case dir>/<variant>.yaml over case.yaml (the command line still wins); the run is named <case>-<variant>", "-", "", variant, sizeof variant, &hasVariant));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode LoadVariant(MPI_Comm comm, NppCase *cs)
{
  const char *v = variant;
  PetscBool   isfile;

  PetscFunctionBeginUser;
  if (!hasVariant) PetscFunctionReturn(0);
  PetscCall(PetscSNPrintf(variantFile, sizeof variantFile, "%s/%s.yaml", cs->dir, v));
  PetscCall(PetscTestFile(variantFile, 'r', &isfile));
  PetscCheck(isfile, comm, PETSC_ERR_USER_INPUT, "-case_variant %s (command line): no readable variant file %s", v, variantFile);
  PetscCall(PetscOptionsCreate(&variantOptions));
  PetscCall(NppCaseCheckText(comm, variantFile, cs->dir));
  PetscCall(LoadYAML(comm, variantFile, variantOptions));
  PetscCall(PetscOptionsInsertFileYAML(comm, yamlOptions, variantFile, PETSC_TRUE)); /* case keys: paths, region keys */
  PetscCall(PetscStrlcat(cs->name, "-", sizeof cs->name));
  PetscCall(PetscStrlcat(cs->name, v, sizeof cs->name));
  PetscFunctionReturn(0);
}

PetscErrorCode NppCaseLoad(MPI_Comm comm, int argc, char **argv, NppCase *cs)
{
  const char *arg   = NULL;
  PetscBool   isdir = PETSC_FALSE, isfile = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(cs, sizeof *cs));
  PetscCall(PetscOptionsCreate(&argsOptions));
  if (argc > 1) PetscCall(PetscOptionsInsertArgs(argsOptions, argc - 1, argv + 1));
  PetscCall(ReadVariant(comm));
  if (argc > 1 && argv[1][0] != '-') arg = argv[1];
  if (!arg) PetscFunctionReturn(0);

  PetscCall(PetscTestDirectory(arg, 'r', &isdir));
  if (isdir) {
    PetscCall(PetscStrncpy(cs->dir, arg, sizeof cs->dir));
    PetscCall(PetscSNPrintf(cs->file, sizeof cs->file, "%s/case.yaml", arg));
  } else {
    char *slash;
    PetscCall(PetscStrncpy(cs->file, arg, sizeof cs->file));
    PetscCall(PetscStrncpy(cs->dir, arg, sizeof cs->dir));
    PetscCall(PetscStrrchr(cs->dir, '/', &slash));
    if (slash != cs->dir) slash[-1] = 0;
    else PetscCall(PetscStrcpy(cs->dir, "."));
  }
  PetscCall(PetscTestFile(cs->file, 'r', &isfile));
  PetscCheck(isfile, comm, PETSC_ERR_USER_INPUT, "case %s: no readable case file %s", arg, cs->file);
  {
    size_t n;
    char  *base, tmp[PETSC_MAX_PATH_LEN];
    PetscCall(PetscStrncpy(tmp, cs->dir, sizeof tmp));
    PetscCall(PetscStrlen(tmp, &n));
    while (n > 1 && tmp[n - 1] == '/') tmp[--n] = 0;
    PetscCall(PetscStrrchr(tmp, '/', &base));
    PetscCall(PetscStrncpy(cs->name, base, sizeof cs->name));
  }
  PetscCall(PetscStrncpy(caseFile, cs->file, sizeof caseFile));
  PetscCall(PetscOptionsCreate(&yamlOptions));
  PetscCall(NppCaseCheckText(comm, cs->file, cs->dir));
  PetscCall(LoadYAML(comm, cs->file, yamlOptions));
  PetscCall(LoadVariant(comm, cs));
  /* the command line wins over the case file */
  PetscCall(PetscOptionsInsertArgs(NULL, argc - 1, argv + 1));
  {
    PetscBool used; /* read above from the command line alone: mark it used in the database */
    PetscCall(PetscOptionsHasName(NULL, NULL, "-case_variant", &used));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppCaseResolvePath(const NppCase *cs, const char key[], const char value[], char path[], size_t len)
{
  PetscBool fromCase = PETSC_FALSE, cmd = PETSC_FALSE;

  PetscFunctionBeginUser;
  if (yamlOptions) PetscCall(PetscOptionsHasName(yamlOptions, NULL, key, &fromCase));
  if (argsOptions) PetscCall(PetscOptionsHasName(argsOptions, NULL, key, &cmd));
  if (value[0] != '/' && fromCase && !cmd && cs->dir[0]) PetscCall(PetscSNPrintf(path, len, "%s/%s", cs->dir, value));
  else PetscCall(PetscStrncpy(path, value, len));
  PetscFunctionReturn(0);
}

static PetscBool InList(const char name[], const char *const list[], PetscBool prefix)
{
  for (PetscInt i = 0; list[i]; i++) {
    size_t    n = strlen(list[i]);
    PetscBool m = prefix ? (PetscBool)!strncmp(name, list[i], n) : (PetscBool)!strcmp(name, list[i]);
    if (m) return PETSC_TRUE;
  }
  return PETSC_FALSE;
}

PetscErrorCode NppCaseCheckUnused(MPI_Comm comm, PetscBool setUp)
{
  PetscInt N, nbad = 0;
  char   **names, **values, msg[4096] = "";

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsLeftGet(NULL, &N, &names, &values));
  for (PetscInt i = 0; i < N; i++) {
    char      key[512];
    PetscBool inCase = PETSC_FALSE;
    PetscCall(PetscSNPrintf(key, sizeof key, "-%s", names[i]));
    if (yamlOptions) PetscCall(PetscOptionsHasName(yamlOptions, NULL, key, &inCase));
    if (InList(names[i], lateOptions, PETSC_FALSE) || InList(names[i], lateOptions, PETSC_TRUE)) continue;
    if (setUp && !inCase && (InList(names[i], solvePrefixes, PETSC_TRUE) || strstr(names[i], "_view") || strstr(names[i], "converged_reason"))) continue; /* viewers: read after a solve */
    if (nbad++ < 8) {
      size_t n;
      PetscCall(PetscStrlen(msg, &n));
      PetscCall(PetscSNPrintf(msg + n, sizeof msg - n, "%s%s: unknown key %s (value %s)", nbad > 1 ? "; " : "", NppOptionSource(key), key, values[i] ? values[i] : "none"));
    }
  }
  PetscCall(PetscOptionsLeftRestore(NULL, &N, &names, &values));
  PetscCheck(!nbad, comm, PETSC_ERR_USER_INPUT, "%s%s", msg, nbad > 8 ? " (and more)" : "");
  PetscFunctionReturn(0);
}

/* Case-file keys of a region that -region_names does not list (dropped on the command line, as
   when a variant meshes no SEI) are known, not typos: they are marked used and reported in one
   note. Keys of such regions given on the command line stay errors. */
PetscErrorCode NppCaseIgnoreUnlistedRegions(MPI_Comm comm, PetscInt n, char *const regions[])
{
  PetscInt N, nig = 0;
  char   **names, **values, note[1024] = "";

  PetscFunctionBeginUser;
  if (!yamlOptions) PetscFunctionReturn(0);
  PetscCall(PetscOptionsLeftGet(NULL, &N, &names, &values));
  for (PetscInt i = 0; i < N; i++) {
    char      key[512];
    PetscBool inCase = PETSC_FALSE, inArgs = PETSC_FALSE, listed = PETSC_FALSE, set;
    if (strncmp(names[i], "region_", 7) || !strcmp(names[i], "region_names")) continue;
    for (PetscInt r = 0; r < n && !listed; r++) {
      size_t l = strlen(regions[r]);
      listed   = (PetscBool)(!strncmp(names[i] + 7, regions[r], l) && names[i][7 + l] == '_');
    }
    if (listed) continue;
    PetscCall(PetscSNPrintf(key, sizeof key, "-%s", names[i]));
    PetscCall(PetscOptionsHasName(yamlOptions, NULL, key, &inCase));
    if (argsOptions) PetscCall(PetscOptionsHasName(argsOptions, NULL, key, &inArgs));
    if (!inCase || inArgs) continue;
    PetscCall(PetscOptionsHasName(NULL, NULL, key, &set)); /* marks it used */
    if (nig++ < 6) {
      size_t l;
      PetscCall(PetscStrlen(note, &l));
      PetscCall(PetscSNPrintf(note + l, sizeof note - l, "%s%s", nig > 1 ? ", " : "", key));
    }
  }
  PetscCall(PetscOptionsLeftRestore(NULL, &N, &names, &values));
  if (nig) PetscCall(PetscPrintf(comm, "npp: note: %s%s of %s: not in -region_names, ignored\n", note, nig > 6 ? " and more" : "", caseFile));
  PetscFunctionReturn(0);
}

PetscErrorCode NppCaseHelp(const NppCase *cs, PetscBool *help, PetscBool *placeholders)
{
  PetscFunctionBeginUser;
  PetscCall(PetscOptionsHasHelp(NULL, help));
  *placeholders = (PetscBool)(*help && !cs->file[0]);
  PetscFunctionReturn(0);
}

PetscErrorCode NppCaseFinalize(void)
{
  PetscFunctionBeginUser;
  PetscCall(PetscOptionsDestroy(&yamlOptions));
  PetscCall(PetscOptionsDestroy(&variantOptions));
  PetscCall(PetscOptionsDestroy(&argsOptions));
  PetscFunctionReturn(0);
}
