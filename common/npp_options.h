/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_OPTIONS_H
#define NPP_OPTIONS_H
/* What every stage that reads options shares: the input-error convention and a few option
   readers that PETSc's PetscOptionsBegin/End blocks lack. Header-only, so that mesh/ and solver/
   share it without depending on one another. */
#include <petscsys.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Raise a user-input error naming the option: the message is "key: message" with code
   PETSC_ERR_USER_INPUT; the program's error handler (solver/case/case.c) adds where the key was
   set (command line, case file or default), which only the case knows. */
#define NppInputError(comm, key, ...) \
  do { \
    char npp_msg_[1024]; \
    PetscCall(PetscSNPrintf(npp_msg_, sizeof npp_msg_, __VA_ARGS__)); \
    SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s: %s", key, npp_msg_); \
  } while (0)

/* What a value must be. PETSc's own parsers stop with a traceback on a value that is not a number
   ("1e-2x", "1.5" for an integer), let an integer wrap modulo 2^32 and accept inf: npp checks the
   text first and reports one input error naming the key. */
typedef enum {
  NPP_VALUE_REAL,
  NPP_VALUE_INT,
  NPP_VALUE_BOOL
} NppValueKind;

/* Is s (one value, surrounding blanks allowed) a finite real, an integer in PetscInt's range, a
   logical value? why says what is wrong. */
static inline PetscBool NppValueValid(const char *s, NppValueKind kind, const char **why)
{
  char *end;
  while (*s == ' ' || *s == '\t') s++;
  *why = kind == NPP_VALUE_REAL ? "is not a number" : kind == NPP_VALUE_INT ? "is not an integer" : "is not a logical value (true or false)";
  if (kind == NPP_VALUE_BOOL) {
    const char *ok[] = {"", "1", "0", "true", "false", "yes", "no", "on", "off"};
    char        t[8];
    size_t      n = 0;
    for (; s[n] && s[n] != ' ' && n < sizeof t - 1; n++) t[n] = (char)((s[n] >= 'A' && s[n] <= 'Z') ? s[n] - 'A' + 'a' : s[n]);
    t[n] = 0;
    for (const char *r = s + n; *r; r++)
      if (*r != ' ' && *r != '\t') return PETSC_FALSE;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
      if (!strcmp(t, ok[i])) return PETSC_TRUE;
    return PETSC_FALSE;
  }
  if (!*s) return PETSC_TRUE; /* no value: PETSc's rules (a key given without a value) */
  errno = 0;
  if (kind == NPP_VALUE_REAL) {
    const double v = strtod(s, &end);
    if (end == s) return PETSC_FALSE;
    for (; *end; end++)
      if (*end != ' ' && *end != '\t') return PETSC_FALSE;
    if (errno == ERANGE && v != 0.0) return *why = "is out of the range of a double", PETSC_FALSE;
    if (!isfinite(v)) return *why = "is not a finite number", PETSC_FALSE;
    return PETSC_TRUE;
  } else {
    const long long v = strtoll(s, &end, 10);
    if (end == s) return PETSC_FALSE;
    for (; *end; end++)
      if (*end != ' ' && *end != '\t') return PETSC_FALSE;
    if (errno == ERANGE || v > PETSC_MAX_INT || v < PETSC_MIN_INT) return *why = "is out of the integer range", PETSC_FALSE;
    return PETSC_TRUE;
  }
}

/* Checks the text given for option opt (prefix may be NULL), if any; list: comma-separated values. */
static inline PetscErrorCode NppOptionsCheckValue(MPI_Comm comm, PetscOptions options, const char prefix[], const char opt[], NppValueKind kind, PetscBool list)
{
  char        value[4096], key[256];
  const char *why;
  PetscBool   has;

  PetscFunctionBegin;
  value[0] = 0;
  PetscCall(PetscOptionsGetString(options, prefix, opt, value, sizeof value, &has));
  if (!has) PetscFunctionReturn(0);
  PetscCall(PetscSNPrintf(key, sizeof key, "-%s%s", prefix ? prefix : "", opt + 1));
  for (char *tok = value, *next; tok; tok = next) {
    next = list ? strchr(tok, ',') : NULL;
    if (next) *next++ = 0;
    if (!NppValueValid(tok, kind, &why)) NppInputError(comm, key, "'%s' %s", tok, why);
  }
  PetscFunctionReturn(0);
}

/* PETSc's real, integer and logical options, with the value checked first. */
static inline PetscErrorCode NppOptionsReal(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], PetscReal current, PetscReal *value, PetscBool *set)
{
  PetscFunctionBegin;
  PetscCall(NppOptionsCheckValue(PetscOptionsObject->comm, PetscOptionsObject->options, PetscOptionsObject->prefix, opt, NPP_VALUE_REAL, PETSC_FALSE));
  PetscCall(PetscOptionsReal(opt, text, unit, current, value, set));
  PetscFunctionReturn(0);
}

