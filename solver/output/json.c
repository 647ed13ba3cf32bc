/* SPDX-License-Identifier: BSD-2-Clause */
#include "json.h"
#include "files.h"
#include <stdio.h>

/* Containers nest at most this deep (the run summary uses five levels). */
#define NPP_JSON_MAX_DEPTH 16

typedef struct {
  char          close; /* '}' for an object, ']' for an array */
  NppJSONLayout layout;
  PetscInt      count; /* members written so far */
} Level;

struct _n_NppJSON {
  MPI_Comm    comm;
  PetscMPIInt rank;
  FILE       *fp; /* rank 0 only (PetscFOpen) */
  char        path[PETSC_MAX_PATH_LEN];
  PetscInt    depth;
  Level       level[NPP_JSON_MAX_DEPTH];
  PetscBool   started, wrap;
};

/* Text goes to the file with plain stdio on rank 0: PetscFPrintf would run it through PETSc's
   format conversion, which rewrites some character sequences of the text itself. A failed write
   shows in ferror() and is reported by NppJSONClose on every rank. */
static void Put(NppJSON j, const char s[])
{
  if (!j->rank) fputs(s, j->fp);
}

static void Indent(NppJSON j, PetscInt n)
{
  if (!j->rank)
    for (PetscInt i = 0; i < n; i++) fputc(' ', j->fp);
}

/* A JSON string: quotes and backslashes escaped, control characters as \n, \t, ... or \u00XX;
   other bytes (UTF-8 included) as they are. */
static void PutString(NppJSON j, const char s[])
{
  if (j->rank) return;
  fputc('"', j->fp);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    switch (*c) {
    case '"':
      fputs("\\\"", j->fp);
      break;
    case '\\':
      fputs("\\\\", j->fp);
      break;
    case '\n':
      fputs("\\n", j->fp);
      break;
    case '\r':
      fputs("\\r", j->fp);
      break;
    case '\t':
      fputs("\\t", j->fp);
      break;
    case '\b':
      fputs("\\b", j->fp);
      break;
    case '\f':
      fputs("\\f", j->fp);
      break;
    default:
      if (*c < 0x20) fprintf(j->fp, "\\u%04x", (unsigned)*c);
      else fputc(*c, j->fp);
    }
  }
  fputc('"', j->fp);
}

/* Everything that precedes a value: the separator from the previous member, the line break and
   indentation of its layout, and the key. */
