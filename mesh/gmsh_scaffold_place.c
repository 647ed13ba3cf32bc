/* SPDX-License-Identifier: BSD-2-Clause */
/* The `scaffold` generator, first half: the check of the spec, the random placement of the
   fibres with its geometric admissibility rules (crossing wedges, spacing, cut ends, side faces,
   slab clipping, voxel coverage) and the seam angles of the cylinders. Plain C, no Gmsh SDK
   call; gmsh_scaffold.c builds the geometry and the mesh from the result.

   Placement (random sequential addition, at unit scale): in 3D a fibre is a straight cylinder
   whose axis has a uniform in-plane angle in the y-z plane, a tilt out of it uniform within
   +-orientation_spread and a uniform offset (an isotropic uniform line process in y-z). Its x
   position is then searched: XTRIES stratified positions in random order, among those keeping
   the whole fibre in the slab or, if the tilt makes it climb more than the slab allows, anywhere
   in the slab with the fibre cut short (flat ends perpendicular to the axis) where it would
   leave it; the first admissible one is kept. Admissible: no sliver. With every other fibre it
   either crosses properly (the electrolyte wedge along the intersection curve between WEDGE_MIN
   and WEDGE_MAX, computed for two infinite cylinders; the crossing off cut ends and SPACING radii
   from the other crossings of both fibres) or keeps a gap of min_gap radii; it meets a side face
   y or z only by crossing it at WEDGE_MIN or steeper with its whole section ellipse inside the
   face, else keeps CLEAR r off it; it keeps CLEAR r off the faces x = 0 and x = box[0]. The fibre
   volume is tallied on a voxel grid (overlaps and cuts by the box included) until the target is
   reached; the last fibre is kept only if it brings the fraction closer to the target.
   In 2D the section z = const: every fibre, along z, is a disk, placed by the same rules (two
   disks overlap with the same wedge limits, or keep the gap). */
#include "gmsh_scaffold_place.h"
#include "gmsh_common.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATTEMPTS 200000      /* lines drawn, each tried at XTRIES positions */
#define FINAL_TRIES  2000        /* candidates tried for the last fibre, which must not overshoot */
#define WEDGE_MIN    (35 * DEG)  /* least electrolyte wedge between two fibres, or a fibre and a side face */
#define WEDGE_MAX    (150 * DEG) /* nearly tangent surfaces beyond: OCC's intersection curve is fragile */
#define SPACING \
  2.0 /* least distance between two crossings on one fibre, in radii: with 3.5
                                    the 15 um slab jams at a fraction 0.25 (0.36 with 2); at 1.5 three
                                    fibres crossing each other close by made the worst tetrahedra */
#define MAX_VOXELS 4000000
#define XTRIES     32         /* x positions tried per line drawn */
#define SEAM_CLEAR (10 * DEG) /* least angle between a seam and the rulings meeting a crossing fibre */

