/* SPDX-License-Identifier: BSD-2-Clause */
/* Core-shell particles in the `particles` generator: three regions and the box faces, meshed
   core and shell measures against the OpenCASCADE ones, the shell/core ratio of uncut particles
   against ((r + t)/r)^dim - 1, thin shells meshed with about two cells across, reproducibility,
   shell_thickness = 0 identical to plain particles, and input checking. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gmshc.h>
#include "gmsh_generators.h"
#include "gmsh_test_util.h"

/* 1 if the two files have the same bytes */
static int SameFile(const char *a, const char *b)
{
  FILE *f = fopen(a, "rb"), *g = fopen(b, "rb");
  int   same = f && g, c, d;
  while (same && ((c = getc(f)) != EOF) | ((d = getc(g)) != EOF)) same = c == d;
  if (f) fclose(f);
  if (g) fclose(g);
  return same;
}

/* Meshed measure of a region against the exact (OCC) one; below: a polygon or polyhedron
   inscribed in a convex core is smaller than it */
static int CheckMeasure(const char *path, int dim, const char *name, double exact, double tol, int below, const char *what)
{
  Stats st;
  char  msg[512];
  int   found = MeshStats(path, dim, name, &st);
  snprintf(msg, sizeof msg, "%s: mesh %s %.8g = OCC %.8g within %.1e%s (rel. difference %.2e, %ld cells)", what, name, st.measure, exact, tol, below ? ", below it" : "", Rel(st.measure, exact), st.n);
  Check(found && Rel(st.measure, exact) < tol && (!below || st.measure < exact), msg);
  return found;
}

