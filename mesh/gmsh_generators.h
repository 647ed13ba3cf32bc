/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_GMSH_GENERATORS_H
#define NPP_GMSH_GENERATORS_H
/* Parametric geometry generators on the Gmsh SDK C API (plain C, no PETSc).
   Each writes a Gmsh .msh (4.1, binary) with one named physical group per region (cells of
   the mesh dimension) and the outer box faces as boundary groups "xmin", "xmax", "ymin",
   "ymax", "zmin", "zmax" (those that exist in the dimension). Call on one MPI rank only. */
#include <stddef.h>

#define NPP_GMSH_MAX_LAYERS 32
#define NPP_GMSH_NAME_LEN   64

typedef struct {
  int    dim;                                          /* 1, 2 or 3 */
  int    nlayers;                                      /* >= 1 */
  double thickness[NPP_GMSH_MAX_LAYERS];               /* along x, m, stacked from x = 0 */
  char   name[NPP_GMSH_MAX_LAYERS][NPP_GMSH_NAME_LEN]; /* region of each layer; equal names form one region */
  double width[2];                                     /* extent along y (dim >= 2) and z (dim 3), m */
  double size;                                         /* target cell size, m */
  int    structured;                                   /* 1: tensor grid of lines/quads/hexes; 0: triangles/tetrahedra */
  double bump[NPP_GMSH_MAX_LAYERS];                    /* per layer, along x: 0 or 1 uniform; c < 1 refines towards both
                                                          faces of the layer (Gmsh "Bump"; largest/smallest cell ~ 1/c).
                                                          Structured meshes only: it resolves space-charge layers */
  int    verbose;                                      /* 1: Gmsh prints to the terminal */
} NppGmshLayersSpec;

typedef struct {
  int      dim;                              /* 2 (disks) or 3 (spheres) */
  double   box[3];                           /* the box [0, box] */
  double   volume_fraction;                  /* target particle fraction in (0, 0.6); with shells, of the
                                                  cores only (the shells come on top) */
  double   radius;                           /* mean radius, m */
  double   radius_spread;                    /* radii uniform in radius [1 - s, 1 + s], s in [0, 1) */
  double   min_gap;                          /* minimum gap between particle surfaces, in radii */
  unsigned seed;                             /* same seed, same geometry, on any machine */
  char     matrix_name[NPP_GMSH_NAME_LEN];   /* region of the matrix */
  char     particle_name[NPP_GMSH_NAME_LEN]; /* region of the particles (their cores when shelled) */
  double   shell_thickness;                  /* core-shell particles: a shell of this thickness around every
                                                  particle (coating, interphase), m; 0: none. The radius above is
                                                  the core's; min_gap applies between the shells' outer surfaces,
                                                  and the box faces cut a particle only through its core near the
                                                  core's equator (else they keep 0.1 (r + t) off the shell). Shells
                                                  thinner than 2 interface_size get cells of max(t/2,
                                                  interface_size/4) inside: thin shells are costly */
  char     shell_name[NPP_GMSH_NAME_LEN];    /* region of the shells (physical tag 3; matrix 1, particles 2);
                                                  must differ from the two others when shell_thickness > 0 */
  double   size;                             /* cell size far from the particles, m */
  double   interface_size;                   /* cell size at particle surfaces, m (<= size) */
  int      algorithm3d;                      /* Gmsh Mesh.Algorithm3D; 0: 1 (Delaunay, reproducible); 10: HXT (fast) */
  int      verbose;
} NppGmshParticlesSpec;

