/* SPDX-License-Identifier: BSD-2-Clause */
/* `anode`: a Li-metal surface at x = 0 with protrusions (hemispheres, cones, capped cylinders) or
   a random rough surface, an SEI of uniform thickness following it, an electrolyte slab
   (optionally a particle composite) and a flat counter electrode at x = thickness.

   Protrusions: the SEI is the exact Minkowski offset (slab 0 < x < d united with each shape
   dilated by d, less the shapes), built from OCC primitives; the box minus the shapes is
   fragmented with that union and the particles, so every interface is conformal, and the
   pieces are told apart by the fragment's map.
   Rough surface: x = h(y) (2D) or h(y, z) (3D), h a periodic sum of random Fourier modes with a
   Gaussian spectrum, scaled to rms = roughness_amplitude exactly and shifted to min h = 0. 2D: a
   spline through the samples, the SEI bounded by the spline through the samples moved by d along
   the exact normal. 3D: a cubic B-spline surface interpolating the samples, the SEI bounded by the
   same surface shifted by d along x (normal thickness d / sqrt(1 + |grad h|^2)). A box from below
   the surface to x = thickness is fragmented with the surface(s), the Li part removed. */
#include "gmsh_common.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATTEMPTS 200000
#define NPP_PI       3.14159265358979323846

static const char *const ShapeName[] = {"none", "hemisphere", "cone", "cylinder"};

typedef struct {
  double x[3], r;
} Particle;

typedef struct {
  int   *v;
  size_t n, cap;
} IntList;

static void Push(IntList *l, int a)
{
  if (l->n == l->cap) l->v = realloc(l->v, (l->cap = l->cap ? 2 * l->cap : 16) * sizeof *l->v);
  l->v[l->n++] = a;
}

/* Frees what gmshModelOccFragment returned. */
static void FreeFragment(int *out, int **map, size_t *nmap, size_t nnmap)
{
  if (map) {
    for (size_t i = 0; i < nnmap; i++) gmshFree(map[i]);
    gmshFree(map);
  }
  if (nmap) gmshFree(nmap);
  if (out) gmshFree(out);
}

static int Has(const int *dimTags, size_t n, int tag)
{
  for (size_t k = 0; k < n / 2; k++)
    if (dimTags[2 * k + 1] == tag) return 1;
  return 0;
}

/* The geometry at unit scale (lengths divided by `unit`) and what is derived from it. */
typedef struct {
  NppGmshAnodeSpec s;
  double           unit;
  int              rough; /* roughness_amplitude > 0 */
  int              n;     /* protrusions */
  double (*c)[2];         /* their centres (y, z) */
  double  H, ext;         /* tip height; extension of the shapes below x = 0 */
  double  top;            /* highest x of the anode with its SEI */
  int     nmodes;         /* rough: modes of 4 numbers (qy, qz, a, b) */
  double *mode;
  double  hshift, hmax; /* rough: h = sum of modes - hshift, max h */
  int     N[2];         /* rough: spline intervals per width along y, z */
} Anode;

static double Gaussian(uint64_t *state)
{
  const double u = 1 - NppGmshUniform(state), v = NppGmshUniform(state);
  return sqrt(-2 * log(u)) * cos(2 * NPP_PI * v);
}

/* Pitch and first centre of the protrusions along y (axis 0) or z (axis 1). */
static void Row(const NppGmshAnodeSpec *s, int axis, double *pitch, double *first)
{
  const int n = s->count[axis];
  *pitch      = s->pitch[axis] > 0 ? s->pitch[axis] : s->width[axis] / n;
  *first      = 0.5 * s->width[axis] - 0.5 * (n - 1) * *pitch;
}

/* Tip height of a protrusion. */
static double Tip(const NppGmshAnodeSpec *s)
{
  return s->shape == NPP_PROTRUSION_HEMISPHERE ? s->radius : s->height;
}

static int Positive(double v)
{
  return v > 0 && isfinite(v);
}

