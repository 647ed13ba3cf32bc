/* SPDX-License-Identifier: BSD-2-Clause */
/* `particles`: non-overlapping spheres (3D) or disks (2D) placed by random sequential addition
   in the box [0, box], cut by its faces, fragmented with it so that every interface is
   conformal, and meshed with refinement at the particle surfaces.

   Core-shell particles (shell_thickness t > 0): every particle is a core of the drawn radius r
   inside a concentric shell of outer radius r + t. The placement treats the outer sphere as the
   particle (gap rule, box-face rule) but fills volume_fraction with cores; box, cores and outer
   spheres are fragmented together, so the matrix/shell, shell/core and box-face interfaces are
   all conformal. Regions: matrix (tag 1), cores (tag 2), shells (tag 3). Cells of
   interface_size on both the core and the outer surfaces; a shell thinner than 2 interface_size
   is meshed with cells of t/2 (two across it), but not below interface_size/4, which bounds the
   cost: the cell count grows about as (interface_size/(t/2))^(dim-1) on each shell surface and
   faster inside thin shells. Thinner shells than interface_size/2 get fewer than two cells
   across (flat cells). */
#include "gmsh_common.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATTEMPTS 200000
#define NPP_PI       3.14159265358979323846

typedef struct {
  double x[3], r;
} Particle;

static int Check(const NppGmshParticlesSpec *s, char *err, size_t len)
{
  if (s->dim != 2 && s->dim != 3) return snprintf(err, len, "particles: dim = %d must be 2 or 3", s->dim), 1;
  for (int i = 0; i < s->dim; i++)
    if (!(s->box[i] > 0) || !isfinite(s->box[i])) return snprintf(err, len, "particles: box[%d] = %g must be positive", i, s->box[i]), 1;
  if (!(s->volume_fraction > 0 && s->volume_fraction < 0.6)) return snprintf(err, len, "particles: volume_fraction = %g is outside (0, 0.6)", s->volume_fraction), 1;
  if (!(s->radius > 0) || !isfinite(s->radius)) return snprintf(err, len, "particles: radius = %g must be positive", s->radius), 1;
  for (int i = 0; i < s->dim; i++)
    if (s->radius > 0.5 * s->box[i]) return snprintf(err, len, "particles: radius = %g is larger than half the box (%g)", s->radius, s->box[i]), 1;
  if (!(s->radius_spread >= 0 && s->radius_spread < 1)) return snprintf(err, len, "particles: radius_spread = %g is outside [0, 1)", s->radius_spread), 1;
  if (!(s->min_gap >= 0) || !isfinite(s->min_gap)) return snprintf(err, len, "particles: min_gap = %g must be >= 0", s->min_gap), 1;
  if (!(s->size > 0) || !isfinite(s->size)) return snprintf(err, len, "particles: size = %g must be positive", s->size), 1;
  if (!(s->interface_size > 0 && s->interface_size <= s->size)) return snprintf(err, len, "particles: interface_size = %g must be in (0, size = %g]", s->interface_size, s->size), 1;
  if (!s->matrix_name[0] || !s->particle_name[0] || !strcmp(s->matrix_name, s->particle_name)) return snprintf(err, len, "particles: matrix and particle regions need two different names ('%s', '%s')", s->matrix_name, s->particle_name), 1;
  if (s->algorithm3d < 0) return snprintf(err, len, "particles: algorithm3d = %d must be >= 0", s->algorithm3d), 1;
  if (!(s->shell_thickness >= 0) || !isfinite(s->shell_thickness)) return snprintf(err, len, "particles: shell_thickness = %g must be >= 0 and finite", s->shell_thickness), 1;
  if (s->shell_thickness > 0) {
    for (int i = 0; i < s->dim; i++)
      if (s->radius + s->shell_thickness > 0.5 * s->box[i]) return snprintf(err, len, "particles: radius + shell_thickness = %g is larger than half the box (%g)", s->radius + s->shell_thickness, s->box[i]), 1;
    if (!s->shell_name[0] || !strcmp(s->shell_name, s->matrix_name) || !strcmp(s->shell_name, s->particle_name))
      return snprintf(err, len, "particles: shell_name = '%s' must be non-empty and differ from the matrix and particle names ('%s', '%s')", s->shell_name, s->matrix_name, s->particle_name), 1;
  }
  return 0;
}

