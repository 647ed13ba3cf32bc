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
  int      dim;                                /* 2 (disks) or 3 (spheres) */
  double   box[3];                             /* the box [0, box] */
  double   volume_fraction;                    /* target particle fraction in (0, 0.6) */
  double   radius;                             /* mean radius, m */
  double   radius_spread;                      /* radii uniform in radius [1 - s, 1 + s], s in [0, 1) */
  double   min_gap;                            /* minimum gap between particle surfaces, in radii */
  unsigned seed;                               /* same seed, same geometry, on any machine */
  char     matrix_name[NPP_GMSH_NAME_LEN];     /* region of the matrix */
  char     particle_name[NPP_GMSH_NAME_LEN];   /* region of the particles */
  double   size;                               /* cell size far from the particles, m */
  double   interface_size;                     /* cell size at particle surfaces, m (<= size) */
  int      algorithm3d;                        /* Gmsh Mesh.Algorithm3D; 0: 1 (Delaunay, reproducible); 10: HXT (fast) */
  int      verbose;
} NppGmshParticlesSpec;

typedef struct {
  int    nparticles;      /* particles placed */
  double volume_fraction; /* achieved, from the OCC geometry after cutting at the box */
  long   ncells;          /* cells of the mesh dimension */
} NppGmshReport;

/* Return 0 on success, or non-zero with a one-line message in err naming the offending field
   and value. Gmsh is initialised and finalised inside, also on error. */
int NppGmshLayers(const NppGmshLayersSpec *spec, const char *mshpath, NppGmshReport *report, char *err, size_t errlen);
int NppGmshParticles(const NppGmshParticlesSpec *spec, const char *mshpath, NppGmshReport *report, char *err, size_t errlen);

#endif