static int Check(const NppGmshAnodeSpec *s, char *err, size_t len)
{
  const double d = s->sei_thickness;
  if (s->dim != 2 && s->dim != 3) return snprintf(err, len, "anode: dim = %d must be 2 or 3", s->dim), 1;
  if (!Positive(s->thickness)) return snprintf(err, len, "anode: thickness = %g must be positive", s->thickness), 1;
  for (int i = 0; i + 1 < s->dim; i++)
    if (!Positive(s->width[i])) return snprintf(err, len, "anode: width[%d] = %g must be positive", i, s->width[i]), 1;
  if (!Positive(s->size)) return snprintf(err, len, "anode: size = %g must be positive", s->size), 1;
  if (!Positive(s->tip_size)) return snprintf(err, len, "anode: tip_size = %g must be positive", s->tip_size), 1;
  if (s->tip_size > s->size) return snprintf(err, len, "anode: tip_size = %g must not exceed size = %g", s->tip_size, s->size), 1;
  if (s->shape < NPP_PROTRUSION_NONE || s->shape > NPP_PROTRUSION_CYLINDER) return snprintf(err, len, "anode: shape = %d is not none, hemisphere, cone or cylinder", s->shape), 1;
  if (!(d >= 0) || !isfinite(d)) return snprintf(err, len, "anode: sei_thickness = %g must be >= 0", d), 1;
  if (!(s->roughness_amplitude >= 0) || !isfinite(s->roughness_amplitude)) return snprintf(err, len, "anode: roughness_amplitude = %g must be >= 0", s->roughness_amplitude), 1;
  if (s->roughness_amplitude > 0 && !Positive(s->roughness_length)) return snprintf(err, len, "anode: roughness_length = %g must be positive with a rough surface", s->roughness_length), 1;
  if (s->roughness_amplitude > 0 && s->shape != NPP_PROTRUSION_NONE) return snprintf(err, len, "anode: roughness_amplitude = %g cannot be combined with shape = %s (use shape none)", s->roughness_amplitude, ShapeName[s->shape]), 1;
  if (!(s->particle_fraction >= 0 && s->particle_fraction < 0.5)) return snprintf(err, len, "anode: particle_fraction = %g is outside [0, 0.5)", s->particle_fraction), 1;
  if (s->particle_fraction > 0 && !Positive(s->particle_radius)) return snprintf(err, len, "anode: particle_radius = %g must be positive", s->particle_radius), 1;
  if (!s->electrolyte_name[0]) return snprintf(err, len, "anode: electrolyte_name is empty"), 1;
  if (d > 0 && !s->sei_name[0]) return snprintf(err, len, "anode: sei_name is empty"), 1;
  if (s->particle_fraction > 0 && !s->particle_name[0]) return snprintf(err, len, "anode: particle_name is empty"), 1;
  if (d > 0 && !strcmp(s->sei_name, s->electrolyte_name)) return snprintf(err, len, "anode: sei_name and electrolyte_name are both '%s'", s->sei_name), 1;
  if (s->particle_fraction > 0 && !strcmp(s->particle_name, s->electrolyte_name)) return snprintf(err, len, "anode: particle_name and electrolyte_name are both '%s'", s->particle_name), 1;
  if (d > 0 && s->particle_fraction > 0 && !strcmp(s->particle_name, s->sei_name)) return snprintf(err, len, "anode: particle_name and sei_name are both '%s'", s->sei_name), 1;
  if (s->shape == NPP_PROTRUSION_NONE) {
    if (s->roughness_amplitude == 0 && s->thickness - d < 2 * s->tip_size) return snprintf(err, len, "anode: sei_thickness = %g leaves less than 2 tip_size = %g below the counter electrode at thickness = %g", d, 2 * s->tip_size, s->thickness), 1;
    return 0;
  }
  if (!Positive(s->radius)) return snprintf(err, len, "anode: radius = %g must be positive for shape = %s", s->radius, ShapeName[s->shape]), 1;
  if (s->shape == NPP_PROTRUSION_CONE && !Positive(s->height)) return snprintf(err, len, "anode: height = %g of the cone must be positive", s->height), 1;
  if (s->shape == NPP_PROTRUSION_CYLINDER && !(s->height >= s->radius && isfinite(s->height))) return snprintf(err, len, "anode: height = %g of the capped cylinder must be >= radius = %g", s->height, s->radius), 1;
  for (int axis = 0; axis + 1 < s->dim; axis++) {
    const double rho = s->radius + d; /* lateral extent of a protrusion with its SEI */
    double       p, y0;
    if (s->count[axis] < 1) return snprintf(err, len, "anode: count[%d] = %d must be >= 1", axis, s->count[axis]), 1;
    if (!(s->pitch[axis] >= 0) || !isfinite(s->pitch[axis])) return snprintf(err, len, "anode: pitch[%d] = %g must be >= 0 (0: width/count)", axis, s->pitch[axis]), 1;
    Row(s, axis, &p, &y0);
    if (s->count[axis] > 1 && p - 2 * rho < s->tip_size)
      return snprintf(err, len, "anode: pitch[%d] = %g overlaps neighbouring protrusions of radius %g with SEI %g (need >= 2 (radius + sei_thickness) + tip_size = %g)", axis, p, s->radius, d, 2 * rho + s->tip_size), 1;
    if (y0 - rho < s->tip_size)
      return snprintf(err, len, "anode: protrusions of radius = %g with sei_thickness = %g, count[%d] = %d at pitch %g, do not fit in width[%d] = %g with a gap of tip_size = %g to the sides", s->radius, d, axis, s->count[axis], p, axis, s->width[axis], s->tip_size), 1;
  }
  if (s->thickness - (Tip(s) + d) < 2 * s->tip_size) return snprintf(err, len, "anode: height = %g plus sei_thickness = %g leaves less than 2 tip_size = %g below the counter electrode at thickness = %g", Tip(s), d, 2 * s->tip_size, s->thickness), 1;
  return 0;
}

/* h(y, z) - hshift and, in 2D, its first and second derivatives in y. */
static double Height(const Anode *A, double y, double z, double *hy, double *hyy)
{
  double h = 0, h1 = 0, h2 = 0;
  for (int k = 0; k < A->nmodes; k++) {
    const double *m = A->mode + 4 * k, ph = m[0] * y + m[1] * z, c = cos(ph), s = sin(ph);
    h += m[2] * c + m[3] * s;
    h1 += m[0] * (m[3] * c - m[2] * s);
    h2 -= m[0] * m[0] * (m[2] * c + m[3] * s);
  }
  if (hy) *hy = h1;
  if (hyy) *hyy = h2;
  return h - A->hshift;
}

/* The random modes: Gaussian correlation exp(-r^2/l^2), i.e. spectral density ~ exp(-q^2 l^2/4),
   periodic over the width; modes up to q l/2 = 4 (the rest weighs less than e^-16). */