int NppScaffoldCheck(const NppGmshScaffoldSpec *s, char *err, size_t len)
{
  if (s->dim != 2 && s->dim != 3) return snprintf(err, len, "scaffold: dim = %d must be 2 or 3", s->dim), 1;
  for (int i = 0; i < s->dim; i++)
    if (!(s->box[i] > 0) || !isfinite(s->box[i])) return snprintf(err, len, "scaffold: box[%d] = %g must be positive", i, s->box[i]), 1;
  if (!(s->layer[0] >= 0 && s->layer[0] < s->box[0])) return snprintf(err, len, "scaffold: layer[0] = %g is outside the film [0, %g)", s->layer[0], s->box[0]), 1;
  if (!(s->layer[1] > s->layer[0] && s->layer[1] <= s->box[0])) return snprintf(err, len, "scaffold: layer[1] = %g is outside (layer[0] = %g, box[0] = %g]", s->layer[1], s->layer[0], s->box[0]), 1;
  if (!(s->fibre_radius > 0) || !isfinite(s->fibre_radius)) return snprintf(err, len, "scaffold: fibre_radius = %g must be positive", s->fibre_radius), 1;
  /* the fibres keep CLEAR r off the x faces: the slab must hold a diameter with room to move */
  if (s->layer[1] - s->layer[0] < 2.5 * s->fibre_radius) return snprintf(err, len, "scaffold: fibre_radius = %g is too large for the slab layer = [%g, %g] (needs a thickness >= 2.5 radii)", s->fibre_radius, s->layer[0], s->layer[1]), 1;
  for (int i = 1; i < s->dim; i++)
    if (s->fibre_radius > 0.25 * s->box[i]) return snprintf(err, len, "scaffold: fibre_radius = %g is larger than a quarter of box[%d] = %g", s->fibre_radius, i, s->box[i]), 1;
  if (!(s->volume_fraction > 0 && s->volume_fraction < 0.5)) return snprintf(err, len, "scaffold: volume_fraction = %g is outside (0, 0.5)", s->volume_fraction), 1;
  if (!(s->orientation_spread >= 0 && s->orientation_spread < 90)) return snprintf(err, len, "scaffold: orientation_spread = %g is outside [0, 90) degrees", s->orientation_spread), 1;
  if (!(s->min_gap >= 0 && s->min_gap <= 10)) return snprintf(err, len, "scaffold: min_gap = %g is outside [0, 10] radii", s->min_gap), 1;
  if (!(s->size > 0) || !isfinite(s->size)) return snprintf(err, len, "scaffold: size = %g must be positive", s->size), 1;
  if (!(s->interface_size > 0 && s->interface_size <= s->size)) return snprintf(err, len, "scaffold: interface_size = %g must be in (0, size = %g]", s->interface_size, s->size), 1;
  if (!s->electrolyte_name[0]) return snprintf(err, len, "scaffold: electrolyte_name is empty"), 1;
  if (s->algorithm3d < 0) return snprintf(err, len, "scaffold: algorithm3d = %d must be >= 0", s->algorithm3d), 1;
  return 0;
}

static double Dot(const double a[3], const double b[3])
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

void NppScaffoldAt(const Fibre *f, double u, double x[3])
{
  for (int i = 0; i < 3; i++) x[i] = f->p[i] + u * f->d[i];
}

/* Smallest and largest electrolyte wedge (the angle outside both surfaces) along the
   intersection curve of two infinite cylinders of radius 1 whose axes are D apart at an angle
   phi: cylinder 1 x^2 + z^2 = 1 is walked around, cylinder 2 has its axis through (D, 0, 0)
   along (0, cos phi, sin phi). wmin = +inf if they do not meet. */
static void Wedge3(double D, double phi, double *wmin, double *wmax)
{
  const double c = cos(phi), s = sin(phi), e[3] = {0, c, s};
  *wmin = INFINITY, *wmax = -INFINITY;
  for (int k = 0; k < 720; k++) {
    const double a = 2 * NPP_PI * k / 720, qx = cos(a) - D, qz = sin(a);
    const double A = s * s, B = -2 * qz * s * c, Cc = qx * qx + qz * qz * c * c - 1, disc = B * B - 4 * A * Cc;
    if (disc < 0) continue;
    for (int sign = -1; sign <= 1; sign += 2) {
      const double y = (-B + sign * sqrt(disc)) / (2 * A), q[3] = {qx, y, qz}, n1[3] = {cos(a), 0, sin(a)}, t = Dot(q, e);
      double       n2[3] = {q[0] - t * e[0], q[1] - t * e[1], q[2] - t * e[2]}, l = sqrt(Dot(n2, n2));
      const double w = NPP_PI - acos(fmax(-1, fmin(1, Dot(n1, n2) / l)));
      *wmin = fmin(*wmin, w), *wmax = fmax(*wmax, w);
    }
  }
}

/* Wedge3 on a grid of D / r (step 1/50) and phi (step 1 degree), filled when first needed:
   conservative (the extremes over the four corners of the cell). */
#define WT_ND 101
#define WT_NP 91
typedef struct {
  unsigned char done[WT_ND][WT_NP];
  float         lo[WT_ND][WT_NP], hi[WT_ND][WT_NP];
} WedgeTable;

static void WedgeRange(WedgeTable *W, double D, double phi, double *wmin, double *wmax)
{
  const int i0 = (int)fmin(WT_ND - 2, floor(D * 50)), j0 = (int)fmin(WT_NP - 2, floor(phi / DEG));
  *wmin = INFINITY, *wmax = -INFINITY;
  for (int i = i0; i <= i0 + 1; i++)
    for (int j = j0; j <= j0 + 1; j++) {
      if (!W->done[i][j]) {
        double lo, hi;
        Wedge3(i / 50.0, fmax(j, 1) * DEG, &lo, &hi);
        W->lo[i][j] = (float)lo, W->hi[i][j] = (float)hi, W->done[i][j] = 1;
      }
      *wmin = fmin(*wmin, W->lo[i][j]), *wmax = fmax(*wmax, W->hi[i][j]);
    }
}

