/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE /* realpath */
#include "case.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of a case file, checked before PETSc's YAML reader sees it. That reader stops at a NUL
   byte (the rest of the file is silently lost), keeps the last of duplicate keys, follows
   "!include" to any path and into itself (a stack overflow), and turns every key into an option,
   viewer options with file targets included. Case files are shared and downloaded with
   examples, so a case file
   - is text (no NUL byte) of at most NPP_CASE_MAX_BYTES;
   - names each key once;
   - includes only files inside its own directory, without cycles, at most NPP_CASE_MAX_DEPTH deep;
   - names no file for PETSc to write or read (viewers, monitors, logs, options files): those
     options belong on the command line;
   - puts its results (output_dir) inside its own directory.
   The scanner follows the block style the case files use (indented "key: value" lines, comments,
   lists, block scalars); flow-style mappings are left to PETSc's reader. */

#define NPP_CASE_MAX_BYTES (1 << 20)
#define NPP_CASE_MAX_DEPTH 8
#define NPP_CASE_MAX_KEYS  4096

typedef struct {
  char   key[256]; /* the full key, as PETSc flattens it: a_b_c */
  char   file[PETSC_MAX_PATH_LEN];
  size_t line;
} Key;

typedef struct {
  char        msg[8192]; /* why the file is refused */
  const char *dir;       /* the case directory (real path) */
  const char *file;      /* the case file */
  Key        *keys;      /* keys of the file being read */
  size_t      nkeys;
  int         depth;
  const char *chain[NPP_CASE_MAX_DEPTH + 1]; /* the files being included, outermost first */
} Scan;

static int ScanFile(Scan *s, const char path[]);

#define REFUSE(s, ...) \
  do { \
    snprintf((s)->msg, sizeof(s)->msg, __VA_ARGS__); \
    return 1; \
  } while (0)

/* Options whose value names a file PETSc writes or reads (-ksp_view_mat binary:/x, -log_view :x,
   -options_file x): refused from a case file when the value has a path or a viewer target. */
static PetscBool NamesFile(const char key[], const char value[])
{
  const char *words[] = {"view", "monitor", "log", "draw", "dump", "history", "trace", "options_file", "malloc", "save", "load"};
  PetscBool   kind    = PETSC_FALSE;
  for (size_t i = 0; i < sizeof words / sizeof words[0] && !kind; i++) kind = (PetscBool)(strstr(key, words[i]) != NULL);
  if (!kind || !strncmp(key, "mesh_", 5) || !strncmp(key, "region_", 7) || !strncmp(key, "bc_", 3)) return PETSC_FALSE;
  return (PetscBool)(!strncmp(key, "options_file", 12) || strchr(value, ':') || strchr(value, '/'));
}

/* key "a" (unquoted or quoted) of a "a: value" line; 0 if the line is not one */
static size_t LineKey(const char *p, char key[], size_t len, const char **value)
{
  size_t n = 0;
  if (*p == '"' || *p == '\'') {
    const char q = *p++;
    while (*p && *p != q && n < len - 1) key[n++] = *p++;
    if (*p != q) return 0;
    p++;
  } else
    while (*p && *p != ':' && *p != '#' && n < len - 1) key[n++] = *p++;
  while (n && key[n - 1] == ' ') n--;
  key[n] = 0;
  if (*p != ':' || (p[1] && p[1] != ' ' && p[1] != '\t' && p[1] != '\n' && p[1] != '\r')) return 0;
  for (p++; *p == ' ' || *p == '\t'; p++) { }
  *value = p;
  return n;
}

/* The include of a value "!include path" (possibly quoted): 1 and its path, else 0. */
static int IncludePath(const char *v, char path[], size_t len)
{
  size_t n = 0;
  if (strncmp(v, "!include", 8)) return 0;
  for (v += 8; *v == ' ' || *v == '\t'; v++) { }
  if (*v == '"' || *v == '\'') v++;
  while (*v && *v != '"' && *v != '\'' && *v != '\n' && *v != '\r' && *v != '#' && n < len - 1) path[n++] = *v++;
  while (n && path[n - 1] == ' ') n--;
  path[n] = 0;
  return 1;
}