/* Measure of the part of a particle inside the box: the full ball less the caps cut off by
   the faces it crosses (corner double counts neglected; only used to steer the placement). */
static double InsideMeasure(int dim, const double box[3], const Particle *p)
{
  double m = dim == 3 ? 4.0 / 3.0 * NPP_PI * pow(p->r, 3) : NPP_PI * p->r * p->r;
  for (int i = 0; i < dim; i++)
    for (int side = 0; side < 2; side++) {
      const double d = side ? box[i] - p->x[i] : p->x[i];
      if (d >= p->r) continue;
      const double h = p->r - d;
      m -= dim == 3 ? NPP_PI * h * h * (3 * p->r - h) / 3 : p->r * p->r * acos(d / p->r) - d * sqrt(p->r * p->r - d * d);
    }
  return m;
}

/* Random sequential addition; P[i].r is the core radius, the shell (if any) adds t outside.
   volume_fraction counts the cores only. With t = 0 this is the placement of plain particles. */
static int Place(const NppGmshParticlesSpec *s, double unit, Particle **out, int *n, char *err, size_t len)
{
  const double t      = s->shell_thickness;
  const double boxm   = s->dim == 3 ? s->box[0] * s->box[1] * s->box[2] : s->box[0] * s->box[1];
  double       filled = 0, filledOuter = 0;
  int          cap = 64, attempts = 0;
  uint64_t     rng = 0x5EED0000ull + s->seed;
  Particle    *P   = malloc(cap * sizeof *P);

  *n = 0;
  while (filled < s->volume_fraction * boxm) {
    Particle c = {
      {0, 0, 0},
      s->radius * (1 + s->radius_spread * (2 * NppGmshUniform(&rng) - 1))
    };
    int ok = 1;
    if (++attempts > MAX_ATTEMPTS) {
      if (t > 0)
        snprintf(err, len, "particles: volume_fraction = %g not reached after %d attempts (%.3f placed; the shells fill %.3f more); lower it, shell_thickness = %g or min_gap = %g", s->volume_fraction, MAX_ATTEMPTS, filled / boxm, filledOuter / boxm - filled / boxm, t * unit, s->min_gap);
      else snprintf(err, len, "particles: volume_fraction = %g not reached after %d attempts (%.3f placed); lower it, or min_gap = %g", s->volume_fraction, MAX_ATTEMPTS, filled / boxm, s->min_gap);
      free(P);
      return 1;
    }
    for (int i = 0; i < s->dim; i++) c.x[i] = s->box[i] * NppGmshUniform(&rng);
    /* A face may cut a particle only near its equator (distance from the centre < r/2, so the
       matrix wedge between sphere and face is at least 60 degrees), else the sphere keeps
       0.1 r off the face: shallow cuts leave thin wedges that mesh into slivers. With a shell:
       the face cuts the core near its equator (then also the outer sphere, nearer its own), or
       neither, keeping 0.1 (r + t) off the outer sphere; no face cuts the shell alone. */
    for (int i = 0; i < s->dim && ok; i++) {
      const double d = fmin(c.x[i], s->box[i] - c.x[i]);
      ok             = d < 0.5 * c.r || d > 1.1 * (c.r + t);
    }
    for (int j = 0; j < *n && ok; j++) {
      double d2 = 0;
      for (int i = 0; i < s->dim; i++) d2 += (c.x[i] - P[j].x[i]) * (c.x[i] - P[j].x[i]);
      ok = sqrt(d2) > c.r + P[j].r + 2 * t + s->min_gap * s->radius;
    }
    if (!ok) continue;
    if (*n == cap) P = realloc(P, (cap *= 2) * sizeof *P);
    P[(*n)++] = c;
    filled += InsideMeasure(s->dim, s->box, &c);
    if (t > 0) {
      const Particle o = {
        {c.x[0], c.x[1], c.x[2]},
        c.r + t
      };
      filledOuter += InsideMeasure(s->dim, s->box, &o);
    }
  }
  *out = P;
  return 0;
}