/* Closest points of the segments a(s) = pa + s da, s in [s0, s1], and b(t) likewise (unit
   directions); returns the distance. */
static double SegmentDistance(const Fibre *A, double s0, double s1, const Fibre *B, double t0, double t1)
{
  double       r[3], best = INFINITY;
  const double b = Dot(A->d, B->d), den = 1 - b * b;
  for (int i = 0; i < 3; i++) r[i] = A->p[i] - B->p[i];
  const double dA = Dot(A->d, r), dB = Dot(B->d, r);
  /* interior critical point, then the four edges of the (s, t) rectangle */
  double cand[5][2];
  int    nc = 0;
  if (den > 1e-12) cand[nc][0] = (b * dB - dA) / den, cand[nc][1] = (dB - b * dA) / den, nc++;
  for (int k = 0; k < 2; k++) {
    const double s = k ? s1 : s0, t = b * s + dB; /* best t for this s */
    cand[nc][0] = s, cand[nc][1] = fmin(t1, fmax(t0, t)), nc++;
    const double tt = k ? t1 : t0, ss = b * tt - dA; /* best s for this t */
    cand[nc][0] = fmin(s1, fmax(s0, ss)), cand[nc][1] = tt, nc++;
    if (nc > 5) break;
  }
  for (int k = 0; k < nc; k++) {
    const double s = cand[k][0], t = cand[k][1];
    if (s < s0 || s > s1 || t < t0 || t > t1) continue;
    double d2 = 0;
    for (int i = 0; i < 3; i++) d2 += pow(r[i] + s * A->d[i] - t * B->d[i], 2);
    best = fmin(best, sqrt(d2));
  }
  return best;
}

/* Parameter range [t0, t1] of the line p + t e (2D, |e| = 1) inside the rectangle [lo, hi]
   (Liang-Barsky); 0 if it misses it. */
static int Clip(const double p[2], const double e[2], const double lo[2], const double hi[2], double *t0, double *t1)
{
  *t0 = -INFINITY, *t1 = INFINITY;
  for (int i = 0; i < 2; i++) {
    if (fabs(e[i]) < 1e-14) {
      if (p[i] < lo[i] || p[i] > hi[i]) return 0;
      continue;
    }
    double a = (lo[i] - p[i]) / e[i], b = (hi[i] - p[i]) / e[i];
    if (a > b) {
      const double t = a;
      a = b, b = t;
    }
    *t0 = fmax(*t0, a), *t1 = fmin(*t1, b);
  }
  return *t0 < *t1;
}

/* The side faces y = 0, y = box[1], z = 0, z = box[2] seen in the y-z plane as the edges of a
   rectangle, the fibre as a band of half-width r around its projected axis. The fibre either
   keeps CLEAR r off an edge's line segment or crosses it at an angle >= WEDGE_MIN out of the
   face with its whole section ellipse inside the face (off the box edges by CLEAR r). */
static int SideFacesOK(const Mat *M, const Fibre *f)
{
  const double r = M->s.fibre_radius, W[2] = {M->s.box[1], M->s.box[2]};
  const double cy = sqrt(f->d[1] * f->d[1] + f->d[2] * f->d[2]), e[2] = {f->d[1] / cy, f->d[2] / cy}, w[2] = {-e[1], e[0]};
  for (int a = 0; a < 2; a++) /* the face plane is normal to axis 1 + a */
    for (int side = 0; side < 2; side++) {
      const int    b = 1 - a;
      const double v = side ? W[a] : 0;
      double       A[2], B[2];
      A[a] = B[a] = v, A[b] = 0, B[b] = W[b];
      const double q[2] = {f->p[1], f->p[2]}, sa = w[0] * (A[0] - q[0]) + w[1] * (A[1] - q[1]), sb = w[0] * (B[0] - q[0]) + w[1] * (B[1] - q[1]);
      const double dist = sa * sb > 0 ? fmin(fabs(sa), fabs(sb)) : 0;
      if (dist >= (1 + CLEAR) * r) continue;
      const double sinb = fabs(e[a]); /* in-plane sine between the axis and the face */
      if (asin(cy * sinb) < WEDGE_MIN) return 0;
      const double t = (v - q[a]) / e[a], X = q[b] + t * e[b], half = r / sinb;
      if (X < half + CLEAR * r || X > W[b] - half - CLEAR * r) return 0;
    }
  return 1;
}