static PetscErrorCode Member(NppJSON j, const char key[])
{
  Level *lv;

  PetscFunctionBeginUser;
  if (!j->depth) {
    PetscCheck(!j->started, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "A JSON file holds one top-level value");
    PetscCheck(!key, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "The top-level JSON value has no key");
    j->started = PETSC_TRUE;
    PetscFunctionReturn(0);
  }
  lv = &j->level[j->depth - 1];
  PetscCheck((lv->close == '}') == (key != NULL), PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "A member of a JSON object needs a key, an element of an array has none (key %s)", key ? key : "(none)");
  if (lv->layout == NPP_JSON_LINES) {
    Put(j, lv->count ? ",\n" : "\n");
    Indent(j, 2 * j->depth);
  } else if (lv->count && j->wrap) {
    Put(j, ",\n");
    Indent(j, 2 * (j->depth - 1) + 1);
  } else if (lv->count) Put(j, ", ");
  j->wrap = PETSC_FALSE;
  lv->count++;
  if (key) {
    PutString(j, key);
    Put(j, ": ");
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Begin(NppJSON j, const char key[], char open, NppJSONLayout layout)
{
  const char s[2] = {open, 0};

  PetscFunctionBeginUser;
  PetscCheck(j->depth < NPP_JSON_MAX_DEPTH, PETSC_COMM_SELF, PETSC_ERR_SUP, "JSON containers nest deeper than %d", NPP_JSON_MAX_DEPTH);
  PetscCall(Member(j, key));
  Put(j, s);
  j->level[j->depth++] = (Level){open == '{' ? '}' : ']', layout, 0};
  PetscFunctionReturn(0);
}

static PetscErrorCode End(NppJSON j, char close)
{
  const char s[2] = {close, 0};

  PetscFunctionBeginUser;
  PetscCheck(j->depth > 0 && j->level[j->depth - 1].close == close, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "JSON: '%c' does not close the open container", close);
  if (j->level[j->depth - 1].layout == NPP_JSON_LINES) {
    Put(j, "\n");
    Indent(j, 2 * (j->depth - 1));
  }
  Put(j, s);
  j->depth--;
  j->wrap = PETSC_FALSE;
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONOpen(MPI_Comm comm, const char path[], NppJSON *j)
{
  PetscFunctionBeginUser;
  PetscCall(PetscNew(j));
  (*j)->comm = comm;
  PetscCallMPI(MPI_Comm_rank(comm, &(*j)->rank));
  PetscCall(PetscStrncpy((*j)->path, path, sizeof(*j)->path));
  PetscCall(PetscFOpen(comm, path, "w", &(*j)->fp));
  PetscFunctionReturn(0);
}

/* Ends the file with a newline; fails on every rank if rank 0 could not write it all. */
PetscErrorCode NppJSONClose(NppJSON *j)
{
  PetscFunctionBeginUser;
  if (!*j) PetscFunctionReturn(0);
  PetscCheck(!(*j)->depth && (*j)->started, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "JSON closed with %d container(s) open", (int)(*j)->depth);
  Put(*j, "\n");
  PetscCall(NppFileClose((*j)->comm, (*j)->fp, (*j)->path)); /* flushed, synced, checked */
  PetscCall(PetscFree(*j));
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONBeginObject(NppJSON j, const char key[], NppJSONLayout layout)
{
  PetscFunctionBeginUser;
  PetscCall(Begin(j, key, '{', layout));
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONEndObject(NppJSON j)
{
  PetscFunctionBeginUser;
  PetscCall(End(j, '}'));
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONBeginArray(NppJSON j, const char key[], NppJSONLayout layout)
{
  PetscFunctionBeginUser;
  PetscCall(Begin(j, key, '[', layout));
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONEndArray(NppJSON j)
{
  PetscFunctionBeginUser;
  PetscCall(End(j, ']'));
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONReal(NppJSON j, const char key[], const char fmt[], PetscReal v)
{
  char buf[64];

  PetscFunctionBeginUser;
  PetscCall(Member(j, key));
  if (PetscIsInfOrNanReal(v)) Put(j, "null"); /* JSON has no inf or nan */
  else {
    const int n = snprintf(buf, sizeof buf, fmt, (double)v);
    PetscCheck(n > 0 && (size_t)n < sizeof buf, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "JSON: format %s of %s gives no number", fmt, key ? key : "an array element");
    Put(j, buf);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONInt(NppJSON j, const char key[], PetscInt v)
{
  char buf[32];

  PetscFunctionBeginUser;
  PetscCall(Member(j, key));
  (void)snprintf(buf, sizeof buf, "%" PetscInt_FMT, v);
  Put(j, buf);
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONBool(NppJSON j, const char key[], PetscBool v)
{
  PetscFunctionBeginUser;
  PetscCall(Member(j, key));
  Put(j, v ? "true" : "false");
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONString(NppJSON j, const char key[], const char v[])
{
  PetscFunctionBeginUser;
  PetscCall(Member(j, key));
  PutString(j, v);
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONNull(NppJSON j, const char key[])
{
  PetscFunctionBeginUser;
  PetscCall(Member(j, key));
  Put(j, "null");
  PetscFunctionReturn(0);
}

PetscErrorCode NppJSONWrap(NppJSON j)
{
  PetscFunctionBeginUser;
  j->wrap = PETSC_TRUE;
  PetscFunctionReturn(0);
}