static int Contains(const int *dimTags, size_t n, int tag)
{
  for (size_t k = 0; k < n / 2; k++)
    if (dimTags[2 * k + 1] == tag) return 1;
  return 0;
}

/* Box and particles fragmented together: the pieces of the box that came from no particle form
   the matrix, the pieces shared by the box and a particle are the (cut) particles, and the
   pieces of particles outside the box are removed. With shells, the tools are the n cores then
   the n outer spheres: a box piece shared with a core is core, else shared with an outer sphere
   is shell, else matrix (a core piece is also a piece of its outer sphere). */
static int Build(NppGmshErr *E, const NppGmshParticlesSpec *s, const Particle *P, int n, int **mat, size_t *nmat, int **par, size_t *npar, int **shl, size_t *nshl)
{
  const int dim = s->dim, nt = s->shell_thickness > 0 ? 2 * n : n;
  int      *tools = malloc(2 * nt * sizeof *tools), box[2] = {dim, 0}, *out = NULL, **map = NULL, *outside = malloc(2 * (8 * nt + 1) * sizeof *outside);
  size_t    nout = 0, *nmap = NULL, nnmap = 0, noutside = 0;

  *mat = *par = *shl = NULL;
  *nmat = *npar = *nshl = 0;
  if (dim == 3) GMSH_TRY(E, box[1] = gmshModelOccAddBox(0, 0, 0, s->box[0], s->box[1], s->box[2], -1, IERR));
  else GMSH_TRY(E, box[1] = gmshModelOccAddRectangle(0, 0, 0, s->box[0], s->box[1], -1, 0, IERR));
  for (int j = 0; j < nt; j++) {
    const Particle *p = &P[j % n];
    const double    r = j < n ? p->r : p->r + s->shell_thickness;
    tools[2 * j]      = dim;
    if (dim == 3) GMSH_TRY(E, tools[2 * j + 1] = gmshModelOccAddSphere(p->x[0], p->x[1], p->x[2], r, -1, -NPP_PI / 2, NPP_PI / 2, 2 * NPP_PI, IERR));
    else GMSH_TRY(E, tools[2 * j + 1] = gmshModelOccAddDisk(p->x[0], p->x[1], 0, r, r, -1, IERR));
  }
  GMSH_TRY(E, gmshModelOccFragment(box, 2, tools, 2 * nt, &out, &nout, &map, &nmap, &nnmap, -1, 1, 1, IERR));
  *mat = malloc((nmap[0] / 2 + 1) * sizeof **mat), *par = malloc((nmap[0] / 2 + 1) * sizeof **par), *shl = malloc((nmap[0] / 2 + 1) * sizeof **shl);
  for (size_t k = 0; k < nmap[0] / 2; k++) { /* box pieces: matrix unless a particle shares them */
    const int tag        = map[0][2 * k + 1];
    int       isParticle = 0, isShell = 0;
    for (int i = 0; i < n && !isParticle; i++) isParticle = Contains(map[1 + i], nmap[1 + i], tag);
    for (int i = n; i < nt && !isParticle && !isShell; i++) isShell = Contains(map[1 + i], nmap[1 + i], tag);
    if (isParticle) (*par)[(*npar)++] = tag;
    else if (isShell) (*shl)[(*nshl)++] = tag;
    else (*mat)[(*nmat)++] = tag;
  }
  for (int i = 0; i < nt; i++) /* pieces outside the box, once each (a core's are also its shell's) */
    for (size_t k = 0; k < nmap[1 + i] / 2; k++) {
      const int tag = map[1 + i][2 * k + 1];
      if (!Contains(map[0], nmap[0], tag) && !Contains(outside, 2 * noutside, tag) && noutside < 8 * (size_t)nt + 1) outside[2 * noutside] = dim, outside[2 * noutside++ + 1] = tag;
    }
  if (noutside) GMSH_TRY(E, gmshModelOccRemove(outside, 2 * noutside, 1, IERR));
  GMSH_TRY(E, gmshModelOccSynchronize(IERR));
  for (size_t i = 0; i < nnmap; i++) gmshFree(map[i]);
  gmshFree(map), gmshFree(nmap), gmshFree(out), free(tools), free(outside);
  return 0;
fail:
  free(tools), free(outside);
  return 1;
}