/* A cut end lies wholly on one side of every side face plane, CLEAR r off it. */
static int CutEndsOK(const Mat *M, const Fibre *f)
{
  const double r = M->s.fibre_radius;
  for (int k = 0; k < 2; k++) {
    if (!f->cut[k]) continue;
    double c[3];
    NppScaffoldAt(f, k ? f->u1 : f->u0, c);
    for (int a = 1; a < 3; a++) {
      const double ext = r * sqrt(fmax(0, 1 - f->d[a] * f->d[a])) + CLEAR * r;
      if (!(c[a] > ext && c[a] < M->s.box[a] - ext) && !(c[a] < -ext || c[a] > M->s.box[a] + ext)) return 0;
    }
  }
  return 1;
}

static int CrossingSpaced(const Mat *M, const double x[3], int fib, const Crossing *extra, int nextra)
{
  const double r = M->s.fibre_radius;
  for (int k = 0; k < M->nc; k++) {
    if (M->C[k].i != fib && M->C[k].j != fib) continue;
    double d2 = 0;
    for (int i = 0; i < 3; i++) d2 += pow(M->C[k].x[i] - x[i], 2);
    if (d2 < pow(SPACING * r, 2)) return 0;
  }
  for (int k = 0; k < nextra; k++) {
    double d2 = 0;
    for (int i = 0; i < 3; i++) d2 += pow(extra[k].x[i] - x[i], 2);
    if (d2 < pow(SPACING * r, 2)) return 0;
  }
  return 1;
}

/* The rules between a candidate and the fibres placed (3D). New crossings go to X. */
static int PairsOK3(const Mat *M, WedgeTable *W, const Fibre *A, Crossing *X, int *nx)
{
  const double r = M->s.fibre_radius, gap = (2 + M->s.min_gap) * r;
  *nx = 0;
  for (int j = 0; j < M->n; j++) {
    const Fibre *B = &M->F[j];
    const double b = Dot(A->d, B->d), den = 1 - b * b, phi = acos(fmin(1, fabs(b)));
    double       w0[3];
    for (int i = 0; i < 3; i++) w0[i] = A->p[i] - B->p[i];
    if (den > 1e-12 && phi >= WEDGE_MIN) {
      const double dA = Dot(A->d, w0), dB = Dot(B->d, w0), s = (b * dB - dA) / den, t = (dB - b * dA) / den;
      double       pa[3], pb[3], D = 0, m[3];
      NppScaffoldAt(A, s, pa), NppScaffoldAt(B, t, pb);
      for (int i = 0; i < 3; i++) D += pow(pa[i] - pb[i], 2), m[i] = 0.5 * (pa[i] + pb[i]);
      D = sqrt(D);
      if (D < 2 * r) {
        /* a crossing: inside both fibres, off their cut ends (the crossing reaches about
           r / sin(phi) along each), away from the other crossings of both, with clean wedges.
           Crossings near or through the side faces are let be: forbidding them (0.5 r + r /
           sin(phi) off) made the 15 um slab jam near 0.31; the price is an occasional poor
           tetrahedron where a face cuts the tip of a crossing. */
        const double margin = r * (1.2 + 1 / sin(phi));
        double       wmin, wmax;
        int          ok = s > A->u0 && s < A->u1 && t > B->u0 && t < B->u1;
        ok              = ok && (!A->cut[0] || s > A->u0 + margin) && (!A->cut[1] || s < A->u1 - margin) && (!B->cut[0] || t > B->u0 + margin) && (!B->cut[1] || t < B->u1 - margin);
        ok              = ok && CrossingSpaced(M, m, j, X, *nx);
        if (ok) WedgeRange(W, D / r, phi, &wmin, &wmax), ok = wmin >= WEDGE_MIN && wmax <= WEDGE_MAX;
        if (ok) {
          X[*nx].x[0] = m[0], X[*nx].x[1] = m[1], X[*nx].x[2] = m[2], X[*nx].i = M->n, X[*nx].j = j;
          ++*nx;
          continue;
        }
      }
    }
    /* no crossing: the parts of both that can reach into the box keep the gap */
    if (SegmentDistance(A, fmax(A->u0, A->ua), fmin(A->u1, A->ub), B, fmax(B->u0, B->ua), fmin(B->u1, B->ub)) < gap) return 0;
  }
  return 1;
}

