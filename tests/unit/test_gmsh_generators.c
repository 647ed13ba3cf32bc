/* SPDX-License-Identifier: BSD-2-Clause */
/* The Gmsh generators: cell counts of structured layer stacks, physical groups, particle
   fractions, reproducibility, and input checking. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gmshc.h>
#include "gmsh_generators.h"
#include "gmsh_test_util.h"

int main(void)
{
  char              err[512], path[64], groups[256], msg[1400];
  NppGmshReport     rep;
  NppGmshLayersSpec L = {
    .dim = 2, .nlayers = 2, .thickness = {1,   3  },
            .name = {"a", "b"},
            .width = {1,   1  },
            .size = 0.5, .structured = 1
  };

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
    NppGmshLayersSpec B  = {.dim = 1, .nlayers = 1, .thickness = {1e-6}, .name = {"a"}, .size = 0.05e-6, .bump = {0.1}};
    int               ok = !NppGmshLayers(&B, path, &rep, err, sizeof err) && rep.ncells == 20, ierr = 0;
    double            hmin = 1, hmax = 0, *xyz = NULL, *par = NULL;
    size_t           *tags = NULL, n = 0, nx = 0, np = 0;
    gmshInitialize(0, NULL, 0, &ierr);
    gmshOptionSetNumber("General.Terminal", 0, &ierr);
    gmshOpen(path, &ierr);
    gmshModelMeshGetNodes(&tags, &n, &xyz, &nx, &par, &np, -1, -1, 0, 0, &ierr);
    /* sort the x coordinates (few nodes: insertion sort) and measure the spacing */
    for (size_t i = 1; i < n; i++)
      for (size_t j = i; j > 0 && xyz[3 * j] < xyz[3 * (j - 1)]; j--) {
        double t   = xyz[3 * j];
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

  NppGmshParticlesSpec P = {
    .dim = 2, .box = {10, 10, 10},
         .volume_fraction = 0.2, .radius = 1, .radius_spread = 0.2, .min_gap = 0.1, .seed = 5, .matrix_name = "polymer", .particle_name = "ceramic", .size = 0.8, .interface_size = 0.3
  };
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
  { /* anode: 2D hemisphere with SEI, in metres: SEI = (slab U half-disk(R + d)) \ half-disk(R) */
    const double     W = 2e-5, T = 2e-5, R = 4e-6, d = 1e-6, a = R + d, pi = 3.14159265358979323846;
    NppGmshAnodeSpec A = {
      .dim = 2, .thickness = T, .width = {W, W},
              .shape = NPP_PROTRUSION_HEMISPHERE, .radius = R, .count = {1, 1},
              .sei_thickness = d, .sei_name = "sei", .electrolyte_name = "electrolyte", .particle_name = "particle", .size = 2e-6, .tip_size = 2.5e-7
    };
    const double sei = d * W + 0.5 * pi * a * a - (d * sqrt(a * a - d * d) + a * a * asin(d / a)) - 0.5 * pi * R * R, len = W - 2 * R + pi * R;
    Stats        st;
    ok = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    snprintf(msg, sizeof msg, "anode 2-D hemisphere: OCC SEI area %.10g = %.10g, anode length %.10g = W - 2R + pi R = %.10g (1e-7) %s", rep.sei_measure, sei, rep.anode_measure, len, ok ? "" : err);
    Check(ok && Rel(rep.sei_measure, sei) < 1e-7 && Rel(rep.anode_measure, len) < 1e-7 && Rel(rep.sei_measure + rep.electrolyte_measure, W * T - 0.5 * pi * R * R) < 1e-7, msg);
    Groups(path, 2, groups, sizeof groups);
    Check(!strcmp(groups, "sei,electrolyte"), "anode 2-D: regions sei,electrolyte");
    Groups(path, 1, groups, sizeof groups);
    snprintf(msg, sizeof msg, "anode 2-D: boundaries anode,counter,ymin,ymax (%s)", groups);
    Check(!strcmp(groups, "anode,counter,ymin,ymax"), msg);
    MeshStats(path, 1, "anode", &st);
    snprintf(msg, sizeof msg, "anode 2-D hemisphere: mesh anode length %.6g within 1e-3 of %.6g (%ld segments)", st.measure, len, st.n);
    Check(Rel(st.measure, len) < 1e-3, msg);
    MeshStats(path, 2, "sei", &st);
    snprintf(msg, sizeof msg, "anode 2-D hemisphere: mesh SEI area %.6g within 1e-3 of %.6g; longest SEI edge %.3g <= 1.5 tip_size", st.measure, sei, st.edge);
    Check(Rel(st.measure, sei) < 1e-3 && st.edge <= 1.5 * A.tip_size, msg);

    /* 2D cone and capped cylinder: anode length, box = SEI + electrolyte + Li */
    A.shape = NPP_PROTRUSION_CONE, A.height = 8e-6;
    ok = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    MeshStats(path, 1, "anode", &st);
    snprintf(msg, sizeof msg, "anode 2-D cone: anode length OCC %.10g, mesh %.6g = W - 2R + 2 sqrt(R^2 + H^2) = %.10g %s", rep.anode_measure, st.measure, W - 2 * R + 2 * hypot(R, A.height), ok ? "" : err);
    Check(ok && Rel(rep.anode_measure, W - 2 * R + 2 * hypot(R, A.height)) < 1e-7 && Rel(st.measure, rep.anode_measure) < 1e-6 && Rel(rep.sei_measure + rep.electrolyte_measure, W * T - R * A.height) < 1e-7, msg);
    A.shape = NPP_PROTRUSION_CYLINDER;
    ok      = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    Groups(path, 1, groups, sizeof groups);
    snprintf(msg, sizeof msg, "anode 2-D cylinder: anode length %.10g = W + 2(H - R) + (pi - 2) R, box = SEI + electrolyte + Li; groups %s %s", rep.anode_measure, groups, ok ? "" : err);
    Check(ok && Rel(rep.anode_measure, W + 2 * (A.height - R) + (pi - 2) * R) < 1e-7 && Rel(rep.sei_measure + rep.electrolyte_measure, W * T - 2 * R * (A.height - R) - 0.5 * pi * R * R) < 1e-7 && !strcmp(groups, "anode,counter,ymin,ymax"), msg);

    /* particles in the composite layer above the SEI */
    A.shape = NPP_PROTRUSION_HEMISPHERE, A.particle_fraction = 0.2, A.particle_radius = 1e-6, A.seed = 3;
    ok = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    Groups(path, 2, groups, sizeof groups);
    MeshStats(path, 2, "particle", &st);
    snprintf(msg, sizeof msg, "anode 2-D particles: %d disks, fraction %.4f within 0.03 of 0.2, regions %s, lowest particle x %.4g >= R + d + r = %.4g %s", rep.nparticles, rep.volume_fraction, groups, st.xmin, R + d + A.particle_radius, ok ? "" : err);
    Check(ok && fabs(rep.volume_fraction - 0.2) < 0.03 && !strcmp(groups, "sei,electrolyte,particle") && st.xmin >= (R + d + A.particle_radius) * (1 - 1e-9), msg);
    A.particle_fraction = 0;

    /* bad input: each message names the field and its value */
    NppGmshAnodeSpec B = A;
    struct {
      const char *field, *value;
    } bad[14] = {
      {"dim",                 "4"      },
      {"tip_size",            "3e-06"  },
      {"shape",               "7"      },
      {"radius",              "0"      },
      {"height",              "3e-06"  },
      {"count[0]",            "0"      },
      {"pitch[0]",            "5e-06"  },
      {"height",              "1.9e-05"},
      {"sei_thickness",       "-1e-06" },
      {"roughness_length",    "0"      },
      {"electrolyte",         "sei"    },
      {"particle_fraction",   "0.6"    },
      {"width[0]",            "-1"     },
      {"roughness_amplitude", "1e-06"  }
    };
    for (int i = 0; i < 14; i++) {
      B = A;
      switch (i) {
      case 0:
        B.dim = 4;
        break;
      case 1:
        B.tip_size = 3e-6;
        break;
      case 2:
        B.shape = 7;
        break;
      case 3:
        B.radius = 0;
        break;
      case 4:
        B.shape = NPP_PROTRUSION_CYLINDER, B.height = 3e-6;
        break;
      case 5:
        B.count[0] = 0;
        break;
      case 6:
        B.count[0] = 3, B.pitch[0] = 5e-6;
        break;
      case 7:
        B.shape = NPP_PROTRUSION_CONE, B.height = 1.9e-5;
        break;
      case 8:
        B.sei_thickness = -1e-6;
        break;
      case 9:
        B.shape = NPP_PROTRUSION_NONE, B.roughness_amplitude = 1e-7;
        break;
      case 10:
        strcpy(B.electrolyte_name, "sei");
        break;
      case 11:
        B.particle_fraction = 0.6;
        break;
      case 12:
        B.width[0] = -1;
        break;
      case 13:
        B.roughness_amplitude = 1e-6, B.roughness_length = 5e-6;
        break;
      }
      ok = NppGmshAnode(&B, path, &rep, err, sizeof err) && strstr(err, bad[i].field) && strstr(err, bad[i].value) && !strchr(err, '\n');
      snprintf(msg, sizeof msg, "anode bad input %s = %s rejected: %s", bad[i].field, bad[i].value, err);
      Check(ok, msg);
    }
    /* a rough surface too sharp for its SEI */
    B = A, B.shape = NPP_PROTRUSION_NONE, B.roughness_amplitude = 1e-6, B.roughness_length = 1e-6, B.sei_thickness = 1e-6;
    ok = NppGmshAnode(&B, path, &rep, err, sizeof err) && strstr(err, "curvature radius");
    snprintf(msg, sizeof msg, "anode: rough valleys sharper than the SEI rejected: %s", err);
    Check(ok, msg);
  }

  { /* anode: 2D rough surface: rms = amplitude, min h = 0, SEI area = d x anode length (a normal
       offset of a periodic curve), same seed same mesh */
    const double     amp = 0.04, d = 0.02;
    NppGmshAnodeSpec A = {
      .dim = 2, .thickness = 1, .width = {1, 1},
              .shape = NPP_PROTRUSION_NONE, .roughness_amplitude = amp, .roughness_length = 0.2, .seed = 7, .sei_thickness = d, .sei_name = "sei", .electrolyte_name = "electrolyte", .size = 0.1, .tip_size = 0.01
    };
    Stats st;
    ok = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    MeshStats(path, 1, "anode", &st);
    const double mean = st.x1 / st.proj, rms = sqrt(st.x2 / st.proj - mean * mean);
    snprintf(msg, sizeof msg, "anode 2-D rough: mesh rms height %.5g within 2%% of %g, min x %.3g in [-1e-3, 1e-2] amplitude, SEI area %.8g = d x length %.8g (1e-3) %s", rms, amp, st.xmin, rep.sei_measure, d * rep.anode_measure, ok ? "" : err);
    Check(ok && Rel(rms, amp) < 0.02 && st.xmin > -1e-3 * amp && st.xmin < 1e-2 * amp && Rel(rep.sei_measure, d * rep.anode_measure) < 1e-3, msg);
    NppGmshReport rep2;
    A.seed = 8;
    ok     = !NppGmshAnode(&A, path, &rep2, err, sizeof err) && rep2.ncells != rep.ncells;
    A.seed = 7;
    ok     = ok && !NppGmshAnode(&A, path, &rep2, err, sizeof err) && rep2.ncells == rep.ncells && rep2.anode_measure == rep.anode_measure;
    snprintf(msg, sizeof msg, "anode 2-D rough: same seed, same mesh (%ld triangles); another seed, another one", rep.ncells);
    Check(ok, msg);
  }

  { /* anode: 3D, unit box */
    const double     W = 1, T = 1, R = 0.2, d = 0.05, a = R + d, pi = 3.14159265358979323846;
    NppGmshAnodeSpec A = {
      .dim = 3, .thickness = T, .width = {W, W},
              .shape = NPP_PROTRUSION_HEMISPHERE, .radius = R, .count = {1, 1},
              .sei_thickness = d, .sei_name = "sei", .electrolyte_name = "electrolyte", .size = 0.25, .tip_size = 0.05
    };
    const double sei = d * W * W + 2 * pi / 3 * (a * a * a - R * R * R) - pi * (a * a * d - d * d * d / 3);
    Stats        st;
    ok = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    MeshStats(path, 3, "sei", &st);
    snprintf(msg, sizeof msg, "anode 3-D hemisphere: SEI volume OCC %.10g (1e-7), mesh %.6g (2e-2) of %.10g; anode area %.10g = W^2 + pi R^2; longest SEI edge %.3g <= 2 tip_size (%ld tetrahedra) %s", rep.sei_measure, st.measure, sei, rep.anode_measure, st.edge,
             rep.ncells, ok ? "" : err);
    Check(ok && Rel(rep.sei_measure, sei) < 1e-7 && Rel(st.measure, sei) < 2e-2 && Rel(rep.anode_measure, W * W + pi * R * R) < 1e-7 && st.edge <= 2 * A.tip_size, msg);
    Groups(path, 2, groups, sizeof groups);
    snprintf(msg, sizeof msg, "anode 3-D: boundaries anode,counter,ymin,ymax,zmin,zmax (%s)", groups);
    Check(!strcmp(groups, "anode,counter,ymin,ymax,zmin,zmax"), msg);
    A.shape = NPP_PROTRUSION_CONE, A.height = 0.4;
    ok = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    MeshStats(path, 2, "anode", &st);
    snprintf(msg, sizeof msg, "anode 3-D cone: anode area OCC %.10g, mesh %.6g (1e-2) = W^2 - pi R^2 + pi R L; box = SEI + electrolyte + Li %s", rep.anode_measure, st.measure, ok ? "" : err);
    Check(ok && Rel(rep.anode_measure, W * W - pi * R * R + pi * R * hypot(R, A.height)) < 1e-7 && Rel(st.measure, rep.anode_measure) < 1e-2 && Rel(rep.sei_measure + rep.electrolyte_measure, W * W * T - pi * R * R * A.height / 3) < 1e-7, msg);
    A.shape = NPP_PROTRUSION_CYLINDER;
    ok      = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    Groups(path, 3, groups, sizeof groups);
    snprintf(msg, sizeof msg, "anode 3-D cylinder: anode area %.10g = W^2 + 2 pi R (H - R) + pi R^2; box = SEI + electrolyte + Li; regions %s %s", rep.anode_measure, groups, ok ? "" : err);
    Check(ok && Rel(rep.anode_measure, W * W + 2 * pi * R * (A.height - R) + pi * R * R) < 1e-7 && Rel(rep.sei_measure + rep.electrolyte_measure, W * W * T - pi * R * R * (A.height - R) - 2 * pi / 3 * R * R * R) < 1e-7 && !strcmp(groups, "sei,electrolyte"), msg);
    A.shape = NPP_PROTRUSION_HEMISPHERE, A.radius = 0.1, A.count[0] = A.count[1] = 2, A.sei_thickness = 0.04;
    ok = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    snprintf(msg, sizeof msg, "anode 3-D 2 x 2 hemispheres: anode area %.10g = W^2 + 4 pi R^2 (%ld tetrahedra) %s", rep.anode_measure, rep.ncells, ok ? "" : err);
    Check(ok && Rel(rep.anode_measure, W * W + 4 * pi * 0.01) < 1e-7, msg);

    /* rough: the SEI is the surface shifted by d, its volume d W^2 */
    A.shape = NPP_PROTRUSION_NONE, A.roughness_amplitude = 0.03, A.roughness_length = 0.3, A.seed = 2, A.sei_thickness = 0.05;
    ok = !NppGmshAnode(&A, path, &rep, err, sizeof err);
    MeshStats(path, 2, "anode", &st);
    const double mean = st.x1 / st.proj, rms = sqrt(st.x2 / st.proj - mean * mean);
    snprintf(msg, sizeof msg, "anode 3-D rough: mesh rms height %.5g within 3%% of 0.03, SEI volume %.8g = d W^2 (1e-6), min x %.3g (%ld tetrahedra) %s", rms, rep.sei_measure, st.xmin, rep.ncells, ok ? "" : err);
    Check(ok && Rel(rms, 0.03) < 0.03 && Rel(rep.sei_measure, 0.05) < 1e-6 && st.xmin > -1e-3 * 0.03, msg);
    NppGmshReport rep2;
    ok = !NppGmshAnode(&A, path, &rep2, err, sizeof err) && rep2.ncells == rep.ncells;
    Check(ok, "anode 3-D rough: same seed, same mesh");
  }
  unlink(path);
  printf("%d failed\n", Failures());
  return Failures() != 0;
}
