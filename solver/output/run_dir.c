/* SPDX-License-Identifier: BSD-2-Clause */
#define _GNU_SOURCE /* gethostname, kill, fileno, O_DIRECTORY, realpath */
#include "npp.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

/* The output directory of a run, and how a result file gets there.
   - One run per directory: a lock file, created exclusively, names the run that holds it; a
     second run into the directory is an input error. A lock left by a killed run on this host
     (its process is gone) is taken over, with a note.
   - An earlier run's results are replaced whole, and only when this run starts writing (after its
     input, mesh and set-up have passed): until then a failing rerun leaves them untouched, after
     that the directory never mixes two runs. A generated mesh is written as mesh.partial.msh and
     becomes mesh.msh at that moment too.
   - A result file is written under a temporary name, synced to the disk, checked, and only then
     renamed into place; a write error is one "npp: error:" line (NPP_ERR_WRITE), never a result
     that looks complete. */

#define NPP_LOCK "/.npp.lock"

/* mkdir -p; 0 or errno */
static int MakeDirs(const char dir[])
{
  char tmp[PETSC_MAX_PATH_LEN];
  int  err = 0;

  if (PetscStrncpy(tmp, dir, sizeof tmp)) return ENAMETOOLONG;
  for (char *p = tmp + 1; *p && !err; p++)
    if (*p == '/') {
      *p = 0;
      if (mkdir(tmp, 0755) && errno != EEXIST) err = errno;
      *p = '/';
    }
  if (!err && mkdir(tmp, 0755) && errno != EEXIST) err = errno;
  return err;
}

/* Takes the lock of dir: 0, or EEXIST with the holder's "pid host" in holder, or errno. A lock of
   a process of this host that no longer exists is removed first (*stale set). */
static int TakeLock(const char dir[], char holder[], size_t len, PetscBool *stale)
{
  char path[PETSC_MAX_PATH_LEN], host[256] = "";

  (void)PetscSNPrintf(path, sizeof path, "%s" NPP_LOCK, dir);
  (void)gethostname(host, sizeof host - 1);
  for (int attempt = 0; attempt < 2; attempt++) {
    const int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd >= 0) {
      char    line[320];
      int     n  = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(), host);
      ssize_t w  = write(fd, line, (size_t)n);
      int     ok = w == n && !fsync(fd);
      (void)close(fd);
      if (!ok) {
        (void)unlink(path);
        return EIO;
      }
      return 0;
    }
    if (errno != EEXIST) return errno;
    {
      FILE *f      = fopen(path, "r");
      long  pid    = 0;
      char  h[256] = "";
      holder[0]    = 0;
      if (f) {
        if (fscanf(f, "%ld %255s", &pid, h) == 2) (void)snprintf(holder, len, "process %ld on host %s", pid, h);
        fclose(f);
      }
      if (pid > 0 && !strcmp(h, host) && kill((pid_t)pid, 0) && errno == ESRCH) { /* its run was killed */
        (void)unlink(path);
        *stale = PETSC_TRUE;
        continue;
      }
    }
    return EEXIST;
  }
  return EEXIST;
}

PetscErrorCode NppRunDirCreate(MPI_Comm comm, NppOutput *out)
{
  PetscMPIInt rank;
  struct {
    int       err, lock;
    PetscBool stale;
    char      holder[320];
  } r = {0, 0, PETSC_FALSE, ""};

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    struct stat st;
    out->outdirCreated = stat(out->outdir, &st) != 0;
    r.err              = MakeDirs(out->outdir);
    if (!r.err && stat(out->outdir, &st)) r.err = errno;
    if (!r.err && !S_ISDIR(st.st_mode)) r.err = ENOTDIR;
    if (!r.err && access(out->outdir, W_OK | X_OK)) r.err = errno;
    if (!r.err) r.lock = TakeLock(out->outdir, r.holder, sizeof r.holder, &r.stale);
    if (r.lock && r.lock != EEXIST) r.err = r.lock;
  }
  PetscCallMPI(MPI_Bcast(&r, sizeof r, MPI_BYTE, 0, comm));
  if (r.err) NppInputError(comm, "-output_dir", "cannot create or write in directory %s: %s", out->outdir, strerror(r.err));
  if (r.lock == EEXIST)
    NppInputError(comm, "-output_dir", "%s is in use by another npp run (%s; lock file %s" NPP_LOCK "): wait for it to end or choose another -output_dir (if that run is dead, remove the lock file)", out->outdir, r.holder[0] ? r.holder : "unreadable lock",
                  out->outdir);
  out->locked = PETSC_TRUE;
  if (r.stale) PetscCall(PetscPrintf(comm, "npp: note: %s was locked by a run of this host that no longer exists; lock taken over\n", out->outdir));
  PetscFunctionReturn(0);
}