/* 2D: disks either overlap with clean corners (wedge limits, corners off the other circles and
   the faces y by a quarter radius) or keep the gap. */
static int PairsOK2(const Mat *M, const Fibre *A, Crossing *X, int *nx)
{
  const double r = M->s.fibre_radius, gap = (2 + M->s.min_gap) * r;
  *nx = 0;
  for (int j = 0; j < M->n; j++) {
    const Fibre *B  = &M->F[j];
    const double dx = B->p[0] - A->p[0], dy = B->p[1] - A->p[1], D = hypot(dx, dy);
    if (D >= gap) continue;
    const double wedge = NPP_PI - 2 * asin(fmin(1, 0.5 * D / r));
    if (D >= 2 * r || wedge < WEDGE_MIN || wedge > WEDGE_MAX) return 0;
    const double h = sqrt(r * r - 0.25 * D * D);
    for (int c = -1; c <= 1; c += 2) {
      const double P[3] = {A->p[0] + 0.5 * dx - c * h * dy / D, A->p[1] + 0.5 * dy + c * h * dx / D, 0};
      if (fabs(P[1]) < 0.25 * r || fabs(P[1] - M->s.box[1]) < 0.25 * r) return 0;
      for (int k = 0; k < M->n; k++)
        if (k != j && fabs(hypot(P[0] - M->F[k].p[0], P[1] - M->F[k].p[1]) - r) < 0.25 * r) return 0;
      for (int k = 0; k < *nx; k++) /* the new disk's other corners */
        if (hypot(P[0] - X[k].x[0], P[1] - X[k].x[1]) < 0.25 * r) return 0;
      X[*nx].x[0] = P[0], X[*nx].x[1] = P[1], X[*nx].x[2] = 0, X[*nx].i = M->n, X[*nx].j = j;
      ++*nx;
    }
  }
  for (int k = 0; k < M->nc; k++) /* the corners already there stay off the new circle */
    if (fabs(hypot(M->C[k].x[0] - A->p[0], M->C[k].x[1] - A->p[1]) - r) < 0.25 * r) return 0;
  return 1;
}

static int Inside(const Mat *M, const Fibre *f, const double q[3])
{
  const double r = M->s.fibre_radius;
  double       v[3];
  for (int i = 0; i < 3; i++) v[i] = q[i] - f->p[i];
  if (M->s.dim == 2) return v[0] * v[0] + v[1] * v[1] < r * r;
  const double u = Dot(v, f->d);
  if (u < f->u0 || u > f->u1) return 0;
  return Dot(v, v) - u * u < r * r;
}

/* Voxels of the box a fibre covers and no other did; with mark, they are marked. */
static long Cover(Mat *M, const Fibre *f, int mark)
{
  const double r = M->s.fibre_radius;
  double       lo[3], hi[3];
  int          i0[3], i1[3];
  long         count = 0;
  if (M->s.dim == 2) {
    for (int i = 0; i < 2; i++) lo[i] = f->p[i] - r, hi[i] = f->p[i] + r;
    lo[2] = hi[2] = 0;
  } else {
    double a[3], b[3];
    NppScaffoldAt(f, f->u0, a), NppScaffoldAt(f, f->u1, b);
    for (int i = 0; i < 3; i++) lo[i] = fmin(a[i], b[i]) - r, hi[i] = fmax(a[i], b[i]) + r;
  }
  for (int i = 0; i < 3; i++) {
    i0[i] = (int)fmax(0, floor(lo[i] / M->h[i] - 0.5)), i1[i] = (int)fmin(M->N[i] - 1, ceil(hi[i] / M->h[i] - 0.5));
    if (M->s.dim == 2 && i == 2) i0[2] = i1[2] = 0;
  }
  for (int k = i0[2]; k <= i1[2]; k++)
    for (int j = i0[1]; j <= i1[1]; j++)
      for (int i = i0[0]; i <= i1[0]; i++) {
        const size_t idx = ((size_t)k * M->N[1] + j) * M->N[0] + i;
        if (M->vox[idx]) continue;
        const double q[3] = {(i + 0.5) * M->h[0], (j + 0.5) * M->h[1], M->s.dim == 3 ? (k + 0.5) * M->h[2] : 0};
        if (!Inside(M, f, q)) continue;
        count++;
        if (mark) M->vox[idx] = 1;
      }
  return count;
}

