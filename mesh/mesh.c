/* SPDX-License-Identifier: BSD-2-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "mesh_generators.h"
#include "gmsh_common.h" /* NppGmshCheckFile */
#include <petscsf.h>

/* The keys of the mesh stage: -mesh_generator and -mesh_refine, then every generator's keys
   (those of the generators not chosen are read unchecked). */
static PetscErrorCode ReadOptions(MPI_Comm comm, char generator[], size_t len, PetscInt *refine, char convert[], char cache[], size_t clen, NppMeshJob *job)
{
  PetscFunctionList generators;

  PetscFunctionBeginUser;
  PetscCall(NppMeshGeneratorsRegister(&generators));
  PetscCall(PetscStrncpy(generator, "layers", len));
  PetscOptionsBegin(comm, "mesh_", "Mesh (-mesh_*)", NULL);
  PetscCall(PetscOptionsFList("-generator", "how the mesh is made: a Gmsh generator, or file for a .msh file", "-", generators, "layers", generator, len, NULL));
  PetscCall(NppOptionsInt(PetscOptionsObject, "-refine", "uniform refinements of the mesh after reading (before distribution)", "-", *refine, refine, NULL));
  PetscCall(PetscOptionsString("-cache", "directory of converted meshes: a generated or read .msh mesh is stored there, named by its -mesh_* keys (and the .msh file's path, size and time), and later runs with the same keys load it in parallel instead of meshing or reading", "-", cache, cache, clen, NULL));
  PetscCall(PetscOptionsString("-convert", "write the mesh to this npp HDF5 mesh file (.h5) and stop; later runs load it in parallel with -mesh_generator file -mesh_file", "-", convert, convert, clen, NULL));
  PetscOptionsEnd();
  for (size_t i = 0; i < NppMeshGeneratorCount; i++) {
    NppMeshJob       other = *job;
    NppMeshGenerator read;
    PetscBool        chosen;
    PetscCall(PetscStrcmp(NppMeshGeneratorNames[i], generator, &chosen));
    if (chosen && job->generate) continue;
    PetscCall(PetscFunctionListFind(generators, NppMeshGeneratorNames[i], &read));
    other.generate = PETSC_FALSE;
    PetscCall(read(&other));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode NppMeshOptions(MPI_Comm comm)
{
  NppMeshJob job;
  char       generator[64], convert[PETSC_MAX_PATH_LEN] = "", cache[PETSC_MAX_PATH_LEN] = "";
  PetscInt   refine = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(&job, sizeof job));
  job.comm = comm;
  PetscCall(ReadOptions(comm, generator, sizeof generator, &refine, convert, cache, sizeof convert, &job));
  PetscFunctionReturn(0);
}

/* An npp mesh file (.h5), as opposed to a Gmsh .msh. */
static PetscBool IsMeshFile(const char path[])
{
  size_t n = strlen(path);
  return (PetscBool)(n > 3 && !strcmp(path + n - 3, ".h5"));
}

static int ComparePair(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The cache name of a mesh: the generator, extra (a mesh file's path, size and time), and every
   -mesh_* key with its value (from the case file or the command line), sorted, hashed (FNV-1a,
   64 bits). *key: the text hashed. */
static PetscErrorCode CacheName(const char generator[], const char extra[], const char dir[], char path[], size_t len, char key[], size_t klen)
{
  char              *all;
  char             **pairs;
  PetscInt           n = 0;
  unsigned long long h = 1469598103934665603ULL;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetAll(NULL, &all));
  PetscCall(PetscMalloc1(strlen(all) / 2 + 2, &pairs));
  for (char *tok = all; *tok;) { /* "-name value -name -name value ...": split on spaces */
    char           *end  = tok + strcspn(tok, " ");
    const PetscBool more = (PetscBool)(*end != 0);
    *end                 = 0;
    if (tok[0] == '-' && (tok[1] < '0' || tok[1] > '9') && tok[1] != '.') pairs[n++] = tok;
    else if (n && tok != all && *tok) tok[-1] = '='; /* the value of the last name: joined to it */
    tok = more ? end + 1 : end;
  }
  {
    PetscInt m = 0;
    for (PetscInt i = 0; i < n; i++) {
      PetscBool mesh, skip1, skip2, skip3;
      PetscCall(PetscStrncmp(pairs[i], "-mesh_", 6, &mesh));
      PetscCall(PetscStrncmp(pairs[i], "-mesh_cache", 11, &skip1));
      PetscCall(PetscStrncmp(pairs[i], "-mesh_convert", 13, &skip2));
      PetscCall(PetscStrncmp(pairs[i], "-mesh_verbose", 13, &skip3));
      if (mesh && !skip1 && !skip2 && !skip3) pairs[m++] = pairs[i];
    }
    n = m;
  }
  qsort(pairs, (size_t)n, sizeof(char *), ComparePair);
  PetscCall(PetscSNPrintf(key, klen, "%s%s", generator, extra));
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(PetscStrlcat(key, " ", klen));
    PetscCall(PetscStrlcat(key, pairs[i], klen));
  }
  for (const char *c = key; *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211ULL;
  PetscCall(PetscSNPrintf(path, len, "%s/%s-%016llx.h5", dir, generator, h));
  PetscCall(PetscFree(pairs));
  PetscCall(PetscFree(all));
  PetscFunctionReturn(0);
}

/* The number of each cell of the mesh as read, carried through the distribution: a rank's cells
   are numbered after those of the ranks before it, in the reader's order, which is the file's
   (the serial .msh reader on rank 0; rank r's share of an npp mesh file). The same file read on
   any number of ranks gives the same numbers: checkpoints store cell data by them. */
static PetscErrorCode NumberCells(DM dm, PetscInt **number)
{
  PetscInt cStart, cEnd, n, first;

  PetscFunctionBeginUser;
  PetscCall(DMPlexGetHeightStratum(dm, 0, &cStart, &cEnd));
  n = cEnd - cStart;
  PetscCallMPI(MPI_Scan(&n, &first, 1, MPIU_INT, MPI_SUM, PetscObjectComm((PetscObject)dm)));
  first -= n;
  PetscCall(PetscMalloc1(n + 1, number));
  for (PetscInt c = 0; c < n; c++) (*number)[c] = first + c;
  PetscFunctionReturn(0);
}

/* After DMPlexDistribute: the numbers of the distributed cells, from the roots of the migration
   SF (points of the mesh before distribution). */
static PetscErrorCode MigrateCellNumbers(DM before, DM after, PetscSF migration, PetscInt **number)
{
  PetscInt  pStart, pEnd, cStart, cEnd, qStart, qEnd, dStart, dEnd, *root, *leaf;
  PetscBool missing = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(DMPlexGetChart(before, &pStart, &pEnd));
  PetscCall(DMPlexGetHeightStratum(before, 0, &cStart, &cEnd));
  PetscCall(DMPlexGetChart(after, &qStart, &qEnd));
  PetscCall(DMPlexGetHeightStratum(after, 0, &dStart, &dEnd));
  PetscCall(PetscMalloc2(pEnd - pStart + 1, &root, qEnd - qStart + 1, &leaf));
  for (PetscInt p = pStart; p < pEnd; p++) root[p - pStart] = p >= cStart && p < cEnd ? (*number)[p - cStart] : -1;
  for (PetscInt q = qStart; q < qEnd; q++) leaf[q - qStart] = -1;
  PetscCall(PetscSFBcastBegin(migration, MPIU_INT, root, leaf, MPI_REPLACE));
  PetscCall(PetscSFBcastEnd(migration, MPIU_INT, root, leaf, MPI_REPLACE));
  PetscCall(PetscFree(*number));
  PetscCall(PetscMalloc1(dEnd - dStart + 1, number));
  for (PetscInt c = dStart; c < dEnd; c++) {
    (*number)[c - dStart] = leaf[c - qStart];
    missing               = (PetscBool)(missing || leaf[c - qStart] < 0);
  }
  PetscCall(PetscFree2(root, leaf));
  PetscCheck(!missing, PETSC_COMM_SELF, PETSC_ERR_PLIB, "a distributed cell without its number in the mesh as read");
  PetscFunctionReturn(0);
}

PetscErrorCode NppMeshCreate(MPI_Comm comm, NppMeshPathResolver resolve, void *resolveCtx, const char outdir[], PetscInt overlap, const char restartMesh[], DM *dm, NppMeshInfo *info)
{
  NppMeshJob        job;
  NppMeshGenerator  generate;
  PetscFunctionList generators;
  PetscInt          refine = 0;
  PetscBool         isfile;
  PetscLogDouble    t0, t1;
  DM                dist      = NULL;
  PetscSF           migration = NULL;
  PetscPartitioner  part;
  char              cacheKey[4096], cachePath[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(info, sizeof *info));
  PetscCall(PetscMemzero(&job, sizeof job));
  info->solidSpans = info->poreSpans = -1;
  PetscCall(PetscTime(&t0));
  job.comm = comm, job.generate = PETSC_TRUE, job.resolve = resolve, job.resolveCtx = resolveCtx;
  PetscCall(ReadOptions(comm, info->source, sizeof info->source, &refine, info->converted, info->cache, sizeof info->converted, &job));
  PetscCall(NppMeshGeneratorsRegister(&generators));
  PetscCall(PetscFunctionListFind(generators, info->source, &generate));
  if (!generate) NppInputError(comm, "-mesh_generator", "unknown generator '%s' (choose layers, particles, anode, skeleton, scaffold or file)", info->source);
  if (refine < 0) NppInputError(comm, "-mesh_refine", "%d must be >= 0", (int)refine);
  PetscCall(PetscStrcmp(info->source, "file", &isfile));
  info->generated = (PetscBool)!isfile;
  if (isfile) PetscCall(generate(&job)); /* resolves and checks the path */
  if (restartMesh) {                     /* a restart reads the mesh its checkpoint was computed on */
    if (!isfile) {
      NppMeshJob keys = job;
      keys.generate   = PETSC_FALSE; /* the generator's keys are read (and known), nothing is meshed */
      PetscCall(generate(&keys));
    }
    PetscCall(PetscStrncpy(info->file, restartMesh, sizeof info->file));
    info->generated = PETSC_FALSE;
    info->cached    = 3;
    info->cache[0]  = 0;
  }
  if (info->cache[0] && !info->converted[0] && !(isfile && IsMeshFile(job.file))) { /* made before: load it */
    char        extra[PETSC_MAX_PATH_LEN + 64] = "";
    PetscMPIInt rank;
    int         state[2] = {0, 0}; /* exists, mkdir errno */
    PetscCallMPI(MPI_Comm_rank(comm, &rank));
    if (isfile) { /* a .msh is known by its path, size and time of change */
      struct stat st;
      long long   sz = 0, mt = 0;
      if (!rank && !stat(job.file, &st)) sz = (long long)st.st_size, mt = (long long)st.st_mtime;
      PetscCallMPI(MPI_Bcast(&sz, 1, MPI_LONG_LONG, 0, comm));
      PetscCallMPI(MPI_Bcast(&mt, 1, MPI_LONG_LONG, 0, comm));
      PetscCall(PetscSNPrintf(extra, sizeof extra, " %s size=%lld mtime=%lld", job.file, sz, mt));
    }
    PetscCall(CacheName(info->source, extra, info->cache, cachePath, sizeof cachePath, cacheKey, sizeof cacheKey));
    if (!rank) {
      struct stat st;
      if (mkdir(info->cache, 0755) && errno != EEXIST) state[1] = errno;
      state[0] = stat(cachePath, &st) == 0;
    }
    PetscCallMPI(MPI_Bcast(state, 2, MPI_INT, 0, comm));
    if (state[1]) NppInputError(comm, "-mesh_cache", "cannot create directory %s: %s", info->cache, strerror(state[1]));
    if (state[0]) { /* made before: loaded below */
      if (!isfile) {
        NppMeshJob keys = job;
        keys.generate   = PETSC_FALSE; /* the generator's keys are read (and known), nothing is meshed */
        PetscCall(generate(&keys));
      }
      PetscCall(PetscStrncpy(info->file, cachePath, sizeof info->file));
      info->cached    = 2;
      info->generated = PETSC_FALSE;
    } else info->cached = 1; /* made below, stored before distribution */
  }
  if (info->cached < 2) {
    /* mesh.msh once the run starts writing its results (solver/output/run_dir.c) */
    if (info->generated) PetscCall(PetscSNPrintf(job.file, sizeof job.file, "%s/mesh.partial.msh", outdir));
    if (!isfile) PetscCall(generate(&job));
    PetscCall(PetscStrncpy(info->file, job.file, sizeof info->file));
  }
  if (info->generated) { /* rank 0 ran it: all ranks share its verdict and fail together */
    PetscCallMPI(MPI_Bcast(&job.report, sizeof job.report, MPI_BYTE, 0, comm));
    PetscCheck(!job.report.ierr || strncmp(job.report.err, "cannot write", 12), comm, NPP_ERR_WRITE, "%s", job.report.err); /* a full disk */
    if (job.report.ierr) NppInputError(comm, "-mesh_generator", "%s", job.report.err);                                      /* err names the generator and field */
    PetscCall(PetscStrncpy(info->objects, job.report.objects, sizeof info->objects));
    info->nparticles        = job.report.count;
    info->particle_fraction = job.report.fraction;
    info->solidSpans        = job.report.solidSpans;
    info->poreSpans         = job.report.poreSpans;
    info->interfaceMeasure  = job.report.interfaceMeasure;
    info->shellFraction     = job.report.shellFraction;
  }
  if (IsMeshFile(info->file)) { /* read in parallel, each rank a share of the cells (mesh_h5.c) */
    if (info->cached < 2 && refine) NppInputError(comm, "-mesh_refine", "%d: an npp mesh file is loaded as it was converted; refine when converting", (int)refine);
    if (info->converted[0]) NppInputError(comm, "-mesh_convert", "%s is already an npp mesh file", info->file);
    PetscCall(NppMeshLoadH5(comm, info->file, dm, info));
    PetscCall(PetscObjectSetName((PetscObject)*dm, "mesh"));
  } else {
    if (!info->generated) { /* a .msh made elsewhere: Gmsh reads it first on rank 0 (PETSc's reader crashes on broken ones) */
      PetscMPIInt rank;
      char        why[512] = "";
      PetscCallMPI(MPI_Comm_rank(comm, &rank));
      if (!rank) {
        NppGmshErr E = {why, sizeof why};
        if (NppGmshCheckFile(&E, info->file) && !why[0]) PetscCall(PetscStrcpy(why, "unreadable"));
      }
      PetscCallMPI(MPI_Bcast(why, sizeof why, MPI_CHAR, 0, comm));
      if (why[0]) NppInputError(comm, "-mesh_file", "%s is not a mesh npp can read: %s", info->file, why);
    }
    /* Physical names become labels; Face Sets would lose interfaces without interpolation. */
    PetscCall(PetscOptionsSetValue(NULL, "-dm_plex_gmsh_use_regions", "true"));
    PetscCall(DMPlexCreateFromFile(comm, info->file, "npp", PETSC_TRUE, dm));
    PetscCall(PetscObjectSetName((PetscObject)*dm, "mesh"));
    if (refine) { /* each refinement multiplies the cells by 2^dim: checked before, not after the memory is gone */
      PetscInt  cStart, cEnd, dim, n;
      PetscReal maxCells = 2e7, cells;
      PetscCall(DMGetDimension(*dm, &dim));
      PetscCall(DMPlexGetHeightStratum(*dm, 0, &cStart, &cEnd));
      n = cEnd - cStart;
      PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &n, 1, MPIU_INT, MPI_SUM, comm));
      PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_max_cells", &maxCells, NULL));
      cells = (PetscReal)n * PetscPowReal(2.0, (PetscReal)(dim * refine));
      if (cells > maxCells) NppInputError(comm, "-mesh_refine", "%d refinements of %d cells give %.3g cells, more than -mesh_max_cells %g", (int)refine, (int)n, (double)cells, (double)maxCells);
    }
    for (PetscInt i = 0; i < refine; i++) {
      DM fine;
      PetscCall(DMRefine(*dm, comm, &fine));
      PetscCall(DMDestroy(dm));
      *dm = fine;
    }
    if (info->converted[0]) { /* -mesh_convert: the undistributed mesh, with where it came from */
      char source[2 * PETSC_MAX_PATH_LEN];
      PetscCall(PetscSNPrintf(source, sizeof source, "%s %s, refined %d times", info->generated ? "generated by" : "read from", info->generated ? info->source : info->file, (int)refine));
      PetscCall(NppMeshWriteH5(*dm, info->converted, source, info->generated ? info : NULL));
      PetscFunctionReturn(0);
    }
    if (info->cached == 1) PetscCall(NppMeshWriteH5(*dm, cachePath, cacheKey, info->generated ? info : NULL));
  }
  PetscCall(PetscTime(&t1));
  info->time_generate = t1 - t0; /* generation (rank 0) or the cache, reading and interpolation */
  t0                  = t1;
  PetscCall(NumberCells(*dm, &info->cellNumber));
  PetscCall(DMPlexGetPartitioner(*dm, &part));
  PetscCall(PetscPartitionerSetFromOptions(part));
  PetscCall(DMPlexDistribute(*dm, overlap, &migration, &dist));
  if (dist) {
    PetscCall(MigrateCellNumbers(*dm, dist, migration, &info->cellNumber));
    PetscCall(DMDestroy(dm));
    *dm = dist;
  }
  PetscCall(PetscSFDestroy(&migration));
  PetscCall(PetscTime(&t1));
  info->time_distribute = t1 - t0;
  PetscFunctionReturn(0);
}