static int RoughModes(Anode *A, char *err, size_t len)
{
  const NppGmshAnodeSpec *s = &A->s;
  const double            l = s->roughness_length, d = s->sei_thickness;
  const int               K   = (int)fmax(1, ceil(4 * s->width[0] / (NPP_PI * l)));
  const int               Kz  = s->dim == 3 ? (int)fmax(1, ceil(4 * s->width[1] / (NPP_PI * l))) : 0;
  uint64_t                rng = 0xA40DE000ull + s->seed;
  double                  var = 0;

  A->mode   = malloc(4 * (size_t)(K + 1) * (2 * Kz + 1) * sizeof *A->mode);
  A->nmodes = 0;
  for (int k = 0; k <= K; k++)
    for (int m = -Kz; m <= Kz; m++) {
      double *md = A->mode + 4 * A->nmodes;
      if (k == 0 && m <= 0) continue; /* half of the wavevector plane: real modes */
      md[0]          = 2 * NPP_PI * k / s->width[0];
      md[1]          = s->dim == 3 ? 2 * NPP_PI * m / s->width[1] : 0;
      const double S = exp(-0.25 * (md[0] * md[0] + md[1] * md[1]) * l * l);
      md[2] = sqrt(S) * Gaussian(&rng), md[3] = sqrt(S) * Gaussian(&rng);
      var += 0.5 * (md[2] * md[2] + md[3] * md[3]);
      A->nmodes++;
    }
  for (int k = 0; k < A->nmodes; k++) A->mode[4 * k + 2] *= s->roughness_amplitude / sqrt(var), A->mode[4 * k + 3] *= s->roughness_amplitude / sqrt(var);
  /* spline intervals per width: 8 per correlation length, at least 16 (3D: at most 128) */
  for (int i = 0; i + 1 < s->dim; i++) {
    A->N[i] = (int)fmax(16, ceil(8 * s->width[i] / l));
    if (s->dim == 3 && A->N[i] > 128) A->N[i] = 128;
  }
  /* min and max of h (and the smallest radius of curvature of the valleys, 2D) on a grid four
     (3D: two) times finer than the spline's, the extrema then polished on a grid 8 times finer
     about the grid's */
  {
    const int    ny = (s->dim == 3 ? 2 : 4) * A->N[0], nz = s->dim == 3 ? 2 * A->N[1] : 1;
    const double dy = s->width[0] / ny, dz = s->dim == 3 ? s->width[1] / nz : 0;
    double       lo = INFINITY, hi = -INFINITY, kmax = 0,
           at[2][2] = {
             {0, 0},
             {0, 0}
    };
    A->hshift = 0;
    for (int i = 0; i < ny; i++)
      for (int j = 0; j < nz; j++) {
        double       h1, h2;
        const double h = Height(A, i * dy, j * dz, &h1, &h2);
        if (h < lo) lo = h, at[0][0] = i * dy, at[0][1] = j * dz;
        if (h > hi) hi = h, at[1][0] = i * dy, at[1][1] = j * dz;
        if (s->dim == 2) kmax = fmax(kmax, h2 / pow(1 + h1 * h1, 1.5));
      }
    for (int e = 0; e < 2; e++)
      for (int i = -8; i <= 8; i++)
        for (int j = s->dim == 3 ? -8 : 0; j <= (s->dim == 3 ? 8 : 0); j++) {
          const double h = Height(A, at[e][0] + i * dy / 8, at[e][1] + j * dz / 8, NULL, NULL);
          lo = fmin(lo, h), hi = fmax(hi, h);
        }
    A->hshift = lo, A->hmax = hi - lo;
    if (s->dim == 2 && d > 0 && kmax * d >= 1)
      return snprintf(err, len, "anode: the rough surface (roughness_amplitude = %g, roughness_length = %g) has valleys of curvature radius %g < sei_thickness = %g: the SEI offset would fold; use a longer roughness_length or a smaller amplitude", s->roughness_amplitude * A->unit, l * A->unit, A->unit / kmax, d * A->unit), 1;
  }
  if (s->thickness - (A->hmax + d) < 2 * s->tip_size)
    return snprintf(err, len, "anode: the rough surface peaks at x = %g; with sei_thickness = %g it leaves less than 2 tip_size = %g below the counter electrode at thickness = %g", A->hmax * A->unit, d * A->unit, 2 * s->tip_size * A->unit, s->thickness * A->unit), 1;
  return 0;
}

/* Measure of the part of a particle inside the side faces (y, z): the full ball less the caps cut
   off by the faces it crosses (corner double counts neglected; only steers the placement). */
static double InsideMeasure(const NppGmshAnodeSpec *s, const Particle *p)
{
  double m = s->dim == 3 ? 4.0 / 3.0 * NPP_PI * pow(p->r, 3) : NPP_PI * p->r * p->r;
  for (int i = 1; i < s->dim; i++)
    for (int side = 0; side < 2; side++) {
      const double d = side ? s->width[i - 1] - p->x[i] : p->x[i];
      if (d >= p->r) continue;
      const double h = p->r - d;
      m -= s->dim == 3 ? NPP_PI * h * h * (3 * p->r - h) / 3 : p->r * p->r * acos(d / p->r) - d * sqrt(p->r * p->r - d * d);
    }
  return m;
}

/* Random sequential addition in the composite layer top + r < x < thickness - r (particles one
   radius off the SEI and the counter electrode), gap 0.1 r between particles; the side faces cut
   a particle only near its equator, else it keeps 0.1 r off them (as `particles`). */
static int Place(const Anode *A, Particle **out, int *n, double *layer, char *err, size_t len)
{
  const NppGmshAnodeSpec *s = &A->s;
  const double            r = s->particle_radius, x0 = A->top + r, x1 = s->thickness - r;
  int                     cap = 64, attempts = 0;
  uint64_t                rng    = 0xC0B05000ull + s->seed;
  double                  filled = 0;
  Particle               *P;

  *n = 0, *out = NULL;
  if (x1 - x0 < 2 * r)
    return snprintf(err, len, "anode: particle_radius = %g does not fit between the anode with its SEI (up to x = %g) and the counter electrode at thickness = %g with one radius of clearance each side", r * A->unit, A->top * A->unit, s->thickness * A->unit), 1;
  *layer = (x1 - x0) * s->width[0] * (s->dim == 3 ? s->width[1] : 1);
  P      = malloc(cap * sizeof *P);
  while (filled < s->particle_fraction * *layer) {
    Particle c = {
      {0, 0, 0},
      r
    };
    int ok = 1;
    if (++attempts > MAX_ATTEMPTS) {
      snprintf(err, len, "anode: particle_fraction = %g not reached after %d attempts (%.3f placed); lower it", s->particle_fraction, MAX_ATTEMPTS, filled / *layer);
      free(P);
      return 1;
    }
    c.x[0] = x0 + r + (x1 - x0 - 2 * r) * NppGmshUniform(&rng);
    for (int i = 1; i < s->dim; i++) c.x[i] = s->width[i - 1] * NppGmshUniform(&rng);
    for (int i = 1; i < s->dim && ok; i++) {
      const double d = fmin(c.x[i], s->width[i - 1] - c.x[i]);
      ok             = d < 0.5 * r || d > 1.1 * r;
    }
    for (int j = 0; j < *n && ok; j++) {
      double d2 = 0;
      for (int i = 0; i < s->dim; i++) d2 += (c.x[i] - P[j].x[i]) * (c.x[i] - P[j].x[i]);
      ok = sqrt(d2) > 2.1 * r;
    }
    if (!ok) continue;
    if (*n == cap) P = realloc(P, (cap *= 2) * sizeof *P);
    P[(*n)++] = c;
    filled += InsideMeasure(s, &c);
  }
  *out = P;
  return 0;
}