static inline PetscErrorCode NppOptionsInt(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], PetscInt current, PetscInt *value, PetscBool *set)
{
  PetscFunctionBegin;
  PetscCall(NppOptionsCheckValue(PetscOptionsObject->comm, PetscOptionsObject->options, PetscOptionsObject->prefix, opt, NPP_VALUE_INT, PETSC_FALSE));
  PetscCall(PetscOptionsInt(opt, text, unit, current, value, set));
  PetscFunctionReturn(0);
}

static inline PetscErrorCode NppOptionsBool(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], PetscBool current, PetscBool *value, PetscBool *set)
{
  PetscFunctionBegin;
  PetscCall(NppOptionsCheckValue(PetscOptionsObject->comm, PetscOptionsObject->options, PetscOptionsObject->prefix, opt, NPP_VALUE_BOOL, PETSC_FALSE));
  PetscCall(PetscOptionsBool(opt, text, unit, current, value, set));
  PetscFunctionReturn(0);
}

/* A result file could not be written (disk full, no permission): raised on every rank alike, like
   an input error, and reported as one line. */
#define NPP_ERR_WRITE 1001

/* The help line of an option, as PETSc prints its own (value: "<given : default>" or "<default>"),
   when -help is given (once per block). */
static inline PetscErrorCode NppOptionsHelpLine(PetscOptionItems *PetscOptionsObject, const char opt[], const char value[], const char text[], const char unit[])
{
  PetscFunctionBegin;
  if (PetscOptionsObject->printhelp && PetscOptionsObject->count == 1 && !PetscOptionsObject->alreadyprinted)
    PetscCall((*PetscHelpPrintf)(PetscOptionsObject->comm, "  -%s%s <%s>: %s (%s)\n", PetscOptionsObject->prefix ? PetscOptionsObject->prefix : "", opt + 1, value, text, unit));
  PetscFunctionReturn(0);
}

/* An enumerated option through PetscOptionsEList (help line with the choices, value as an index
   into list). An unknown value is not PETSc's error but the caller's: *known is false, *value is
   unchanged and the key counts as read, so that the caller can name the choices in its words (or
   ignore the key of a stage not in use). */
static inline PetscErrorCode NppOptionsChoice(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], const char *const list[], PetscInt n, PetscInt *value, char given[], size_t len, PetscBool *known, PetscBool *set)
{
  PetscBool has;
  PetscInt  v;

  PetscFunctionBegin;
  *known = PETSC_TRUE;
  PetscCall(PetscStrncpy(given, list[*value], len));
  PetscCall(PetscOptionsGetString(PetscOptionsObject->options, PetscOptionsObject->prefix, opt, given, len, &has));
  if (has) PetscCall(PetscEListFind(n, list, given, &v, known));
  if (*known) PetscCall(PetscOptionsEList(opt, text, unit, list, n, list[*value], value, set));
  else if (set) *set = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/* The text of a list of n reals (r) or integers (iv) as -help shows it: "a,b,c". */
static inline PetscErrorCode NppOptionsListText(char text[], size_t len, PetscInt n, const PetscReal r[], const PetscInt iv[])
{
  PetscFunctionBegin;
  text[0] = 0;
  for (PetscInt i = 0; i < n; i++) {
    size_t l;
    PetscCall(PetscStrlen(text, &l));
    if (r) PetscCall(PetscSNPrintf(text + l, len - l, "%s%g", i ? "," : "", (double)r[i]));
    else PetscCall(PetscSNPrintf(text + l, len - l, "%s%d", i ? "," : "", (int)iv[i]));
  }
  PetscFunctionReturn(0);
}

/* def becomes "<given> : <def>", as PETSc shows a value that was set. */
static inline PetscErrorCode NppOptionsGivenText(char def[], size_t len, PetscInt n, const PetscReal r[], const PetscInt iv[])
{
  char given[512];

  PetscFunctionBegin;
  PetscCall(NppOptionsListText(given, sizeof given, n, r, iv));
  PetscCall(PetscStrlcat(given, " : ", sizeof given));
  PetscCall(PetscStrlcat(given, def, sizeof given));
  PetscCall(PetscStrncpy(def, given, len));
  PetscFunctionReturn(0);
}

/* An array option with its whole default in the help line (PETSc's shows one entry). On entry *n
   is the room in v (read at most that many; the caller checks *n against its limit with room for
   one more, as PETSc truncates silently) and ndef the entries of the default; on return *n is the
   number given (0 if none) and v holds them, the defaults staying where nothing was given. */
static inline PetscErrorCode NppOptionsRealArray(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], PetscReal v[], PetscInt ndef, PetscInt *n, PetscBool *set)
{
  char      def[512] = "";
  PetscBool has;

  PetscFunctionBegin;
  PetscCall(NppOptionsCheckValue(PetscOptionsObject->comm, PetscOptionsObject->options, PetscOptionsObject->prefix, opt, NPP_VALUE_REAL, PETSC_TRUE));
  PetscCall(NppOptionsListText(def, sizeof def, ndef, v, NULL));
  if (!ndef) PetscCall(PetscStrcpy(def, "none"));
  PetscCall(PetscOptionsGetRealArray(PetscOptionsObject->options, PetscOptionsObject->prefix, opt, v, n, &has));
  if (has) PetscCall(NppOptionsGivenText(def, sizeof def, *n, v, NULL));
  PetscCall(NppOptionsHelpLine(PetscOptionsObject, opt, def, text, unit));
  if (set) *set = has;
  PetscFunctionReturn(0);
}

