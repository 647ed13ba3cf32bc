/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_OPTIONS_H
#define NPP_OPTIONS_H
/* What every stage that reads options shares: the input-error convention and a few option
   readers that PETSc's PetscOptionsBegin/End blocks lack. Header-only, so that mesh/ and solver/
   share it without depending on one another. */
#include <petscsys.h>

/* Raise a user-input error naming the option: the message is "key: message" with code
   PETSC_ERR_USER_INPUT; the program's error handler (solver/case/case.c) adds where the key was
   set (command line, case file or default), which only the case knows. */
#define NppInputError(comm, key, ...) \
  do { \
    char npp_msg_[1024]; \
    PetscCall(PetscSNPrintf(npp_msg_, sizeof npp_msg_, __VA_ARGS__)); \
    SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s: %s", key, npp_msg_); \
  } while (0)

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