/* A plane polygon (2D) from its corners (x, y). */
static int Polygon(NppGmshErr *E, int n, const double *xy, int *tag)
{
  int pts[8], lines[8], loop;
  for (int i = 0; i < n; i++) GMSH_TRY(E, pts[i] = gmshModelOccAddPoint(xy[2 * i], xy[2 * i + 1], 0, 0, -1, IERR));
  for (int i = 0; i < n; i++) GMSH_TRY(E, lines[i] = gmshModelOccAddLine(pts[i], pts[(i + 1) % n], -1, IERR));
  GMSH_TRY(E, loop = gmshModelOccAddCurveLoop(lines, n, -1, IERR));
  GMSH_TRY(E, *tag = gmshModelOccAddPlaneSurface(&loop, 1, -1, IERR));
  return 0;
fail:
  return 1;
}

/* A ball (3D, axis along x so that the plane x = 0 is an equator, not through the poles) or a disk. */
static int Ball(NppGmshErr *E, int dim, double x, double y, double z, double r, IntList *dt)
{
  int tag;
  if (dim == 3) {
    int one[2];
    GMSH_TRY(E, tag = gmshModelOccAddSphere(x, y, z, r, -1, -NPP_PI / 2, NPP_PI / 2, 2 * NPP_PI, IERR));
    one[0] = 3, one[1] = tag;
    GMSH_TRY(E, gmshModelOccRotate(one, 2, x, y, z, 0, 1, 0, NPP_PI / 2, IERR));
  } else GMSH_TRY(E, tag = gmshModelOccAddDisk(x, y, 0, r, r, -1, IERR));
  Push(dt, dim), Push(dt, tag);
  return 0;
fail:
  return 1;
}

/* The OCC parts of one protrusion centred at (y, z), dilated by g (0: the Li shape itself, which
   extends below x = 0 by A->ext to avoid coincident faces), appended to dt. Their union is the
   shape (g = 0) or, restricted to x >= 0 and united with the slab 0 < x < g, its exact dilation. */
static int Protrusion(NppGmshErr *E, const Anode *A, double y, double z, double g, IntList *dt)
{
  const NppGmshAnodeSpec *s   = &A->s;
  const int               dim = s->dim;
  const double            R = s->radius, H = A->H, e = A->ext;
  int                     tag;

  switch (s->shape) {
  case NPP_PROTRUSION_HEMISPHERE:
    return Ball(E, dim, 0, y, z, R + g, dt);
  case NPP_PROTRUSION_CYLINDER:
    if (H - R > 1e-6 * R) {
      if (dim == 3) GMSH_TRY(E, tag = gmshModelOccAddCylinder(-e, y, z, H - R + e, 0, 0, R + g, -1, 2 * NPP_PI, IERR));
      else GMSH_TRY(E, tag = gmshModelOccAddRectangle(-e, y - R - g, 0, H - R + e, 2 * (R + g), -1, 0, IERR));
      Push(dt, dim), Push(dt, tag);
    }
    return Ball(E, dim, H - R, y, z, R + g, dt);
  case NPP_PROTRUSION_CONE: {
    /* lateral surface moved out by g along its normal, down to x = -e, up to its tangency with
       the ball of radius g at the apex */
    const double L = sqrt(R * R + H * H), r0 = R + g * L / H + e * R / H, xt = H + g * R / L, rt = g * H / L;
    if (dim == 3) GMSH_TRY(E, tag = gmshModelOccAddCone(-e, y, z, xt + e, 0, 0, r0, rt, -1, 2 * NPP_PI, IERR));
    else if (g > 0) {
      const double xy[8] = {-e, y - r0, xt, y - rt, xt, y + rt, -e, y + r0};
      if (Polygon(E, 4, xy, &tag)) goto fail;
    } else {
      const double xy[6] = {-e, y - r0, H, y, -e, y + r0};
      if (Polygon(E, 3, xy, &tag)) goto fail;
    }
    Push(dt, dim), Push(dt, tag);
    return g > 0 ? Ball(E, dim, H, y, z, g, dt) : 0;
  }
  default:
    return 0;
  }
fail:
  return 1;
}

static int Particles(NppGmshErr *E, int dim, const Particle *P, int n, IntList *dt)
{
  for (int i = 0; i < n; i++) {
    int tag;
    if (dim == 3) GMSH_TRY(E, tag = gmshModelOccAddSphere(P[i].x[0], P[i].x[1], P[i].x[2], P[i].r, -1, -NPP_PI / 2, NPP_PI / 2, 2 * NPP_PI, IERR));
    else GMSH_TRY(E, tag = gmshModelOccAddDisk(P[i].x[0], P[i].x[1], 0, P[i].r, P[i].r, -1, IERR));
    Push(dt, dim), Push(dt, tag);
  }
  return 0;
fail:
  return 1;
}

/* Flat anode and protrusions: outer = box - shapes; fill = slab U dilated shapes; fragmented
   with the particles. Pieces of outer are SEI if also in fill, particle if in a particle, else
   electrolyte; the rest (below x = 0, inside the shapes, outside the sides) is removed. */