static inline PetscErrorCode NppOptionsIntArray(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], PetscInt v[], PetscInt ndef, PetscInt *n, PetscBool *set)
{
  char      def[512] = "";
  PetscBool has;

  PetscFunctionBegin;
  PetscCall(NppOptionsCheckValue(PetscOptionsObject->comm, PetscOptionsObject->options, PetscOptionsObject->prefix, opt, NPP_VALUE_INT, PETSC_TRUE));
  PetscCall(NppOptionsListText(def, sizeof def, ndef, NULL, v));
  PetscCall(PetscOptionsGetIntArray(PetscOptionsObject->options, PetscOptionsObject->prefix, opt, v, n, &has));
  if (has) PetscCall(NppOptionsGivenText(def, sizeof def, *n, NULL, v));
  PetscCall(NppOptionsHelpLine(PetscOptionsObject, opt, def, text, unit));
  if (set) *set = has;
  PetscFunctionReturn(0);
}

/* A real option without a default (unset: the stage derives the value or requires it); *value
   is changed only when the key is given. */
static inline PetscErrorCode NppOptionsRealOptional(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], PetscReal *value, PetscBool *set)
{
  char      shown[64] = "none";
  PetscReal v;
  PetscBool has;

  PetscFunctionBegin;
  PetscCall(NppOptionsCheckValue(PetscOptionsObject->comm, PetscOptionsObject->options, PetscOptionsObject->prefix, opt, NPP_VALUE_REAL, PETSC_FALSE));
  PetscCall(PetscOptionsGetReal(PetscOptionsObject->options, PetscOptionsObject->prefix, opt, &v, &has));
  if (has) PetscCall(PetscSNPrintf(shown, sizeof shown, "%g : none", (double)v)); /* as PETSc: <given : default> */
  PetscCall(NppOptionsHelpLine(PetscOptionsObject, opt, shown, text, unit));
  if (has) *value = v;
  if (set) *set = has;
  PetscFunctionReturn(0);
}

/* A list of names; def is the default shown ("none" if there is none). */
static inline PetscErrorCode NppOptionsStringArray(PetscOptionItems *PetscOptionsObject, const char opt[], const char text[], const char unit[], const char def[], char *v[], PetscInt *n, PetscBool *set)
{
  char      shown[1024];
  PetscBool has;

  PetscFunctionBegin;
  shown[0] = 0;
  PetscCall(PetscOptionsGetStringArray(PetscOptionsObject->options, PetscOptionsObject->prefix, opt, v, n, &has));
  for (PetscInt i = 0; has && i < *n; i++) { /* as PETSc: <given : default> */
    PetscCall(PetscStrlcat(shown, v[i], sizeof shown));
    PetscCall(PetscStrlcat(shown, i + 1 < *n ? "," : " : ", sizeof shown));
  }
  PetscCall(PetscStrlcat(shown, def, sizeof shown));
  PetscCall(NppOptionsHelpLine(PetscOptionsObject, opt, shown, text, unit));
  if (set) *set = has;
  PetscFunctionReturn(0);
}

#endif