int main(void)
{
  const double  pi = 3.14159265358979323846;
  char          err[512], path[64], path2[64], groups[256], msg[1400];
  NppGmshReport rep, rep2;
  Stats         st;
  int           ok;

  snprintf(path, sizeof path, "/tmp/npp-test-shell-%d.msh", (int)getpid());
  snprintf(path2, sizeof path2, "/tmp/npp-test-shell-%d-b.msh", (int)getpid());

  { /* 2-D, radii spread: regions, boundaries, measures, reproducibility. The shell (0.25) is at
       least 2 interface sizes (0.1): both circles carry edges of about h = 0.1. An inscribed
       polygon with edges h misses (h/r)^2/6 of a disk's area: with r >= 0.9 and edges up to
       1.5 h the meshed core area is at most 4.2e-3 below the exact one (6e-3 allowed). In the
       shell the two misses nearly cancel (pi h^2/6 each, for any radius): 2e-3. */
    NppGmshParticlesSpec P = {
      .dim = 2, .box = {10, 10, 10},
           .volume_fraction = 0.15, .radius = 1, .radius_spread = 0.1, .min_gap = 0.1, .seed = 3, .matrix_name = "polymer", .particle_name = "ceramic", .shell_thickness = 0.25, .shell_name = "coating", .size = 0.6, .interface_size = 0.1
    };
    ok = !NppGmshParticles(&P, path, &rep, err, sizeof err);
    snprintf(msg, sizeof msg, "2-D core-shell: core fraction %.4f within 0.03 of 0.15, shell fraction %.4f (%d disks, %ld triangles) %s", rep.volume_fraction, rep.shell_fraction, rep.nparticles, rep.ncells, ok ? "" : err);
    Check(ok && fabs(rep.volume_fraction - 0.15) < 0.03 && rep.shell_fraction > 0, msg);
    Groups(path, 2, groups, sizeof groups);
    snprintf(msg, sizeof msg, "2-D core-shell: regions polymer,ceramic,coating (%s)", groups);
    Check(!strcmp(groups, "polymer,ceramic,coating"), msg);
    Groups(path, 1, groups, sizeof groups);
    snprintf(msg, sizeof msg, "2-D core-shell: boundaries xmin,xmax,ymin,ymax (%s)", groups);
    Check(!strcmp(groups, "xmin,xmax,ymin,ymax"), msg);
    CheckMeasure(path, 2, "ceramic", rep.volume_fraction * 100, 6e-3, 1, "2-D core-shell");
    CheckMeasure(path, 2, "coating", rep.shell_fraction * 100, 2e-3, 0, "2-D core-shell");
    CheckMeasure(path, 2, "polymer", (1 - rep.volume_fraction - rep.shell_fraction) * 100, 1e-3, 0, "2-D core-shell");
    ok = !NppGmshParticles(&P, path2, &rep2, err, sizeof err) && rep2.ncells == rep.ncells && rep2.volume_fraction == rep.volume_fraction && rep2.shell_fraction == rep.shell_fraction && SameFile(path, path2);
    Check(ok, "2-D core-shell: same seed, byte-identical .msh");
  }

  { /* 2-D, one radius, no particle cut by the box: OCC shell/core = ((r + t)/r)^2 - 1 exactly;
       the meshed ratio within the polygon errors above (6e-3) */
    const double         r = 1, t = 0.3, ratio = pow((r + t) / r, 2) - 1;
    NppGmshParticlesSpec P = {
      .dim = 2, .box = {12, 12, 12},
           .volume_fraction = 0.1, .radius = r, .min_gap = 0.3, .seed = 4, .matrix_name = "matrix", .particle_name = "particle", .shell_thickness = t, .shell_name = "shell", .size = 0.6, .interface_size = 0.1
    };
    Stats core, shell;
    ok = !NppGmshParticles(&P, path, &rep, err, sizeof err);
    MeshStats(path, 2, "particle", &core), MeshStats(path, 2, "shell", &shell);
    snprintf(msg, sizeof msg, "2-D %d equal disks, none cut (core fraction %.10g = n pi r^2 / box, 1e-7): OCC shell/core %.10g = %.10g (1e-7), mesh %.6g (6e-3) %s", rep.nparticles, rep.volume_fraction, rep.shell_fraction / rep.volume_fraction, ratio,
             shell.measure / core.measure, ok ? "" : err);
    Check(ok && Rel(rep.volume_fraction, rep.nparticles * pi * r * r / 144) < 1e-7 && Rel(rep.shell_fraction / rep.volume_fraction, ratio) < 1e-7 && Rel(shell.measure / core.measure, ratio) < 6e-3, msg);
  }

  { /* 2-D thin shell, t = 0.12 < 2 interface_size = 0.4: cells of t/2 = 0.06 in the shell; the
       longest shell edge is at most about 1.5 of it, i.e. two cells or more across */
    NppGmshParticlesSpec P = {
      .dim = 2, .box = {10, 10, 10},
           .volume_fraction = 0.1, .radius = 1, .min_gap = 0.2, .seed = 1, .matrix_name = "matrix", .particle_name = "particle", .shell_thickness = 0.12, .shell_name = "shell", .size = 0.6, .interface_size = 0.2
    };
    ok = !NppGmshParticles(&P, path, &rep, err, sizeof err);
    MeshStats(path, 2, "shell", &st);
    snprintf(msg, sizeof msg, "2-D thin shell 0.12, interface 0.2: longest shell edge %.4g <= 1.5 t/2 = %.4g (%ld shell triangles of %ld) %s", st.edge, 0.09, st.n, rep.ncells, ok ? "" : err);
    Check(ok && st.edge <= 0.09 && st.n > 0, msg);
    CheckMeasure(path, 2, "shell", rep.shell_fraction * 100, 2e-3, 0, "2-D thin shell");
  }

  { /* 3-D, one radius, thin shell: regions, six faces, core volume, cells of t/2 in the shell, and
       the shell/core ratio of uncut spheres (seed 54: none cut). The shell (0.04 < 2 x 0.05) gets
       cells of t/2 = 0.02, also on the core surface. A triangulated sphere with edges h misses
       about (h/r)^2/4 of the ball's volume: with h up to 1.5 x 0.02 and r = 0.12, 1.6e-2 (about
       9e-3 measured, as the mean edge is ~1.1 x 0.02). In the shell the misses of the two spheres
       partly cancel (pi h^2 (R - r) / 3 to leading order), so the meshed shell/core ratio is off
       by about the core's miss: 1.6e-2 too. Mean shell edge <= 1.4 t/2 = 0.028 (about 0.055 without
       the shell refinement: 1.1 interface_size); Delaunay tetrahedra have a wide spread of edges, so
       the mean, not the longest, is checked. */
    const double         r = 0.12, t = 0.04, ratio = pow((r + t) / r, 3) - 1;
    NppGmshParticlesSpec P = {
      .dim = 3, .box = {1, 1, 1},
           .volume_fraction = 0.03, .radius = r, .min_gap = 0.3, .seed = 54, .matrix_name = "matrix", .particle_name = "particle", .shell_thickness = t, .shell_name = "shell", .size = 0.15, .interface_size = 0.05
    };
    Stats core, shell;
    ok = !NppGmshParticles(&P, path, &rep, err, sizeof err);
    snprintf(msg, sizeof msg, "3-D core-shell: core fraction %.4f within 0.01 of 0.03, shell fraction %.4f (%d spheres, %ld tetrahedra) %s", rep.volume_fraction, rep.shell_fraction, rep.nparticles, rep.ncells, ok ? "" : err);
    Check(ok && fabs(rep.volume_fraction - 0.03) < 0.01, msg);
    Groups(path, 3, groups, sizeof groups);
    snprintf(msg, sizeof msg, "3-D core-shell: regions matrix,particle,shell (%s)", groups);
    Check(!strcmp(groups, "matrix,particle,shell"), msg);
    Groups(path, 2, groups, sizeof groups);
    snprintf(msg, sizeof msg, "3-D core-shell: six box faces (%s)", groups);
    Check(!strcmp(groups, "xmin,xmax,ymin,ymax,zmin,zmax"), msg);
    CheckMeasure(path, 3, "particle", rep.volume_fraction, 1.6e-2, 1, "3-D core-shell");
    MeshStats(path, 3, "particle", &core), MeshStats(path, 3, "shell", &shell);
    snprintf(msg, sizeof msg, "3-D %d equal spheres, none cut (core fraction %.10g = n 4/3 pi r^3, 1e-6): OCC shell/core %.10g = %.10g (1e-6), mesh %.6g (1.6e-2); mean shell edge %.4g <= 1.4 t/2 = 0.028 (longest %.4g) %s", rep.nparticles, rep.volume_fraction,
             rep.shell_fraction / rep.volume_fraction, ratio, shell.measure / core.measure, shell.mean, shell.edge, ok ? "" : err);
    Check(ok && Rel(rep.volume_fraction, rep.nparticles * 4 * pi / 3 * r * r * r) < 1e-6 && Rel(rep.shell_fraction / rep.volume_fraction, ratio) < 1e-6 && Rel(shell.measure / core.measure, ratio) < 1.6e-2 && shell.mean <= 0.7 * t, msg);
  }

  { /* 3-D, radii spread, thick shells, particles cut by the faces: box = matrix + cores + shells */
    NppGmshParticlesSpec P = {
      .dim = 3, .box = {1, 1, 1},
           .volume_fraction = 0.1, .radius = 0.12, .radius_spread = 0.2, .min_gap = 0.1, .seed = 5, .matrix_name = "matrix", .particle_name = "particle", .shell_thickness = 0.06, .shell_name = "shell", .size = 0.15, .interface_size = 0.03
    };
    Stats m, c, s;
    ok = !NppGmshParticles(&P, path, &rep, err, sizeof err);
    MeshStats(path, 3, "matrix", &m), MeshStats(path, 3, "particle", &c), MeshStats(path, 3, "shell", &s);
    snprintf(msg, sizeof msg, "3-D core-shell, radii spread: %d spheres, core fraction %.4f, shell %.4f; mesh matrix + cores + shells = %.10g = box (1e-9) %s", rep.nparticles, rep.volume_fraction, rep.shell_fraction, m.measure + c.measure + s.measure, ok ? "" : err);
    Check(ok && fabs(m.measure + c.measure + s.measure - 1) < 1e-9 && fabs(rep.volume_fraction - 0.1) < 0.03, msg);
    ok = !NppGmshParticles(&P, path2, &rep2, err, sizeof err) && rep2.ncells == rep.ncells && SameFile(path, path2);
    Check(ok, "3-D core-shell: same seed, byte-identical .msh");
  }

  { /* shell_thickness 0: plain particles, whatever the shell name. 1362 triangles and this
       fraction were produced by the generator before shells existed (Gmsh 4.8.4); the same spec
       is in test_gmsh_generators.c */
    NppGmshParticlesSpec P = {
      .dim = 2, .box = {10, 10, 10},
           .volume_fraction = 0.2, .radius = 1, .radius_spread = 0.2, .min_gap = 0.1, .seed = 5, .matrix_name = "polymer", .particle_name = "ceramic", .size = 0.8, .interface_size = 0.3
    };
    char *version = NULL;
    int   ierr    = 0;
    ok            = !NppGmshParticles(&P, path, &rep, err, sizeof err);
    strcpy(P.shell_name, "coating");
    ok = ok && !NppGmshParticles(&P, path2, &rep2, err, sizeof err) && SameFile(path, path2) && rep.shell_fraction == 0;
    Groups(path2, 2, groups, sizeof groups);
    snprintf(msg, sizeof msg, "shell_thickness 0: same .msh with and without a shell name, regions %s, shell fraction 0", groups);
    Check(ok && !strcmp(groups, "polymer,ceramic"), msg);
    gmshInitialize(0, NULL, 0, &ierr);
    gmshOptionGetString("General.Version", &version, &ierr);
    gmshFinalize(&ierr);
    if (version && !strcmp(version, "4.8.4")) {
      snprintf(msg, sizeof msg, "shell_thickness 0: %ld triangles, fraction %.17g as before shells (1362, 0.22633205439647444)", rep.ncells, rep.volume_fraction);
      Check(rep.ncells == 1362 && rep.volume_fraction == 0.22633205439647444, msg);
    } else printf("skip   shell_thickness 0 against the recorded pre-shell mesh: Gmsh %s, not 4.8.4\n", version ? version : "?");
    if (version) gmshFree(version);
  }

  { /* bad input: each message names the field and its value, on one line */
    const NppGmshParticlesSpec A = {
      .dim = 2, .box = {10, 10, 10},
           .volume_fraction = 0.2, .radius = 1, .min_gap = 0.1, .seed = 1, .matrix_name = "polymer", .particle_name = "ceramic", .shell_thickness = 0.2, .shell_name = "coating", .size = 0.8, .interface_size = 0.3
    };
    struct {
      const char *field, *value;
    } bad[6] = {
      {"shell_thickness",          "-0.1"   },
      {"shell_thickness",          "nan"    },
      {"shell_name",               "polymer"},
      {"shell_name",               "ceramic"},
      {"radius + shell_thickness", "5.5"    },
      {"shell_thickness",          "1"      }
    };
    for (int i = 0; i < 6; i++) {
      NppGmshParticlesSpec B = A;
      switch (i) {
      case 0:
        B.shell_thickness = -0.1;
        break;
      case 1:
        B.shell_thickness = NAN;
        break;
      case 2:
        strcpy(B.shell_name, "polymer");
        break;
      case 3:
        strcpy(B.shell_name, "ceramic");
        break;
      case 4:
        B.shell_thickness = 4.5;
        break;
      case 5:
        B.volume_fraction = 0.3, B.shell_thickness = 1;
        break; /* shells would fill 2.4 */
      }
      err[0] = 0;
      ok     = NppGmshParticles(&B, path, &rep, err, sizeof err) && strstr(err, bad[i].field) && strstr(err, bad[i].value) && !strchr(err, '\n');
      snprintf(msg, sizeof msg, "bad input %s = %s rejected: %s", bad[i].field, bad[i].value, err);
      Check(ok, msg);
    }
  }
  unlink(path), unlink(path2);
  printf("%d failed\n", Failures());
  return Failures() != 0;
}