static int BuildProtrusions(NppGmshErr *E, const Anode *A, const Particle *P, int np, IntList reg[3])
{
  const NppGmshAnodeSpec *s   = &A->s;
  const int               dim = s->dim;
  const double            d   = s->sei_thickness;
  IntList                 li = {0}, fill = {0}, tools = {0}, outer = {0}, gone = {0};
  int                    *out = NULL, **map = NULL, box, rc = 1;
  size_t                  nout = 0, *nmap = NULL, nnmap = 0, nobj;

  if (dim == 3) GMSH_TRY(E, box = gmshModelOccAddBox(0, 0, 0, s->thickness, s->width[0], s->width[1], -1, IERR));
  else GMSH_TRY(E, box = gmshModelOccAddRectangle(0, 0, 0, s->thickness, s->width[0], -1, 0, IERR));
  for (int i = 0; i < A->n; i++)
    if (Protrusion(E, A, A->c[i][0], A->c[i][1], 0, &li)) goto fail;
  if (li.n) {
    const int obj[2] = {dim, box};
    GMSH_TRY(E, gmshModelOccCut((int *)obj, 2, li.v, li.n, &out, &nout, &map, &nmap, &nnmap, -1, 1, 1, IERR));
    for (size_t k = 0; k < nout; k++) Push(&outer, out[k]);
    FreeFragment(out, map, nmap, nnmap), map = NULL, nmap = NULL, out = NULL;
  } else Push(&outer, dim), Push(&outer, box);
  if (d > 0) {
    int slab;
    if (dim == 3) GMSH_TRY(E, slab = gmshModelOccAddBox(0, 0, 0, d, s->width[0], s->width[1], -1, IERR));
    else GMSH_TRY(E, slab = gmshModelOccAddRectangle(0, 0, 0, d, s->width[0], -1, 0, IERR));
    for (int i = 0; i < A->n; i++)
      if (Protrusion(E, A, A->c[i][0], A->c[i][1], d, &tools)) goto fail;
    if (tools.n) {
      const int obj[2] = {dim, slab};
      GMSH_TRY(E, gmshModelOccFuse((int *)obj, 2, tools.v, tools.n, &out, &nout, &map, &nmap, &nnmap, -1, 1, 1, IERR));
      for (size_t k = 0; k < nout; k++) Push(&fill, out[k]);
      FreeFragment(out, map, nmap, nnmap), map = NULL, nmap = NULL, out = NULL;
    } else Push(&fill, dim), Push(&fill, slab);
  }
  tools.n = 0;
  for (size_t k = 0; k < fill.n; k++) Push(&tools, fill.v[k]);
  if (Particles(E, dim, P, np, &tools)) goto fail;
  if (!tools.n) { /* no SEI, no particles: outer is the electrolyte */
    for (size_t k = 0; k < outer.n / 2; k++) Push(&reg[1], outer.v[2 * k + 1]);
    GMSH_TRY(E, gmshModelOccSynchronize(IERR));
    rc = 0;
    goto fail;
  }
  GMSH_TRY(E, gmshModelOccFragment(outer.v, outer.n, tools.v, tools.n, &out, &nout, &map, &nmap, &nnmap, -1, 1, 1, IERR));
  nobj = outer.n / 2;
  for (size_t k = 0; k < nout / 2; k++) {
    const int tag     = out[2 * k + 1];
    int       inOuter = 0, inFill = 0, inParticle = 0;
    for (size_t i = 0; i < nnmap; i++) {
      if (!Has(map[i], nmap[i], tag)) continue;
      if (i < nobj) inOuter = 1;
      else if (i < nobj + fill.n / 2) inFill = 1;
      else inParticle = 1;
    }
    if (!inOuter) Push(&gone, dim), Push(&gone, tag);
    else Push(&reg[inFill ? 0 : inParticle ? 2 : 1], tag);
  }
  if (gone.n) GMSH_TRY(E, gmshModelOccRemove(gone.v, gone.n, 1, IERR));
  GMSH_TRY(E, gmshModelOccSynchronize(IERR));
  rc = 0;
fail:
  FreeFragment(out, map, nmap, nnmap);
  free(li.v), free(fill.v), free(tools.v), free(outer.v), free(gone.v);
  return rc;
}

/* Control point coefficient of a uniform cubic B-spline interpolating cos(q y) at its knots. */
static double Prefilter(double q, double h)
{
  return 3 / (2 + cos(q * h));
}

/* The rough anode (and its SEI boundary) as curves (2D) or surfaces (3D) over the width extended
   by a few intervals on each side; appended to dt. */
static int RoughSurfaces(NppGmshErr *E, const Anode *A, IntList *dt)
{
  const NppGmshAnodeSpec *s   = &A->s;
  const double            d   = s->sei_thickness;
  IntList                 pts = {0};
  int                     tag, rc = 1, *tags = NULL;
  double                 *xi[2] = {NULL, NULL};

  if (s->dim == 2) {
    const double h  = s->width[0] / A->N[0];
    const int    Ex = 4 + (int)ceil(2 * d / h); /* the offset curve must still span the width */
    tags            = malloc((A->N[0] + 2 * Ex + 1) * sizeof *tags);
    for (int pass = 0; pass < (d > 0 ? 2 : 1); pass++) {
      size_t np = 0;
      pts.n     = 0;
      for (int j = -Ex; j <= A->N[0] + Ex; j++) {
        double       h1;
        const double y = j * h, x = Height(A, y, 0, &h1, NULL), nn = sqrt(1 + h1 * h1);
        /* pass 1: moved by d along the normal (1, -h') / |.|, towards the electrolyte */
        GMSH_TRY(E, tags[np] = gmshModelOccAddPoint(x + pass * d / nn, y - pass * d * h1 / nn, 0, 0, -1, IERR));
        Push(&pts, 0), Push(&pts, tags[np++]);
      }
      GMSH_TRY(E, tag = gmshModelOccAddSpline(tags, np, -1, IERR));
      /* the end points are the curve's vertices; the inner ones are free and go */
      GMSH_TRY(E, gmshModelOccRemove(pts.v + 2, pts.n - 4, 0, IERR));
      Push(dt, 1), Push(dt, tag);
    }
  } else {
    /* uniform clamped cubic B-spline surface (Gmsh's default knots 0, 1, ..., m) whose control
       points sit at the Greville abscissae, so that (y, z) is linear in (u, v); away from the
       clamped ends the x of the control points are the modes prefiltered so that the surface
       interpolates h at the knots */
    const int E4 = 4, m[2] = {A->N[0] + 2 * E4, A->N[1] + 2 * E4}, n[2] = {m[0] + 3, m[1] + 3};
    double    step[2];
    for (int a = 0; a < 2; a++) {
      step[a] = s->width[a] / A->N[a];
      xi[a]   = malloc(n[a] * sizeof *xi[a]);
      for (int i = 0; i < n[a]; i++) {
        double t = 0;
        for (int k = i + 1; k <= i + 3; k++) t += fmin(fmax(k - 3, 0), m[a]);
        xi[a][i] = -E4 * step[a] + step[a] * t / 3;
      }
    }
    tags = malloc((size_t)n[0] * n[1] * sizeof *tags);
    for (int pass = 0; pass < (d > 0 ? 2 : 1); pass++) {
      pts.n = 0;
      for (int j = 0; j < n[1]; j++)
        for (int i = 0; i < n[0]; i++) {
          const double y = xi[0][i], z = xi[1][j];
          double       x = -A->hshift;
          for (int k = 0; k < A->nmodes; k++) {
            const double *md = A->mode + 4 * k, ph = md[0] * y + md[1] * z;
            x += Prefilter(md[0], step[0]) * Prefilter(md[1], step[1]) * (md[2] * cos(ph) + md[3] * sin(ph));
          }
          /* pass 1: shifted by d along x */
          GMSH_TRY(E, tags[j * n[0] + i] = gmshModelOccAddPoint(x + pass * d, y, z, 0, -1, IERR));
          Push(&pts, 0), Push(&pts, tags[j * n[0] + i]);
        }
      GMSH_TRY(E, tag = gmshModelOccAddBSplineSurface(tags, (size_t)n[0] * n[1], n[0], -1, 3, 3, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 0, IERR));
      GMSH_TRY(E, gmshModelOccRemove(pts.v, pts.n, 0, IERR)); /* the control points are free */
      Push(dt, 2), Push(dt, tag);
    }
  }
  rc = 0;
fail:
  free(pts.v), free(tags), free(xi[0]), free(xi[1]);
  return rc;
}

