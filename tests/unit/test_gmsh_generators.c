/* The Gmsh generators: cell counts of structured layer stacks, physical groups, particle
   fractions, reproducibility, and input checking. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <gmshc.h>
#include "gmsh_generators.h"

static int failures = 0;

static void Check(int ok, const char *what)
{
  printf("%s %s\n", ok ? "ok    " : "FAILED", what);
  failures += !ok;
}

/* Names of the physical groups of dimension dim in a .msh, comma-separated, sorted by tag. */
static void Groups(const char *path, int dim, char *names, size_t len)
{
  int   *dt = NULL, ierr = 0;
  size_t n  = 0;
  names[0]  = 0;
  gmshInitialize(0, NULL, 0, &ierr);
  gmshOptionSetNumber("General.Terminal", 0, &ierr);
  gmshOpen(path, &ierr);
  gmshModelGetPhysicalGroups(&dt, &n, dim, &ierr);
  for (size_t k = 0; k < n / 2; k++) {
    char *name = NULL;
    gmshModelGetPhysicalName(dim, dt[2 * k + 1], &name, &ierr);
    snprintf(names + strlen(names), len - strlen(names), "%s%s", k ? "," : "", name);
    gmshFree(name);
  }
  gmshFree(dt);
  gmshFinalize(&ierr);
}

