/* SPDX-License-Identifier: BSD-2-Clause */
/* The scaffold generator: physical groups, the meshed electrolyte against the OCC fibre
   volume, the achieved fraction, fibres confined to their slab, spanning electrolyte,
   reproducibility, and input checking; in 2D and 3D; no flat tetrahedron in the 40 um film
   (seed 3, once one at a fibre crossing). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gmshc.h>
#include "gmsh_scaffold.h"
#include "gmsh_test_util.h"

#define PI 3.14159265358979323846

/* The smallest tetrahedron of a 3D .msh relative to the mean one (0 if none). */
static double SmallestCellRatio(const char *path)
{
  int     ierr = 0;
  size_t  n = 0, nx = 0, np = 0, maxtag = 0, *ntags = NULL, *el = NULL, nel = 0, *nodes = NULL, nnodes = 0;
  double *xyz = NULL, *par = NULL, **at = NULL, sum = 0, least = INFINITY;
  gmshInitialize(0, NULL, 0, &ierr);
  gmshOptionSetNumber("General.Terminal", 0, &ierr);
  gmshOpen(path, &ierr);
  gmshModelMeshGetNodes(&ntags, &n, &xyz, &nx, &par, &np, -1, -1, 0, 0, &ierr);
  for (size_t i = 0; i < n; i++) maxtag = ntags[i] > maxtag ? ntags[i] : maxtag;
  at = calloc(maxtag + 1, sizeof *at);
  for (size_t i = 0; i < n; i++) at[ntags[i]] = xyz + 3 * i;
  gmshModelMeshGetElementsByType(4, &el, &nel, &nodes, &nnodes, -1, 0, 1, &ierr);
  for (size_t c = 0; c < nel; c++) {
    const double *v[4];
    double        a[3], b[3], d[3], m;
    for (int i = 0; i < 4; i++) v[i] = at[nodes[4 * c + i]];
    for (int i = 0; i < 3; i++) a[i] = v[1][i] - v[0][i], b[i] = v[2][i] - v[0][i], d[i] = v[3][i] - v[0][i];
    m = fabs((a[1] * b[2] - a[2] * b[1]) * d[0] + (a[2] * b[0] - a[0] * b[2]) * d[1] + (a[0] * b[1] - a[1] * b[0]) * d[2]) / 6;
    sum += m, least = fmin(least, m);
  }
  free(at);
  gmshFree(ntags), gmshFree(xyz), gmshFree(par), gmshFree(el), gmshFree(nodes);
  gmshFinalize(&ierr);
  return nel && sum > 0 ? least / (sum / nel) : 0;
}

/* The checks common to 2D and 3D. tol: the allowed |achieved - target| slab fraction. */
static void Common(const NppGmshScaffoldSpec *S, const char *path, const char *tag, double tol, const char *faces)
{
  NppGmshScaffoldReport rep, rep2;
  NppGmshScaffoldSpec   T = *S;
  char                  err[512], msg[1400], groups[256];
  const double          boxm = S->box[0] * S->box[1] * (S->dim == 3 ? S->box[2] : 1), slabm = boxm * (S->layer[1] - S->layer[0]) / S->box[0];
  Stats                 el, fib;
  int                   ok = !NppGmshScaffold(S, path, &rep, err, sizeof err);

  snprintf(msg, sizeof msg, "%s: generated, %d fibres, slab fraction %.4f (target %g, within %.3f), film fraction %.4f, %ld cells %s", tag, rep.nfibres, rep.volume_fraction, S->volume_fraction, tol, rep.film_fraction, rep.ncells, ok ? "" : err);
  Check(ok && rep.nfibres > 0 && fabs(rep.volume_fraction - S->volume_fraction) <= tol && Rel(rep.film_fraction * boxm, rep.volume_fraction * slabm) < 1e-12, msg);
  Groups(path, S->dim, groups, sizeof groups);
  Check(!strcmp(groups, S->electrolyte_name), "region group: the electrolyte only");
  Groups(path, S->dim - 1, groups, sizeof groups);
  snprintf(msg, sizeof msg, "%s: boundary groups %s (%s)", tag, faces, groups);
  Check(!strcmp(groups, faces), msg);
  MeshStats(path, S->dim, S->electrolyte_name, &el);
  snprintf(msg, sizeof msg, "%s: meshed electrolyte %.8g = box x (1 - film fraction) = %.8g within 1e-3 (rel. %.2e)", tag, el.measure, boxm * (1 - rep.film_fraction), Rel(el.measure, boxm * (1 - rep.film_fraction)));
  Check(Rel(el.measure, boxm * (1 - rep.film_fraction)) < 1e-3, msg);
  MeshStats(path, S->dim - 1, "fibres", &fib);
  snprintf(msg, sizeof msg, "%s: fibre nodes in the slab: x in [%.6g, %.6g] within [%g, %g]; mesh fibre %s %.6g = OCC %.6g within 1e-2", tag, fib.xmin, fib.xmax, S->layer[0], S->layer[1], S->dim == 3 ? "area" : "perimeter", fib.measure, rep.fibre_area);
  Check(fib.n > 0 && fib.xmin >= S->layer[0] * (1 - 1e-9) && fib.xmax <= S->layer[1] * (1 + 1e-9) && Rel(fib.measure, rep.fibre_area) < 1e-2, msg);
  snprintf(msg, sizeof msg, "%s: electrolyte_spans = %d", tag, rep.electrolyte_spans);
  Check(rep.electrolyte_spans == 1, msg);
  ok = !NppGmshScaffold(S, path, &rep2, err, sizeof err) && rep2.ncells == rep.ncells && rep2.volume_fraction == rep.volume_fraction && rep2.nfibres == rep.nfibres;
  snprintf(msg, sizeof msg, "%s: same seed, same mesh (%ld cells)", tag, rep.ncells);
  Check(ok, msg);
  T.seed = S->seed + 1;
  ok     = !NppGmshScaffold(&T, path, &rep2, err, sizeof err) && rep2.volume_fraction != rep.volume_fraction && rep2.fibre_area != rep.fibre_area;
  snprintf(msg, sizeof msg, "%s: another seed, another geometry (fraction %.6f vs %.6f, %ld cells) %s", tag, rep2.volume_fraction, rep.volume_fraction, rep2.ncells, ok ? "" : err);
  Check(ok, msg);
}