/* Rough anode: a box from below the surface (x = -M) to the counter electrode, fragmented with
   the surface(s) and the particles; the volume through x = -M is Li and goes, the one touching
   the counter electrode is the electrolyte, the one in between the SEI; pieces outside the box
   (particle caps, the surfaces' extensions beyond the sides) go. */
static int BuildRough(NppGmshErr *E, const Anode *A, const Particle *P, int np, IntList reg[3])
{
  const NppGmshAnodeSpec *s   = &A->s;
  const int               dim = s->dim;
  const double            M = 0.1 * s->thickness, T = s->thickness, tol = 1e-5;
  IntList                 tools = {0}, gone = {0};
  int                    *out = NULL, **map = NULL, obj[2] = {dim, 0}, rc = 1;
  size_t                  nout = 0, *nmap = NULL, nnmap = 0, nsurf;

  if (dim == 3) GMSH_TRY(E, obj[1] = gmshModelOccAddBox(-M, 0, 0, T + M, s->width[0], s->width[1], -1, IERR));
  else GMSH_TRY(E, obj[1] = gmshModelOccAddRectangle(-M, 0, 0, T + M, s->width[0], -1, 0, IERR));
  if (RoughSurfaces(E, A, &tools)) goto fail;
  nsurf = tools.n / 2;
  if (Particles(E, dim, P, np, &tools)) goto fail;
  GMSH_TRY(E, gmshModelOccFragment(obj, 2, tools.v, tools.n, &out, &nout, &map, &nmap, &nnmap, -1, 1, 1, IERR));
  for (size_t k = 0; k < nout / 2; k++) {
    const int ed = out[2 * k], tag = out[2 * k + 1];
    double    lo[3], hi[3];
    GMSH_TRY(E, gmshModelOccGetBoundingBox(ed, tag, &lo[0], &lo[1], &lo[2], &hi[0], &hi[1], &hi[2], IERR));
    if (ed == dim) {
      int inParticle = 0;
      for (size_t i = 1 + nsurf; i < nnmap && !inParticle; i++) inParticle = Has(map[i], nmap[i], tag);
      if (!Has(map[0], nmap[0], tag) || lo[0] < -0.5 * M) Push(&gone, ed), Push(&gone, tag);
      else Push(&reg[inParticle ? 2 : hi[0] > T - tol ? 1 : 0], tag);
    } else if (lo[1] < -tol || hi[1] > s->width[0] + tol || (dim == 3 && (lo[2] < -tol || hi[2] > s->width[1] + tol))) Push(&gone, ed), Push(&gone, tag);
  }
  if (gone.n) GMSH_TRY(E, gmshModelOccRemove(gone.v, gone.n, 1, IERR));
  GMSH_TRY(E, gmshModelOccSynchronize(IERR));
  rc = 0;
fail:
  FreeFragment(out, map, nmap, nnmap);
  free(tools.v), free(gone.v);
  return rc;
}

/* Combined boundary (tags) of the entities `tags` of dimension dim. */
static int Boundary(NppGmshErr *E, int dim, const IntList *tags, IntList *bnd)
{
  int   *dt = malloc((2 * tags->n + 1) * sizeof *dt), *b = NULL;
  size_t nb = 0;
  bnd->n    = 0;
  for (size_t k = 0; k < tags->n; k++) dt[2 * k] = dim, dt[2 * k + 1] = tags->v[k];
  if (tags->n) GMSH_TRY(E, gmshModelGetBoundary(dt, 2 * tags->n, &b, &nb, 1, 0, 0, IERR));
  for (size_t k = 0; k < nb / 2; k++) Push(bnd, abs(b[2 * k + 1]));
  if (b) gmshFree(b);
  free(dt);
  return 0;
fail:
  free(dt);
  return 1;
}

static int InList(const IntList *l, int tag)
{
  for (size_t k = 0; k < l->n; k++)
    if (l->v[k] == tag) return 1;
  return 0;
}

/* Region and boundary groups; the anode entities, the SEI/electrolyte interface and the particle
   surfaces (for the size field); the OCC measures for the report. */