/* Not collective; rank 0 holds the lock. */
PetscErrorCode NppRunDirRelease(MPI_Comm comm, NppOutput *out)
{
  PetscMPIInt rank;
  char        path[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  if (!out->locked) PetscFunctionReturn(0);
  out->locked = PETSC_FALSE;
  MPI_Comm_rank(comm, &rank);
  if (rank) PetscFunctionReturn(0);
  PetscCall(PetscSNPrintf(path, sizeof path, "%s" NPP_LOCK, out->outdir));
  (void)unlink(path);
  PetscFunctionReturn(0);
}

/* Whether name is a file npp writes into a run's directory (a result, a checkpoint, or one of
   them still under its temporary name). */
PetscBool NppRunDirIsResult(const char name[])
{
  const char *fixed[] = {"solution.h5", "solution.xmf", "summary.json", "electrodes.csv", "mesh.msh", "checkpoint.h5"};
  char        base[PETSC_MAX_PATH_LEN];
  size_t      n = strlen(name);
  int         k, end = 0;

  if (n >= sizeof base) return PETSC_FALSE;
  strcpy(base, name);
  if (n > 8 && !strcmp(base + n - 8, ".partial")) base[n -= 8] = 0;
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    if (!strcmp(base, fixed[i])) return PETSC_TRUE;
  if ((sscanf(base, "solution_%6d.h5%n", &k, &end) == 1 || sscanf(base, "solution_mesh_%6d.h5%n", &k, &end) == 1) && end == (int)n) return PETSC_TRUE;
  return (PetscBool)(!strncmp(base, "electrode_", 10) && n > 14 && !strcmp(base + n - 4, ".xmf"));
}

/* rank 0: fsync of a file or directory by path; 0 or errno */
static int SyncPath(const char path[], PetscBool dir)
{
  const int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  int       err;
  if (fd < 0) return errno;
  err = fsync(fd) ? errno : 0;
  (void)close(fd);
  return err == EINVAL ? 0 : err; /* a file system without fsync of directories */
}

PetscErrorCode NppRunDirReplaceEarlier(MPI_Comm comm, NppOutput *out, NppMeshInfo *mi)
{
  PetscMPIInt rank;
  struct {
    int  err, nremoved;
    char mesh[PETSC_MAX_PATH_LEN];
  } r = {0, 0, ""};

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    char own[PETSC_MAX_PATH_LEN] = "", path[PETSC_MAX_PATH_LEN];
    DIR *d                       = opendir(out->outdir);
    /* the mesh this run reads may be an earlier run's mesh.msh here: that one stays */
    if (!realpath(mi->file, own)) own[0] = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
      char real[PETSC_MAX_PATH_LEN];
      if (!NppRunDirIsResult(e->d_name)) continue;
      (void)PetscSNPrintf(path, sizeof path, "%s/%s", out->outdir, e->d_name);
      if (realpath(path, real) && !strcmp(real, own)) continue;
      if (unlink(path)) r.err = errno;
      else r.nremoved++;
    }
    if (d) closedir(d);
    if (!r.err && mi->generated && mi->cached != 2) { /* this run's mesh becomes mesh.msh */
      (void)PetscSNPrintf(path, sizeof path, "%s/mesh.msh", out->outdir);
      if ((r.err = SyncPath(mi->file, PETSC_FALSE)) == 0 && rename(mi->file, path)) r.err = errno;
      if (!r.err) (void)PetscStrncpy(r.mesh, path, sizeof r.mesh);
    }
    if (!r.err) r.err = SyncPath(out->outdir, PETSC_TRUE);
  }
  PetscCallMPI(MPI_Bcast(&r, sizeof r, MPI_BYTE, 0, comm));
  PetscCheck(!r.err, comm, NPP_ERR_WRITE, "cannot replace the earlier results in %s: %s", out->outdir, strerror(r.err));
  if (r.mesh[0]) PetscCall(PetscStrncpy(mi->file, r.mesh, sizeof mi->file));
  if (r.nremoved) PetscCall(PetscPrintf(comm, "npp: note: replacing the earlier results in %s (%d files)\n", out->outdir, r.nremoved));
  PetscFunctionReturn(0);
}

PetscErrorCode NppFileClose(MPI_Comm comm, FILE *fp, const char path[])
{
  PetscMPIInt rank;
  int         err = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank && fp) {
    if (fflush(fp)) err = errno;
    if (!err && ferror(fp)) err = errno ? errno : EIO; /* a write that failed earlier (errno: why, as a rule) */
    if (!err && fsync(fileno(fp))) err = errno == EINVAL ? 0 : errno;
    if (fclose(fp) && !err) err = errno;
  }
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
  PetscCheck(!err, comm, NPP_ERR_WRITE, "cannot write %s: %s", path, strerror(err));
  PetscFunctionReturn(0);
}

PetscErrorCode NppFileCommit(MPI_Comm comm, const char dir[], const char from[], const char to[])
{
  PetscMPIInt rank;
  int         err = 0;
  char        a[PETSC_MAX_PATH_LEN], b[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscSNPrintf(a, sizeof a, "%s/%s", dir, from));
  PetscCall(PetscSNPrintf(b, sizeof b, "%s/%s", dir, to));
  if (!rank) {
    err = SyncPath(a, PETSC_FALSE);
    if (!err && rename(a, b)) err = errno;
    if (!err) err = SyncPath(dir, PETSC_TRUE);
  }
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
  PetscCheck(!err, comm, NPP_ERR_WRITE, "cannot write %s: %s", b, strerror(err));
  PetscFunctionReturn(0);
}