int main(void)
{
  char              err[512], path[64], groups[256], msg[600];
  NppGmshReport     rep;
  NppGmshLayersSpec L = {.dim = 2, .nlayers = 2, .thickness = {1, 3}, .name = {"a", "b"}, .width = {1, 1}, .size = 0.5, .structured = 1};

  snprintf(path, sizeof path, "/tmp/npp-test-gmsh-%d.msh", (int)getpid());
  Check(!NppGmshLayers(&L, path, &rep, err, sizeof err) && rep.ncells == 16, "2-D structured layers 1 + 3 wide 1, size 0.5: 16 quads");
  Groups(path, 2, groups, sizeof groups);
  Check(!strcmp(groups, "a,b"), "2-D layers: region groups a,b");
  Groups(path, 1, groups, sizeof groups);
  snprintf(msg, sizeof msg, "2-D layers: boundary groups xmin,xmax,ymin,ymax (%s)", groups);
  Check(!strcmp(groups, "xmin,xmax,ymin,ymax"), msg);
  L.dim = 1;
  Check(!NppGmshLayers(&L, path, &rep, err, sizeof err) && rep.ncells == 8, "1-D layers: 2 + 6 segments");
  Groups(path, 0, groups, sizeof groups);
  Check(!strcmp(groups, "xmin,xmax"), "1-D layers: boundary points xmin,xmax");
  L.dim = 3, L.name[1][0] = 'a';
  Check(!NppGmshLayers(&L, path, &rep, err, sizeof err) && rep.ncells == 32, "3-D structured layers: 8 x 2 x 2 = 32 hexes");
  Groups(path, 3, groups, sizeof groups);
  Check(!strcmp(groups, "a"), "3-D layers with equal names: one region a");
  L.structured = 0;
  Check(!NppGmshLayers(&L, path, &rep, err, sizeof err) && rep.ncells > 32, "3-D unstructured layers: tetrahedra");

  { /* bump: cells crowd towards both faces of the layer, the count is unchanged */
    NppGmshLayersSpec B = {.dim = 1, .nlayers = 1, .thickness = {1e-6}, .name = {"a"}, .size = 0.05e-6, .bump = {0.1}};
    int       ok = !NppGmshLayers(&B, path, &rep, err, sizeof err) && rep.ncells == 20, ierr = 0;
    double    hmin = 1, hmax = 0, *xyz = NULL, *par = NULL;
    size_t   *tags = NULL, n = 0, nx = 0, np = 0;
    gmshInitialize(0, NULL, 0, &ierr);
    gmshOptionSetNumber("General.Terminal", 0, &ierr);
    gmshOpen(path, &ierr);
    gmshModelMeshGetNodes(&tags, &n, &xyz, &nx, &par, &np, -1, -1, 0, 0, &ierr);
    /* sort the x coordinates (few nodes: insertion sort) and measure the spacing */
    for (size_t i = 1; i < n; i++)
      for (size_t j = i; j > 0 && xyz[3 * j] < xyz[3 * (j - 1)]; j--) {
        double t = xyz[3 * j];
        xyz[3 * j] = xyz[3 * (j - 1)], xyz[3 * (j - 1)] = t;
      }
    for (size_t i = 1; i < n; i++) hmin = fmin(hmin, xyz[3 * i] - xyz[3 * (i - 1)]), hmax = fmax(hmax, xyz[3 * i] - xyz[3 * (i - 1)]);
    gmshFree(tags), gmshFree(xyz), gmshFree(par);
    gmshFinalize(&ierr);
    snprintf(msg, sizeof msg, "1-D layer with bump 0.1: 20 cells, largest/smallest %.2f in (5, 12)", hmax / hmin);
    Check(ok && hmax / hmin > 5 && hmax / hmin < 12, msg);
    B.bump[0] = 1.5;
    Check(NppGmshLayers(&B, path, &rep, err, sizeof err) && strstr(err, "bump"), "bump 1.5 rejected");
  }

  NppGmshParticlesSpec P = {.dim = 2, .box = {10, 10, 10}, .volume_fraction = 0.2, .radius = 1, .radius_spread = 0.2, .min_gap = 0.1,
                            .seed = 5, .matrix_name = "polymer", .particle_name = "ceramic", .size = 0.8, .interface_size = 0.3};
  int ok = !NppGmshParticles(&P, path, &rep, err, sizeof err);
  snprintf(msg, sizeof msg, "2-D particles: fraction %.4f within 0.03 of 0.2 (%d disks, %ld triangles) %s", rep.volume_fraction, rep.nparticles, rep.ncells, ok ? "" : err);
  Check(ok && fabs(rep.volume_fraction - 0.2) < 0.03, msg);
  Groups(path, 2, groups, sizeof groups);
  Check(!strcmp(groups, "polymer,ceramic"), "2-D particles: regions polymer,ceramic");
  NppGmshReport rep2;
  Check(!NppGmshParticles(&P, path, &rep2, err, sizeof err) && rep2.ncells == rep.ncells && rep2.volume_fraction == rep.volume_fraction, "2-D particles: same seed, same mesh");
  P.dim = 3, P.volume_fraction = 0.1, P.size = 1.5, P.interface_size = 0.75;
  ok = !NppGmshParticles(&P, path, &rep, err, sizeof err);
  snprintf(msg, sizeof msg, "3-D particles: fraction %.4f within 0.03 of 0.1 (%d spheres, %ld tetrahedra) %s", rep.volume_fraction, rep.nparticles, rep.ncells, ok ? "" : err);
  Check(ok && fabs(rep.volume_fraction - 0.1) < 0.03, msg);
  Groups(path, 2, groups, sizeof groups);
  Check(!strcmp(groups, "xmin,xmax,ymin,ymax,zmin,zmax"), "3-D particles: six box faces");

  P.volume_fraction = 0.9;
  Check(NppGmshParticles(&P, path, &rep, err, sizeof err) && strstr(err, "volume_fraction") && strstr(err, "0.9"), "volume_fraction 0.9 rejected, message names it");
  P.volume_fraction = 0.1, P.size = -1;
  Check(NppGmshParticles(&P, path, &rep, err, sizeof err) && strstr(err, "size"), "negative size rejected");
  L.nlayers = 0;
  Check(NppGmshLayers(&L, path, &rep, err, sizeof err) && strstr(err, "layers"), "zero layers rejected");
  L.nlayers = 2, L.dim = 4;
  Check(NppGmshLayers(&L, path, &rep, err, sizeof err) && strstr(err, "dim"), "dim 4 rejected");
  unlink(path);
  printf("%d failed\n", failures);
  return failures != 0;
}