/* A random 3D axis line, without its x position: direction, offset in y-z, and the part of it
   that can reach into the box; 0 if it misses the box. */
static int Line3(const Mat *M, uint64_t *rng, Fibre *f)
{
  const NppGmshScaffoldSpec *s = &M->s;
  const double               r = s->fibre_radius, theta = NPP_PI * NppGmshUniform(rng), tau = s->orientation_spread * DEG * (2 * NppGmshUniform(rng) - 1);
  const double               ct = cos(tau), st = sin(tau), e[2] = {cos(theta), sin(theta)}, w[2] = {-e[1], e[0]};
  const double               half = 0.5 * (s->box[1] * fabs(w[0]) + s->box[2] * fabs(w[1])), off = (half + r) * (2 * NppGmshUniform(rng) - 1);
  const double               foot[2] = {0.5 * s->box[1] + off * w[0], 0.5 * s->box[2] + off * w[1]}, lo[2] = {-r, -r}, hi[2] = {s->box[1] + r, s->box[2] + r};
  double                     t0, t1;

  memset(f, 0, sizeof *f);
  f->d[0] = st, f->d[1] = ct * e[0], f->d[2] = ct * e[1];
  /* the axis' projection on y-z runs at speed cos(tau): the part within r of the box */
  if (!Clip(foot, e, lo, hi, &t0, &t1)) return 0;
  f->ua = t0 / ct, f->ub = t1 / ct;
  f->p[1] = foot[0], f->p[2] = foot[1];
  return 1;
}

/* The line placed at the fraction a in [0, 1) of its admissible x range: the whole fibre in the
   slab if the tilt allows, else anywhere in it and cut where its section would leave the slab.
   0 if what is left is a stub. */
static int Locate3(const Mat *M, double a, Fibre *f)
{
  const double r = M->s.fibre_radius, ct = sqrt(1 - f->d[0] * f->d[0]), st = f->d[0];
  const double rise0 = fmin(f->ua * st, f->ub * st), rise1 = fmax(f->ua * st, f->ub * st);
  const double cmin = M->xlo + r * ct - rise0, cmax = M->xhi - r * ct - rise1; /* the section reaches r cos(tau) along x */
  f->u0 = f->ua - 3 * r, f->u1 = f->ub + 3 * r;                                /* the ends well outside the box */
  f->cut[0] = f->cut[1] = 0;
  if (cmax >= cmin) {
    f->p[0] = cmin + (cmax - cmin) * a;
    return 1;
  }
  {
    const double c0 = M->xlo + r * ct, c1 = M->xhi - r * ct;
    double       ulo, uhi;
    f->p[0] = c0 + (c1 - c0) * a;
    ulo = (c0 - f->p[0]) / st, uhi = (c1 - f->p[0]) / st;
    if (ulo > uhi) {
      const double t = ulo;
      ulo = uhi, uhi = t;
    }
    if (ulo > f->u0) f->u0 = ulo, f->cut[0] = 1;
    if (uhi < f->u1) f->u1 = uhi, f->cut[1] = 1;
    /* a stub is not a fibre and would mesh into small pieces */
    return fmin(f->u1, f->ub) - fmax(f->u0, f->ua) > 6 * r && f->u1 - f->u0 > 6 * r;
  }
}

/* A random 2D disk centre y; 0 if it grazes a face y. */
static int Line2(const Mat *M, uint64_t *rng, Fibre *f)
{
  const double r = M->s.fibre_radius, Wy = M->s.box[1];
  memset(f, 0, sizeof *f);
  f->d[2] = 1;
  f->p[1] = Wy * NppGmshUniform(rng);
  /* a face y cuts a disk only near its equator (wedge >= 60 degrees) or it keeps CLEAR r off */
  const double dy = fmin(f->p[1], Wy - f->p[1]);
  return dy < 0.5 * r || dy > (1 + CLEAR) * r;
}