static int Groups(NppGmshErr *E, const Anode *A, IntList reg[3], IntList *anode, IntList *iface, IntList *psurf, NppGmshReport *rep)
{
  static const char      *names[5] = {"counter", "ymin", "ymax", "zmin", "zmax"};
  const NppGmshAnodeSpec *s        = &A->s;
  const int               dim      = s->dim;
  const double            tol = 1e-5, plane[5][2] = {
                             {0, s->thickness},
                             {1, 0           },
                             {1, s->width[0] },
                             {2, 0           },
                             {2, s->width[1] }
  };
  const char *rname[3] = {s->sei_name, s->electrolyte_name, s->particle_name};
  IntList     all = {0}, outer = {0}, b[3] = {{0}}, group[5] = {{0}};
  double      meas[3] = {0, 0, 0}, m;
  int         rc      = 1;

  for (int r = 0; r < 3; r++) {
    for (size_t k = 0; k < reg[r].n; k++) {
      Push(&all, reg[r].v[k]);
      GMSH_TRY(E, gmshModelOccGetMass(dim, reg[r].v[k], &m, IERR));
      meas[r] += m;
    }
    if (reg[r].n && NppGmshRegion(E, dim, reg[r].v, reg[r].n, 1 + r, rname[r])) goto fail;
    if (Boundary(E, dim, &reg[r], &b[r])) goto fail;
  }
  if (Boundary(E, dim, &all, &outer)) goto fail;
  anode->n = 0;
  for (size_t k = 0; k < outer.n; k++) {
    double lo[3], hi[3];
    int    face = -1;
    GMSH_TRY(E, gmshModelGetBoundingBox(dim - 1, outer.v[k], &lo[0], &lo[1], &lo[2], &hi[0], &hi[1], &hi[2], IERR));
    for (int f = 0; f < 2 * dim - 1 && face < 0; f++) {
      const int a = (int)plane[f][0];
      if (fabs(lo[a] - plane[f][1]) < tol && fabs(hi[a] - plane[f][1]) < tol) face = f;
    }
    if (face >= 0) Push(&group[face], outer.v[k]);
    else {
      Push(anode, outer.v[k]);
      GMSH_TRY(E, gmshModelOccGetMass(dim - 1, outer.v[k], &m, IERR));
      rep->anode_measure += m;
    }
  }
  if (NppGmshRegion(E, dim - 1, anode->v, anode->n, 1001, "anode")) goto fail;
  for (int f = 0; f < 2 * dim - 1; f++)
    if (group[f].n && NppGmshRegion(E, dim - 1, group[f].v, group[f].n, 1002 + f, names[f])) goto fail;
  iface->n = psurf->n = 0;
  for (size_t k = 0; k < b[1].n; k++) {
    if (InList(&b[0], b[1].v[k])) Push(iface, b[1].v[k]);
    if (InList(&b[2], b[1].v[k])) Push(psurf, b[1].v[k]);
  }
  rep->sei_measure         = meas[0] * pow(A->unit, dim);
  rep->electrolyte_measure = meas[1] * pow(A->unit, dim);
  rep->particle_measure    = meas[2] * pow(A->unit, dim);
  rep->anode_measure *= pow(A->unit, dim - 1);
  rc = 0;
fail:
  free(all.v), free(outer.v);
  for (int r = 0; r < 3; r++) free(b[r].v);
  for (int f = 0; f < 5; f++) free(group[f].v);
  return rc;
}

/* Sets a field option under its Gmsh 4.8 name, else under its later one. */
static int FieldNumber(NppGmshErr *E, int f, const char *old, const char *name, double v)
{
  int ierr_ = 0;
  gmshModelMeshFieldSetNumber(f, old, v, &ierr_);
  if (ierr_) GMSH_TRY(E, gmshModelMeshFieldSetNumber(f, name, v, IERR));
  return 0;
fail:
  return 1;
}

/* Size of an entity of dimension edim: the length of a curve, the bounding-box diagonal of a
   surface (Gmsh samples a curve at NNodesByEdge points evenly in its parameter, a surface at a
   spacing of its bounding-box diagonal / NNodesByEdge). */
static int EntitySize(NppGmshErr *E, int edim, int tag, double *len)
{
  double lo[3], hi[3];
  if (edim == 1) GMSH_TRY(E, gmshModelOccGetMass(1, tag, len, IERR));
  else {
    GMSH_TRY(E, gmshModelGetBoundingBox(edim, tag, &lo[0], &lo[1], &lo[2], &hi[0], &hi[1], &hi[2], IERR));
    *len = sqrt((hi[0] - lo[0]) * (hi[0] - lo[0]) + (hi[1] - lo[1]) * (hi[1] - lo[1]) + (hi[2] - lo[2]) * (hi[2] - lo[2]));
  }
  return 0;
fail:
  return 1;
}

/* Thresholds on the distance to the entities `tags` of dimension edim, sampled every `delta` at
   most. Entities of similar size (within a factor 4) share one Distance field: every field is
   evaluated at every query, and one sampling count per field suits entities of one size. */
static int Thresholds(NppGmshErr *E, int edim, const IntList *tags, double delta, const double sz[4], IntList *fields)
{
  double *len = malloc((tags->n + 1) * sizeof *len), *list = malloc((tags->n + 1) * sizeof *list);
  char   *done = calloc(tags->n + 1, 1);
  int     rc   = 1;

  for (size_t k = 0; k < tags->n; k++)
    if (EntitySize(E, edim, tags->v[k], &len[k])) goto fail;
  for (;;) {
    size_t big = tags->n, n = 0;
    int    dist, thr, ierr_ = 0;
    for (size_t k = 0; k < tags->n; k++)
      if (!done[k] && (big == tags->n || len[k] > len[big])) big = k;
    if (big == tags->n) break;
    for (size_t k = 0; k < tags->n; k++)
      if (!done[k] && len[k] >= 0.25 * len[big]) list[n++] = tags->v[k], done[k] = 1;
    GMSH_TRY(E, dist = gmshModelMeshFieldAdd("Distance", -1, IERR));
    gmshModelMeshFieldSetNumbers(dist, edim == 2 ? "FacesList" : "EdgesList", list, n, &ierr_);
    if (ierr_) GMSH_TRY(E, gmshModelMeshFieldSetNumbers(dist, edim == 2 ? "SurfacesList" : "CurvesList", list, n, IERR));
    /* curves: twice, as a spline's parameter is not quite its arc length */
    if (FieldNumber(E, dist, "NNodesByEdge", "NumPointsPerCurve", (edim == 1 ? 2 : 1) * ceil(len[big] / delta) + 2)) goto fail;
    GMSH_TRY(E, thr = gmshModelMeshFieldAdd("Threshold", -1, IERR));
    if (FieldNumber(E, thr, "IField", "InField", dist) || FieldNumber(E, thr, "LcMin", "SizeMin", sz[0]) || FieldNumber(E, thr, "LcMax", "SizeMax", sz[1])) goto fail;
    GMSH_TRY(E, gmshModelMeshFieldSetNumber(thr, "DistMin", sz[2], IERR));
    GMSH_TRY(E, gmshModelMeshFieldSetNumber(thr, "DistMax", sz[3], IERR));
    Push(fields, thr);
  }
  rc = 0;
fail:
  free(len), free(list), free(done);
  return rc;
}