static int ScanText(Scan *s, char *text)
{
  struct {
    int  indent;
    char key[256];
  } stack[32];
  int    depth = 0, blockIndent = -1; /* inside a block scalar (| or >): lines indented more than blockIndent */
  size_t lineno = 0;

  for (char *line = text, *next; line; line = next) {
    int         indent = 0;
    char        key[256], full[256] = "", value[1024];
    const char *v;
    next = strchr(line, '\n');
    if (next) *next++ = 0;
    lineno++;
    while (line[indent] == ' ') indent++;
    if (!line[indent] || line[indent] == '#' || line[indent] == '\r') continue;
    if (blockIndent >= 0) {
      if (indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (line[indent] == '-' || line[indent] == '{' || line[indent] == '[' || !strncmp(line, "---", 3) || !strncmp(line, "...", 3)) continue;
    if (!LineKey(line + indent, key, sizeof key, &v)) continue;
    while (depth && stack[depth - 1].indent >= indent) depth--;
    for (int d = 0; d < depth; d++) {
      const size_t l = strlen(full);
      snprintf(full + l, sizeof full - l, "%s_", stack[d].key);
    }
    {
      const size_t l = strlen(full);
      snprintf(full + l, sizeof full - l, "%s", key);
    }
    snprintf(value, sizeof value, "%s", v);
    {
      char *hash = value[0] == '#' ? value : strstr(value, " #"), *cr = strchr(value, '\r');
      if (hash) *hash = 0; /* a comment */
      if (cr) *cr = 0;
    }
    if (value[0] == '|' || value[0] == '>') blockIndent = indent;
    {
      char inc[PETSC_MAX_PATH_LEN];
      if (IncludePath(value, inc, sizeof inc)) {
        char rel[2 * PETSC_MAX_PATH_LEN];
        if (inc[0] == '/') snprintf(rel, sizeof rel, "%s", inc);
        else { /* relative to the including file */ const char *slash = strrchr(s->chain[s->depth - 1], '/');
          snprintf(rel, sizeof rel, "%.*s/%s", (int)(slash - s->chain[s->depth - 1]), s->chain[s->depth - 1], inc);
        }
        if (ScanFile(s, rel)) return 1;
        continue;
      }
    }
    if (!strncmp(full, "$$", 2)) continue; /* PETSc's YAML anchors and tags */
    if (!value[0] && next) {               /* a mapping opens: its keys follow, indented */
      if (depth < 32) {
        stack[depth].indent = indent;
        snprintf(stack[depth].key, sizeof stack[depth].key, "%s", key);
        depth++;
      }
      continue;
    }
    for (size_t k = 0; k < s->nkeys; k++)
      if (!strcmp(s->keys[k].key, full)) REFUSE(s, "case file %s: key -%s is given twice (%s line %zu and %s line %zu)", s->file, full, s->keys[k].file, s->keys[k].line, s->chain[s->depth - 1], lineno);
    if (s->nkeys == NPP_CASE_MAX_KEYS) REFUSE(s, "case file %s: more than %d keys", s->file, NPP_CASE_MAX_KEYS);
    snprintf(s->keys[s->nkeys].key, sizeof s->keys[0].key, "%s", full);
    snprintf(s->keys[s->nkeys].file, sizeof s->keys[0].file, "%s", s->depth > 1 ? s->chain[s->depth - 1] : s->file);
    s->keys[s->nkeys++].line = lineno;
    if (NamesFile(full, value)) REFUSE(s, "case file %s: -%s %s (line %zu): a case file may not name files for PETSc to write or read; give this option on the command line", s->file, full, value, lineno);
    if (!strcmp(full, "output_dir")) {
      const size_t l = strlen(value);
      if (value[0] == '/' || !strcmp(value, "..") || !strncmp(value, "../", 3) || strstr(value, "/../") || (l >= 3 && !strcmp(value + l - 3, "/..")))
        REFUSE(s, "case file %s: -output_dir %s (line %zu): a case file puts its results inside its own directory (a relative path without ..); give other places on the command line", s->file, value, lineno);
    }
  }
  return 0;
}

static int ScanFile(Scan *s, const char path[])
{
  char   real[PATH_MAX], *text;
  FILE  *f;
  size_t n;
  int    bad;

  if (!realpath(path, real)) REFUSE(s, "case file %s: cannot read the included file %s", s->file, path);
  if (s->depth) {
    const size_t l = strlen(s->dir);
    if (strncmp(real, s->dir, l) || real[l] != '/') REFUSE(s, "case file %s: includes %s, outside the case directory %s", s->file, path, s->dir);
  }
  for (int d = 0; d < s->depth; d++)
    if (!strcmp(s->chain[d], real)) REFUSE(s, "case file %s: includes %s, which includes it again (a cycle)", s->file, path);
  if (s->depth == NPP_CASE_MAX_DEPTH) REFUSE(s, "case file %s: includes nest deeper than %d", s->file, NPP_CASE_MAX_DEPTH);
  if (!(f = fopen(real, "rb"))) REFUSE(s, "case file %s: cannot read %s", s->file, path);
  if (!(text = malloc(NPP_CASE_MAX_BYTES + 1))) {
    fclose(f);
    REFUSE(s, "case file %s: out of memory", s->file);
  }
  n = fread(text, 1, NPP_CASE_MAX_BYTES + 1, f);
  fclose(f);
  if (n > NPP_CASE_MAX_BYTES) {
    free(text);
    REFUSE(s, "case file %s: %s is larger than %d bytes (a case file is a short text)", s->file, path, NPP_CASE_MAX_BYTES);
  }
  text[n] = 0;
  if (memchr(text, 0, n)) {
    const size_t at = (size_t)((const char *)memchr(text, 0, n) - text);
    free(text);
    REFUSE(s, "case file %s: %s holds a NUL byte at offset %zu (not a text file; the rest would be lost)", s->file, path, at);
  }
  s->chain[s->depth++] = strdup(real);
  bad                  = ScanText(s, text);
  free((void *)s->chain[--s->depth]);
  free(text);
  return bad;
}

PetscErrorCode NppCaseCheckText(MPI_Comm comm, const char file[], const char dir[])
{
  PetscMPIInt rank;
  Scan       *s;
  char        realDir[PATH_MAX], msg[8192] = "";

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) { /* rank 0 reads; every rank gets its verdict */
    PetscCall(PetscCalloc1(1, &s));
    PetscCall(PetscCalloc1(NPP_CASE_MAX_KEYS, &s->keys));
    if (!realpath(dir[0] ? dir : ".", realDir)) snprintf(realDir, sizeof realDir, "%s", dir);
    s->dir  = realDir;
    s->file = file;
    if (ScanFile(s, file)) snprintf(msg, sizeof msg, "%s", s->msg);
    PetscCall(PetscFree(s->keys));
    PetscCall(PetscFree(s));
  }
  PetscCallMPI(MPI_Bcast(msg, sizeof msg, MPI_CHAR, 0, comm));
  PetscCheck(!msg[0], comm, PETSC_ERR_USER_INPUT, "%s", msg);
  PetscFunctionReturn(0);
}
