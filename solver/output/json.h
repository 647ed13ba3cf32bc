/* SPDX-License-Identifier: BSD-2-Clause */
#pragma once
#include <petscsys.h>

/* A small streaming JSON writer: rank 0 writes, every rank makes the same calls (collective on
   the communicator, as PetscFOpen/PetscFClose are). Strings and keys are escaped (quotes,
   backslashes, control characters); a real that is not finite is written as null, so the file
   is always JSON. Layout: the members of an NPP_JSON_LINES container go one to a line, indented
   two spaces per level; an NPP_JSON_INLINE container stays on the current line.

     NppJSON j;
     PetscCall(NppJSONOpen(comm, "summary.json", &j));
     PetscCall(NppJSONBeginObject(j, NULL, NPP_JSON_LINES));
     PetscCall(NppJSONReal(j, "current", "%.17g", I));
     PetscCall(NppJSONEndObject(j));
     PetscCall(NppJSONClose(&j));

   A key is given for a member of an object and must be NULL for an element of an array. */

typedef struct _n_NppJSON *NppJSON;

typedef enum {
  NPP_JSON_INLINE,
  NPP_JSON_LINES
} NppJSONLayout;

PetscErrorCode NppJSONOpen(MPI_Comm comm, const char path[], NppJSON *j);
PetscErrorCode NppJSONClose(NppJSON *j);

PetscErrorCode NppJSONBeginObject(NppJSON j, const char key[], NppJSONLayout layout);
PetscErrorCode NppJSONEndObject(NppJSON j);
PetscErrorCode NppJSONBeginArray(NppJSON j, const char key[], NppJSONLayout layout);
PetscErrorCode NppJSONEndArray(NppJSON j);

/* fmt is a printf conversion of one double, e.g. "%.17g" */
PetscErrorCode NppJSONReal(NppJSON j, const char key[], const char fmt[], PetscReal v);
PetscErrorCode NppJSONInt(NppJSON j, const char key[], PetscInt v);
PetscErrorCode NppJSONBool(NppJSON j, const char key[], PetscBool v);
PetscErrorCode NppJSONString(NppJSON j, const char key[], const char v[]);
PetscErrorCode NppJSONNull(NppJSON j, const char key[]);

/* The next member of the current object starts a new line, one column inside the brace of the
   object (for an inline object that begins a line of a LINES container: a long record wrapped). */
PetscErrorCode NppJSONWrap(NppJSON j);