static int Locate2(const Mat *M, double a, Fibre *f)
{
  const double r = M->s.fibre_radius;
  f->p[0]        = M->xlo + r + (M->xhi - M->xlo - 2 * r) * a;
  return 1;
}

int NppScaffoldPlace(Mat *M, char *err, size_t len)
{
  const NppGmshScaffoldSpec *s    = &M->s;
  const double               slab = (s->layer[1] - s->layer[0]) * s->box[1] * (s->dim == 3 ? s->box[2] : 1), target = s->volume_fraction * slab;
  double                     cell = 1, filled = 0, hv;
  uint64_t                   rng      = 0x5CAFF01Dull + s->seed;
  int                        attempts = 0, final = 0, order[XTRIES], found;
  Crossing                  *X    = malloc((size_t)(2 * (M->cap + 1)) * sizeof *X);
  WedgeTable                *W    = s->dim == 3 ? calloc(1, sizeof *W) : NULL;
  int                        capx = 2 * (M->cap + 1);

  /* voxels of about r/6 (3D) or r/20 (2D), fewer than MAX_VOXELS */
  {
    double h = s->fibre_radius / (s->dim == 3 ? 6 : 20), nv;
    for (;;) {
      nv = 1;
      for (int i = 0; i < s->dim; i++) nv *= ceil(s->box[i] / h);
      if (nv <= MAX_VOXELS) break;
      h *= 1.1;
    }
    for (int i = 0; i < 3; i++) {
      M->N[i] = i < s->dim ? (int)ceil(s->box[i] / h) : 1;
      M->h[i] = i < s->dim ? s->box[i] / M->N[i] : 1;
      cell *= M->h[i];
    }
    M->vox = calloc((size_t)M->N[0] * M->N[1] * M->N[2], 1);
  }
  hv = cell;
  while (filled < target) {
    Fibre f;
    int   nx = 0;
    if (++attempts > MAX_ATTEMPTS) {
      /* jammed within half a mean fibre of the target: as close as the last fibre's rule gets */
      if (M->n && target - filled <= 0.5 * filled / M->n) break;
      snprintf(err, len, "scaffold: volume_fraction = %g not reached after %d attempts (%.3f placed); lower it, or min_gap = %g", s->volume_fraction, MAX_ATTEMPTS, filled / slab, s->min_gap);
      free(X), free(W);
      return 1;
    }
    if (s->dim == 3 ? !Line3(M, &rng, &f) || !SideFacesOK(M, &f) : !Line2(M, &rng, &f)) continue;
    if (capx < 2 * (M->n + 1)) X = realloc(X, (capx = 2 * (M->n + 1)) * sizeof *X);
    /* RSA draws the line, then searches its x position: XTRIES stratified positions in random
       order, the first admissible one kept. Drawing x with the line jams near 0.23 in a slab five
       diameters thick, since a fibre meeting many others rarely crosses them all cleanly. */
    for (int k = 0; k < XTRIES; k++) order[k] = k;
    for (int k = XTRIES - 1; k > 0; k--) {
      const int j = (int)(NppGmshUniform(&rng) * (k + 1)), t = order[k];
      order[k] = order[j], order[j] = t;
    }
    found = 0;
    for (int k = 0; k < XTRIES && !found; k++) {
      const double a = (order[k] + NppGmshUniform(&rng)) / XTRIES;
      if (s->dim == 3 ? !Locate3(M, a, &f) || !CutEndsOK(M, &f) || !PairsOK3(M, W, &f, X, &nx) : !Locate2(M, a, &f) || !PairsOK2(M, &f, X, &nx)) continue;
      found = 1;
    }
    if (!found) continue;
    const double add = Cover(M, &f, 0) * hv;
    if (add <= 0) continue;
    if (filled + add > target && filled + add - target >= target - filled) { /* the last one: not past the target by more than it lacks */
      if (++final > FINAL_TRIES) break;
      continue;
    }
    Cover(M, &f, 1);
    filled += add;
    if (M->n == M->cap) M->F = realloc(M->F, (M->cap = M->cap ? 2 * M->cap : 32) * sizeof *M->F);
    M->F[M->n++] = f;
    if (M->nc + nx > M->capc) M->C = realloc(M->C, (M->capc = 2 * (M->nc + nx) + 32) * sizeof *M->C);
    for (int k = 0; k < nx; k++) M->C[M->nc++] = X[k];
  }
  free(X), free(W);
  return 0;
}