/* `anode`: a Li-metal anode surface at x = 0 carrying protrusions (dendrite seeds) or a random
   rough surface, covered by an SEI of uniform thickness following the surface, facing an
   electrolyte slab (optionally a particle composite) and a flat counter electrode at
   x = thickness. Li itself is not meshed: its surface is the boundary "anode". Boundary groups:
   "anode", "counter", and the side faces "ymin", "ymax" (2D, 3D), "zmin", "zmax" (3D).
   Regions: sei_name (if sei_thickness > 0), electrolyte_name, particle_name (if particles).
   Protrusions: the SEI is the exact offset of the Li by sei_thickness (points within that distance).
   Rough surface (shape none only): x = h(y) or h(y, z), periodic over the width, Gaussian
   correlation exp(-r^2/roughness_length^2), rms exactly roughness_amplitude, min h = 0; the SEI is
   a true normal offset in 2D (valleys with a curvature radius below the SEI thickness are
   rejected), the surface shifted by sei_thickness along x in 3D (normal thickness
   sei_thickness / sqrt(1 + |grad h|^2)). Cells of tip_size within sei_thickness of the anode and of
   the SEI/electrolyte interface, growing linearly to size over 2 (size - tip_size). */
typedef enum {
  NPP_PROTRUSION_NONE,
  NPP_PROTRUSION_HEMISPHERE,
  NPP_PROTRUSION_CONE,
  NPP_PROTRUSION_CYLINDER
} NppProtrusionShape;

typedef struct {
  int      dim;                         /* 2 or 3 */
  double   thickness;                   /* anode plane x = 0 to counter electrode x = thickness, m */
  double   width[2];                    /* extent along y (and z in 3D), m */
  int      shape;                       /* NppProtrusionShape */
  double   radius;                      /* base radius of a protrusion, m */
  double   height;                      /* tip height above x = 0, m (hemisphere: = radius, ignored;
                                                cone: > 0; cylinder: >= radius, the cap included) */
  int      count[2];                    /* protrusions along y and z (an array centred in the face) */
  double   pitch[2];                    /* centre-to-centre spacing along y and z, m (0: width/count) */
  double   roughness_amplitude;         /* rms height of a random rough surface, m (0: flat) */
  double   roughness_length;            /* its correlation length, m */
  unsigned seed;                        /* rough surface and particles: same seed, same geometry */
  double   sei_thickness;               /* m; 0: no SEI region (the electrolyte touches Li) */
  double   particle_fraction;           /* 0: homogeneous electrolyte; else the target fraction of
                                                particles in the composite layer top + r < x < thickness - r
                                                (top: highest point of the anode with its SEI), in [0, 0.5) */
  double   particle_radius;             /* m (particles keep one radius off the SEI and the counter
                                                electrode; side faces cut them only near their equator) */
  char     sei_name[NPP_GMSH_NAME_LEN]; /* region names */
  char     electrolyte_name[NPP_GMSH_NAME_LEN];
  char     particle_name[NPP_GMSH_NAME_LEN];
  double   size;     /* cell size far from the anode, m */
  double   tip_size; /* cell size in the SEI and on the protrusions, m (<= size) */
  int      verbose;
} NppGmshAnodeSpec;

typedef struct {
  int    nparticles;      /* particles placed */
  double volume_fraction; /* achieved, from the OCC geometry after cutting at the box (anode: of
                             the composite layer, see NppGmshAnodeSpec.particle_fraction; core-shell
                             particles: of the cores) */
  double shell_fraction;  /* particles with shells: achieved fraction of the shells, as above; else 0 */
  long   ncells;          /* cells of the mesh dimension */
  /* anode only, from the OCC geometry before meshing (exact up to OCC's tolerance, ~1e-7 relative): */
  double sei_measure;         /* area (2D) or volume (3D) of the SEI, m^dim */
  double electrolyte_measure; /* of the electrolyte (without the particles), m^dim */
  double particle_measure;    /* of the particles, m^dim */
  double anode_measure;       /* length (2D) or area (3D) of the anode boundary, m^(dim-1) */
} NppGmshReport;

/* Return 0 on success, or non-zero with a one-line message in err naming the offending field
   and value. Gmsh is initialised and finalised inside, also on error. */
int NppGmshLayers(const NppGmshLayersSpec *spec, const char *mshpath, NppGmshReport *report, char *err, size_t errlen);
int NppGmshParticles(const NppGmshParticlesSpec *spec, const char *mshpath, NppGmshReport *report, char *err, size_t errlen);
int NppGmshAnode(const NppGmshAnodeSpec *spec, const char *mshpath, NppGmshReport *report, char *err, size_t errlen);

#endif