/* Shells thinner than 2 interface_size: cells of hs = max(t/2, interface_size/4) in the shell
   volumes and on all their boundary entities (a Restrict field applies to the listed entities
   only, exactly, unlike a distance threshold sampled on the surfaces). */
static int ShellField(NppGmshErr *E, const NppGmshParticlesSpec *s, const int *shl, size_t nshl, double hs, int *field)
{
  int    *dt = malloc(2 * nshl * sizeof *dt), *bnd[3] = {NULL, NULL, NULL}, cst, ierr_ = 0;
  size_t  nb[3] = {0, 0, 0};
  double *list  = NULL;
  char    expr[64];
  int     rc = 1;

  for (size_t k = 0; k < nshl; k++) dt[2 * k] = s->dim, dt[2 * k + 1] = shl[k];
  /* boundary entities of each lower dimension: the surfaces (3D) or curves (2D), then theirs */
  GMSH_TRY(E, gmshModelGetBoundary(dt, 2 * nshl, &bnd[0], &nb[0], 0, 0, 0, IERR));
  GMSH_TRY(E, gmshModelGetBoundary(bnd[0], nb[0], &bnd[1], &nb[1], 0, 0, 0, IERR));
  if (s->dim == 3) GMSH_TRY(E, gmshModelGetBoundary(bnd[1], nb[1], &bnd[2], &nb[2], 0, 0, 0, IERR));
  snprintf(expr, sizeof expr, "%.17g", hs);
  GMSH_TRY(E, cst = gmshModelMeshFieldAdd("MathEval", -1, IERR));
  GMSH_TRY(E, gmshModelMeshFieldSetString(cst, "F", expr, IERR));
  GMSH_TRY(E, *field = gmshModelMeshFieldAdd("Restrict", -1, IERR));
  gmshModelMeshFieldSetNumber(*field, "InField", cst, &ierr_);
  if (ierr_) GMSH_TRY(E, gmshModelMeshFieldSetNumber(*field, "IField", cst, IERR));
  {
    size_t most = nshl;
    for (int d = 0; d < 3; d++) most = nb[d] / 2 > most ? nb[d] / 2 : most;
    list = malloc((most + 1) * sizeof *list);
  }
  for (int d = s->dim; d >= 0; d--) { /* entities of dimension d */
    static const char *names[4] = {"PointsList", "CurvesList", "SurfacesList", "VolumesList"};
    const int         *src      = d == s->dim ? dt : bnd[s->dim - 1 - d];
    const size_t       m        = d == s->dim ? nshl : nb[s->dim - 1 - d] / 2;
    size_t             u        = 0;
    for (size_t k = 0; k < m; k++) { /* absolute tags, without repeats */
      const double tag = abs(src[2 * k + 1]);
      size_t       j   = 0;
      while (j < u && list[j] != tag) j++;
      if (j == u) list[u++] = tag;
    }
    GMSH_TRY(E, gmshModelMeshFieldSetNumbers(*field, names[d], list, u, IERR));
  }
  rc = 0;
fail:
  free(dt), free(list);
  for (int d = 0; d < 3; d++)
    if (bnd[d]) gmshFree(bnd[d]);
  return rc;
}

/* Cell size interface_size at the particle surfaces (and the shells' outer surfaces), growing
   to size over two radii; thin shells refined by ShellField. */