/* The seam of an OCC cylinder (the ruling at angle 0 of its lateral face) lies along the X
   direction of gp_Ax2(P, d), which OpenCASCADE derives from d alone (gp_Ax2.cxx); Y = d x X. */
static void OccFrame(const double d[3], double X[3], double Y[3])
{
  const double A = d[0], B = d[1], C = d[2], a = fabs(A), b = fabs(B), c = fabs(C);
  double       l;
  if (b <= a && b <= c) X[0] = a > c ? -C : C, X[1] = 0, X[2] = a > c ? A : -A;
  else if (a <= b && a <= c) X[0] = 0, X[1] = b > c ? -C : C, X[2] = b > c ? B : -B;
  else X[0] = a > b ? -B : B, X[1] = a > b ? A : -A, X[2] = 0;
  l = sqrt(Dot(X, X));
  for (int i = 0; i < 3; i++) X[i] /= l;
  Y[0] = d[1] * X[2] - d[2] * X[1], Y[1] = d[2] * X[0] - d[0] * X[2], Y[2] = d[0] * X[1] - d[1] * X[0];
}

static double AngleGap(double a, double b)
{
  const double t = fmod(fabs(a - b), 2 * NPP_PI);
  return fmin(t, 2 * NPP_PI - t);
}

/* The angle (about the axis, from OCC's default X) to turn fibre i so that its seam keeps off
   the curves along which it crosses other fibres. A ruling of fibre i at angle a lies
   |r cos(a - b) - D| from the axis of a fibre j it crosses (b: the direction of the common
   normal towards j, D: the axes' distance), so it meets j iff |a - b| < h = acos(D / r - 1),
   and at |a - b| = h it is tangent to j, running along the crossing curve. A seam meeting a
   crossing curve splits it at points of the seam, where Gmsh must tell apart the two copies of
   the seam in the face's parameter plane (the likely culprit): with seed 3 of the 40 um film at
   0.126 a seam through a crossing (56 degrees off a tangent ruling, so not grazing) ended on the
   crossing curve at a vertex whose face mesh held a flat triangle of three seam nodes, and a
   flat tetrahedron on it. So the seam meets as few crossing fibres as it can
   (missing one by less than SEAM_CLEAR counts as meeting it), and among those angles keeps
   farthest from every tangent ruling (a - b = +-h). *clear gets that distance, negative if
   the seam meets a crossing fibre; pi if the fibre crosses nothing. */
double NppScaffoldSeamAngle(const Mat *M, int i, double *clear)
{
  const Fibre *A = &M->F[i];
  const double r = M->s.fibre_radius;
  double       X[3], Y[3], b[32], h[32], best = 0;
  int          n = 0;
  OccFrame(A->d, X, Y);
  for (int k = 0; k < M->nc && n < 32; k++) {
    const Crossing *c = &M->C[k];
    if (c->i != i && c->j != i) continue;
    const Fibre *B    = &M->F[c->i == i ? c->j : c->i];
    double       m[3] = {A->d[1] * B->d[2] - A->d[2] * B->d[1], A->d[2] * B->d[0] - A->d[0] * B->d[2], A->d[0] * B->d[1] - A->d[1] * B->d[0]}, w[3], l = sqrt(Dot(m, m)), D;
    if (l < 1e-12) continue; /* parallel fibres do not cross */
    for (int q = 0; q < 3; q++) m[q] /= l, w[q] = B->p[q] - A->p[q];
    D = Dot(w, m);
    if (D < 0)
      for (int q = 0; q < 3; q++) m[q] = -m[q];
    b[n] = atan2(Dot(m, Y), Dot(m, X)), h[n++] = acos(fmax(-1, fmin(1, fabs(D) / r - 1)));
  }
  *clear = NPP_PI;
  if (!n) return 0;
  for (int s = 0, fewest = n + 1; s < 720; s++) {
    const double a   = 2 * NPP_PI * s / 720;
    double       e   = INFINITY, g;
    int          met = 0;
    for (int k = 0; k < n; k++) {
      g = AngleGap(a, b[k]) - h[k]; /* > 0: the ruling misses fibre k */
      met += g < SEAM_CLEAR, e = fmin(e, fabs(g));
    }
    if (met < fewest || (met == fewest && e > fabs(*clear))) fewest = met, *clear = met ? -e : e, best = a;
  }
  return best;
}