int main(void)
{
  char path[64];
  snprintf(path, sizeof path, "/tmp/npp-test-scaffold-%d.msh", (int)getpid());

  /* 2D: disks in the middle half of the film; cells of r/10 on the disks keep the polygonal
     disks within 2e-4 of the true electrolyte area */
  NppGmshScaffoldSpec S2 = {
    .dim = 2, .box = {40e-6, 20e-6, 20e-6},
         .layer = {10e-6, 30e-6},
         .fibre_radius = 1.5e-6, .volume_fraction = 0.25, .orientation_spread = 10, .min_gap = 0.2, .seed = 3, .electrolyte_name = "electrolyte", .size = 1.5e-6, .interface_size = 0.15e-6
  };
  /* the last disk is kept only if it brings the fraction closer: off by at most half a disk,
     plus the voxel tally's error (pixels of r/20) */
  Common(&S2, path, "2-D", 0.5 * PI * 1.5e-6 * 1.5e-6 / (20e-6 * 20e-6) + 0.003, "xmin,xmax,ymin,ymax,fibres");

  /* 3D: a tilted mat in a slab; cells of r/5 on the fibres */
  NppGmshScaffoldSpec S3 = {
    .dim = 3, .box = {16e-6, 12e-6, 12e-6},
         .layer = {4e-6, 12e-6},
         .fibre_radius = 1.2e-6, .volume_fraction = 0.2, .orientation_spread = 20, .min_gap = 0.2, .seed = 1, .electrolyte_name = "sulfide", .size = 1.5e-6, .interface_size = 0.25e-6
  };
  /* half a fibre across the box diagonal, plus the voxel tally's error (voxels of r/6) */
  Common(&S3, path, "3-D", 0.5 * PI * 1.2e-6 * 1.2e-6 * 12e-6 * sqrt(2) / (8e-6 * 12e-6 * 12e-6) + 0.005, "xmin,xmax,ymin,ymax,zmin,zmax,fibres");

  { /* seed 3 of the 40 um film at 12.6 % (20 fibres): a cylinder's seam through a fibre it
       crosses once left a flat tetrahedron in the crevice of the crossing (at 8.9, 10.1, 12.4
       um), which the solver refused; the seams now keep off the crossings and a flat cell
       would fail the generator */
    NppGmshScaffoldSpec F = {
      .dim = 3, .box = {40e-6, 20e-6, 20e-6},
           .layer = {0, 40e-6},
           .fibre_radius = 1.5e-6, .volume_fraction = 0.126, .orientation_spread = 10, .min_gap = 0.2, .seed = 3, .electrolyte_name = "electrolyte", .size = 1.5e-6, .interface_size = 0.75e-6
    };
    NppGmshScaffoldReport rep;
    char                  err[512] = "", msg[800];
    double                ratio    = 0;
    int                   ok       = !NppGmshScaffold(&F, path, &rep, err, sizeof err);
    if (ok) ratio = SmallestCellRatio(path);
    snprintf(msg, sizeof msg, "3-D film, seed 3: generated (%d fibres, %ld cells), smallest cell %.2e of the mean > 1e-6 %s", rep.nfibres, rep.ncells, ratio, ok ? "" : err);
    Check(ok && ratio > 1e-6, msg);
  }

  { /* bad input: the message names the field and its value, on one line */
    NppGmshScaffoldReport rep;
    char                  err[512], msg[700];
    struct {
      const char *field, *value;
    } bad[6] = {
      {"layer[1]",           "5e-05" },
      {"volume_fraction",    "0.7"   },
      {"fibre_radius",       "-1e-06"},
      {"orientation_spread", "95"    },
      {"interface_size",     "2e-06" },
      {"dim",                "4"     }
    };
    for (int i = 0; i < 6; i++) {
      NppGmshScaffoldSpec B = S3;
      switch (i) {
      case 0:
        B.layer[1] = 50e-6;
        break;
      case 1:
        B.volume_fraction = 0.7;
        break;
      case 2:
        B.fibre_radius = -1e-6;
        break;
      case 3:
        B.orientation_spread = 95;
        break;
      case 4:
        B.interface_size = 2e-6;
        break;
      case 5:
        B.dim = 4;
        break;
      }
      err[0] = 0;
      int ok = NppGmshScaffold(&B, path, &rep, err, sizeof err) && strstr(err, bad[i].field) && strstr(err, bad[i].value) && !strchr(err, '\n');
      snprintf(msg, sizeof msg, "bad input %s = %s rejected: %s", bad[i].field, bad[i].value, err);
      Check(ok, msg);
    }
  }
  unlink(path);
  printf("%d failed\n", Failures());
  return Failures() != 0;
}