/* tip_size within the SEI thickness d of the anode and of the SEI/electrolyte interface (so in
   the whole SEI), growing linearly to size over 2 (size - tip_size); min(size, radius/2) at the
   particle surfaces, growing to size over one radius. */
static int SizeField(NppGmshErr *E, const Anode *A, const IntList *anode, const IntList *iface, const IntList *psurf)
{
  const NppGmshAnodeSpec *s = &A->s;
  const double            d = s->sei_thickness, tip = s->tip_size, dmin = d > 0 ? d : 0.5 * tip;
  const double            delta = d > 0 ? fmin(tip, d) : tip;
  const double            sz[4] = {tip, s->size, dmin, dmin + fmax(2 * (s->size - tip), tip)};
  const double            rp = s->particle_radius, pz[4] = {fmin(s->size, 0.5 * rp), s->size, 0, rp};
  IntList                 fields = {0}, both = {0};
  double                 *list = NULL;
  int                     fmin_, rc = 1;

  for (size_t k = 0; k < anode->n; k++) Push(&both, anode->v[k]);
  for (size_t k = 0; k < iface->n; k++) Push(&both, iface->v[k]);
  if (Thresholds(E, s->dim - 1, &both, delta, sz, &fields) || Thresholds(E, s->dim - 1, psurf, 0.5 * pz[0], pz, &fields)) goto fail;
  list = malloc((fields.n + 1) * sizeof *list);
  for (size_t k = 0; k < fields.n; k++) list[k] = fields.v[k];
  GMSH_TRY(E, fmin_ = gmshModelMeshFieldAdd("Min", -1, IERR));
  GMSH_TRY(E, gmshModelMeshFieldSetNumbers(fmin_, "FieldsList", list, fields.n, IERR));
  GMSH_TRY(E, gmshModelMeshFieldSetAsBackgroundMesh(fmin_, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeMax", s->size, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeMin", 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeExtendFromBoundary", 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeFromPoints", 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.MeshSizeFromCurvature", 0, IERR));
  GMSH_TRY(E, gmshOptionSetNumber("Mesh.LcIntegrationPrecision", 1e-4, IERR)); /* default 1e-9: slow with many fields */
  rc = 0;
fail:
  free(fields.v), free(both.v), free(list);
  return rc;
}

int NppGmshAnode(const NppGmshAnodeSpec *spec, const char *path, NppGmshReport *rep, char *err, size_t errlen)
{
  NppGmshErr        E      = {err, errlen};
  Anode             A      = {.s = *spec};
  NppGmshAnodeSpec *s      = &A.s;
  Particle         *P      = NULL;
  IntList           reg[3] = {{0}}, anode = {0}, iface = {0}, psurf = {0};
  int               np = 0, rc = 1, began = 0;
  double            layer = 0;

  memset(rep, 0, sizeof *rep);
  if (Check(spec, err, errlen)) return 1;
  /* Build at unit scale (OpenCASCADE's tolerances are absolute, ~1e-7) and scale on writing. */
  A.unit = fmax(s->thickness, s->width[0]);
  if (s->dim == 3) A.unit = fmax(A.unit, s->width[1]);
  else s->width[1] = 0, s->count[1] = 1;
  s->thickness /= A.unit, s->width[0] /= A.unit, s->width[1] /= A.unit, s->radius /= A.unit, s->height /= A.unit;
  s->pitch[0] /= A.unit, s->pitch[1] /= A.unit, s->roughness_amplitude /= A.unit, s->roughness_length /= A.unit;
  s->sei_thickness /= A.unit, s->particle_radius /= A.unit, s->size /= A.unit, s->tip_size /= A.unit;
  A.rough = s->roughness_amplitude > 0;
  A.top   = s->sei_thickness;
  if (s->shape != NPP_PROTRUSION_NONE) {
    double py, y0, pz = 0, z0 = 0;
    A.H   = Tip(s);
    A.ext = 0.5 * fmin(s->radius, A.H);
    A.top = A.H + s->sei_thickness;
    A.n   = s->count[0] * s->count[1];
    A.c   = malloc(A.n * sizeof *A.c);
    Row(s, 0, &py, &y0);
    if (s->dim == 3) Row(s, 1, &pz, &z0);
    for (int i = 0; i < s->count[0]; i++)
      for (int j = 0; j < s->count[1]; j++) A.c[i * s->count[1] + j][0] = y0 + i * py, A.c[i * s->count[1] + j][1] = z0 + j * pz;
  }
  if (A.rough) {
    if (RoughModes(&A, err, errlen)) goto done;
    A.top = A.hmax + s->sei_thickness;
  }
  if (s->particle_fraction > 0 && Place(&A, &P, &np, &layer, err, errlen)) goto done;
  if (NppGmshBegin(&E, s->verbose)) goto done;
  began = 1;
  if (A.rough ? BuildRough(&E, &A, P, np, reg) : BuildProtrusions(&E, &A, P, np, reg)) goto done;
  if (Groups(&E, &A, reg, &anode, &iface, &psurf, rep)) goto done;
  if (SizeField(&E, &A, &anode, &iface, &psurf)) goto done;
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.Algorithm", 5, IERR));
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.Algorithm3D", 1, IERR));
  GMSH_TRY(&E, gmshOptionSetNumber("Mesh.ScalingFactor", A.unit, IERR));
  if (NppGmshMeshAndWrite(&E, s->dim, path, &rep->ncells)) goto done;
  rep->nparticles      = np;
  rep->volume_fraction = np ? rep->particle_measure / (layer * pow(A.unit, s->dim)) : 0;
  rc                   = 0;
  goto done;
fail:
  rc = 1;
done:
  if (began) NppGmshEnd();
  free(P), free(A.c), free(A.mode), free(anode.v), free(iface.v), free(psurf.v);
  for (int r = 0; r < 3; r++) free(reg[r].v);
  if (rc) memset(rep, 0, sizeof *rep);
  return rc;
}