static int SizeField(NppGmshErr *E, const NppGmshParticlesSpec *s, const int *par, size_t npar, const int *shl, size_t nshl)
{
  int    *bnd   = NULL, thr;
  size_t  nb    = 0;
  double *faces = NULL;
  int    *pdt   = malloc(2 * (npar + nshl) * sizeof *pdt);

  for (size_t k = 0; k < npar; k++) pdt[2 * k] = s->dim, pdt[2 * k + 1] = par[k];
  for (size_t k = 0; k < nshl; k++) pdt[2 * (npar + k)] = s->dim, pdt[2 * (npar + k) + 1] = shl[k];
  GMSH_TRY(E, gmshModelGetBoundary(pdt, 2 * (npar + nshl), &bnd, &nb, 0, 0, 0, IERR));
  faces = malloc((nb / 2 + 1) * sizeof *faces);
  for (size_t k = 0; k < nb / 2; k++) faces[k] = abs(bnd[2 * k + 1]);
  if (NppGmshDistanceThreshold(E, s->dim, faces, nb / 2, 0, s->interface_size, s->size, 2 * s->radius, &thr)) goto fail;
  if (nshl && s->shell_thickness < 2 * s->interface_size) {
    const double hs = fmax(0.5 * s->shell_thickness, 0.25 * s->interface_size);
    int          shell, min;
    double       both[2];
    if (ShellField(E, s, shl, nshl, hs, &shell)) goto fail;
    GMSH_TRY(E, min = gmshModelMeshFieldAdd("Min", -1, IERR));
    both[0] = thr, both[1] = shell;
    GMSH_TRY(E, gmshModelMeshFieldSetNumbers(min, "FieldsList", both, 2, IERR));
    thr = min;
  }
  if (NppGmshBackgroundField(E, thr, s->size)) goto fail;
  free(faces), free(pdt), gmshFree(bnd);
  return 0;
fail:
  free(faces), free(pdt);
  return 1;
}

static int Measure(NppGmshErr *E, int dim, const int *tags, size_t n, double *vol)
{
  *vol = 0;
  for (size_t k = 0; k < n; k++) {
    double m;
    GMSH_TRY(E, gmshModelOccGetMass(dim, tags[k], &m, IERR));
    *vol += m;
  }
  return 0;
fail:
  return 1;
}

int NppGmshParticles(const NppGmshParticlesSpec *spec, const char *path, NppGmshReport *rep, char *err, size_t errlen)
{
  NppGmshErr           E      = {err, errlen};
  NppGmshParticlesSpec scaled = *spec, *s = &scaled;
  Particle            *P = NULL;
  int                  n = 0, *mat = NULL, *par = NULL, *shl = NULL;
  size_t               nmat = 0, npar = 0, nshl = 0;
  double               vol = 0, svol = 0, boxm, unit = 0;

  memset(rep, 0, sizeof *rep);
  if (Check(spec, err, errlen)) return 1;
  /* Build at unit scale (OpenCASCADE's tolerances are absolute, ~1e-7) and scale on writing. */
  for (int i = 0; i < s->dim; i++) unit = fmax(unit, s->box[i]);
  for (int i = 0; i < 3; i++) s->box[i] /= unit;
  s->radius /= unit, s->size /= unit, s->interface_size /= unit, s->shell_thickness /= unit;
  boxm = s->dim == 3 ? s->box[0] * s->box[1] * s->box[2] : s->box[0] * s->box[1];
  if (Place(s, unit, &P, &n, err, errlen)) return 1;
  if (NppGmshBegin(&E, s->verbose)) goto fail;
  if (Build(&E, s, P, n, &mat, &nmat, &par, &npar, &shl, &nshl)) goto fail;
  if (Measure(&E, s->dim, par, npar, &vol) || Measure(&E, s->dim, shl, nshl, &svol)) goto fail;
  if (NppGmshRegion(&E, s->dim, mat, nmat, 1, s->matrix_name) || NppGmshRegion(&E, s->dim, par, npar, 2, s->particle_name)) goto fail;
  if (nshl && NppGmshRegion(&E, s->dim, shl, nshl, 3, s->shell_name)) goto fail;
  if (NppGmshBoxBoundaries(&E, s->dim, s->box)) goto fail;
  if (SizeField(&E, s, par, npar, shl, nshl)) goto fail;
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.Algorithm", 5, IERR));
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.Algorithm3D", s->algorithm3d ? s->algorithm3d : 1, IERR));
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.ScalingFactor", unit, IERR));
  if (NppGmshMeshAndWrite(&E, s->dim, path, &rep->ncells)) goto fail;
  rep->nparticles      = n;
  rep->volume_fraction = vol / boxm;
  rep->shell_fraction  = svol / boxm;
  NppGmshEnd();
  free(P), free(mat), free(par), free(shl);
  return 0;
fail:
  NppGmshEnd();
  free(P), free(mat), free(par), free(shl);
  return 1;
}
