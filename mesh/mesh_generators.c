/* SPDX-License-Identifier: BSD-2-Clause */
#include "mesh_generators.h"
#include "gmsh_generators.h"
#include "gmsh_skeleton.h"
#include "gmsh_scaffold.h"

static PetscFunctionList Generators = NULL;

static PetscErrorCode ReportInit(NppMeshReport *r, const char objects[])
{
  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(r, sizeof *r));
  PetscCall(PetscStrncpy(r->objects, objects, sizeof r->objects));
  r->solidSpans = r->poreSpans = -1;
  PetscFunctionReturn(0);
}

/* The keys every Gmsh generator shares (-mesh_dim, -mesh_size, -mesh_verbose) and, for the
   microstructure generators (isize != NULL), -mesh_interface_size (default half the size) and
   -mesh_algorithm3d. The title names the generator, whose defaults differ. */
static PetscErrorCode ReadShared(MPI_Comm comm, const char generator[], PetscInt *dim, PetscReal *size, PetscReal *isize, PetscInt *alg, PetscBool *verbose, PetscReal *maxCells)
{
  char title[128];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(title, sizeof title, "Mesh (-mesh_*) with -mesh_generator %s", generator));
  PetscOptionsBegin(comm, "mesh_", title, NULL);
  PetscCall(NppOptionsInt(PetscOptionsObject, "-dim", "mesh dimension (layers: 1, 2 or 3; the others: 2 or 3)", "-", *dim, dim, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-size", "target cell size (anode: far from the anode)", "m", *size, size, NULL));
  if (isize) {
    *isize = *size / 2;
    PetscCall(NppOptionsReal(PetscOptionsObject, "-interface_size", "cell size at particle, grain and fibre surfaces (default half of -mesh_size)", "m", *isize, isize, NULL));
    PetscCall(NppOptionsInt(PetscOptionsObject, "-algorithm3d", "Gmsh 3-D algorithm: 1 Delaunay (reproducible; 0 means 1), 10 HXT (fast, not reproducible)", "-", *alg, alg, NULL));
  }
  PetscCall(NppOptionsBool(PetscOptionsObject, "-verbose", "show Gmsh's output", "-", *verbose, verbose, NULL));
  *maxCells = 2e7;
  PetscCall(NppOptionsReal(PetscOptionsObject, "-max_cells", "refuse to mesh when the cells estimated from the domain and the sizes exceed this", "-", *maxCells, maxCells, NULL));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

/* Before Gmsh runs: the cells a size gives in the domain (extent[0..dim-1]), about c V/h^dim
   (c: simplices per cube of side h), against -mesh_max_cells, so that a size typed wrong (1e-12
   for 1e-6) is an error instead of Gmsh filling the memory. fine (0: none) is a size used only
   near surfaces: the volume at that size bounds it from above, so only an absurd value (a
   thousand times the limit) is refused. */
static PetscErrorCode CheckCellEstimate(MPI_Comm comm, PetscInt dim, const PetscReal extent[], PetscReal size, const char fineKey[], PetscReal fine, PetscBool simplices, PetscReal maxCells)
{
  const PetscReal c        = simplices ? (dim == 3 ? 6.0 : dim == 2 ? 2.3 : 1.0) : 1.0;
  PetscReal       V        = 1, est, estFine;
  char            ext[128] = "";

  PetscFunctionBeginUser;
  if (!(maxCells > 0)) NppInputError(comm, "-mesh_max_cells", "%g must be positive", (double)maxCells);
  if (dim < 1 || dim > 3) PetscFunctionReturn(0); /* the generator says what is wrong */
  for (PetscInt d = 0; d < dim; d++) {
    size_t l;
    V *= extent[d];
    PetscCall(PetscStrlen(ext, &l));
    PetscCall(PetscSNPrintf(ext + l, sizeof ext - l, "%s%g", d ? " x " : "", (double)extent[d]));
  }
  if (!(size > 0) || !(V > 0)) PetscFunctionReturn(0); /* the generator's own checks say what is wrong */
  est = c * V / PetscPowReal(size, (PetscReal)dim);
  if (est > maxCells)
    NppInputError(comm, "-mesh_size", "%g m in a domain of %s m gives about %.3g cells, more than -mesh_max_cells %g: coarsen it, or raise -mesh_max_cells if the machine can hold them", (double)size, ext, (double)est, (double)maxCells);
  if (!(fine > 0)) PetscFunctionReturn(0);
  estFine = c * V / PetscPowReal(fine, (PetscReal)dim);
  if (estFine > 1e3 * maxCells) NppInputError(comm, fineKey, "%g m is far too small for a domain of %s m (up to %.3g cells where it applies, -mesh_max_cells %g)", (double)fine, ext, (double)estFine, (double)maxCells);
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadName(PetscOptionItems *PetscOptionsObject, const char key[], const char help[], char name[], size_t len)
{
  char def[NPP_GMSH_NAME_LEN]; /* the default, shown by -help next to the value */

  PetscFunctionBeginUser;
  PetscCall(PetscStrncpy(def, name, sizeof def));
  PetscCall(PetscOptionsString(key, help, "-", def, name, len, NULL));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckSeed(MPI_Comm comm, const char key[], PetscInt seed)
{
  PetscFunctionBeginUser;
  if (seed < 0) NppInputError(comm, key, "%d must be >= 0", (int)seed);
  PetscFunctionReturn(0);
}

/* Runs the generator on rank 0 (the others wait for its report). */
#define NPP_RUN_ON_RANK0(job, call) \
  do { \
    PetscMPIInt rank_; \
    PetscCallMPI(MPI_Comm_rank((job)->comm, &rank_)); \
    if (!rank_) (job)->report.ierr = (call); \
  } while (0)

static PetscErrorCode MeshFinalize(void)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFunctionListDestroy(&Generators));
  PetscFunctionReturn(0);
}

static PetscErrorCode Layers(NppMeshJob *job)
{
  MPI_Comm          comm = job->comm;
  NppGmshLayersSpec s;
  const PetscInt    max = NPP_GMSH_MAX_LAYERS;
  PetscInt          n = max + 1, nn = max + 1, nw = 2, nb = max + 1, dim = 2, alg = 0;
  PetscReal         t[NPP_GMSH_MAX_LAYERS + 1], w[2] = {1e-5, 1e-5}, bump[NPP_GMSH_MAX_LAYERS + 1], size = 1e-6, maxCells;
  char             *names[NPP_GMSH_MAX_LAYERS + 1];
  PetscBool         hasT = PETSC_FALSE, hasN = PETSC_FALSE, hasB = PETSC_FALSE, structured = PETSC_TRUE, verbose = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(ReportInit(&job->report, "particles"));
  PetscCall(ReadShared(comm, "layers", &dim, &size, NULL, &alg, &verbose, &maxCells));
  PetscOptionsBegin(comm, "mesh_layers_", "Mesh generator layers: a stack of slabs along x from x = 0", NULL);
  PetscCall(NppOptionsRealArray(PetscOptionsObject, "-thickness", "thickness of each layer, comma list (required)", "m", t, 0, &n, &hasT));
  PetscCall(NppOptionsStringArray(PetscOptionsObject, "-regions", "region name of each layer, same name = same region (required)", "-", "none", names, &nn, &hasN));
  PetscCall(NppOptionsRealArray(PetscOptionsObject, "-width", "extent along y (and z)", "m", w, 2, &nw, NULL));
  PetscCall(NppOptionsBool(PetscOptionsObject, "-structured", "true: quads/hexes on a tensor grid (orthogonal); false: triangles/tetrahedra", "-", structured, &structured, NULL));
  PetscCall(NppOptionsRealArray(PetscOptionsObject, "-bump", "per layer, grading along x towards both faces (Gmsh Bump c in (0, 1]; 1 or 0: uniform); structured and 1-D only", "-", bump, 0, &nb, &hasB));
  PetscOptionsEnd();
  if (!job->generate) {
    for (PetscInt i = 0; hasN && i < PetscMin(nn, max + 1); i++) PetscCall(PetscFree(names[i]));
    PetscFunctionReturn(0);
  }
  if (n > max) NppInputError(comm, "-mesh_layers_thickness", "more than %d layers (NPP_GMSH_MAX_LAYERS)", (int)max);
  if (!hasT) NppInputError(comm, "-mesh_layers_thickness", "missing: give the thickness of each layer in metres, e.g. 10e-6,20e-6");
  if (!hasN) NppInputError(comm, "-mesh_layers_regions", "missing: give the region name of each layer");
  if (nn != n) {
    for (PetscInt i = 0; i < nn; i++) PetscCall(PetscFree(names[i]));
    NppInputError(comm, "-mesh_layers_regions", "%d names for %d layers in -mesh_layers_thickness", (int)nn, (int)n);
  }
  if (hasB && nb != n) NppInputError(comm, "-mesh_layers_bump", "%d values for %d layers", (int)nb, (int)n);
  PetscCall(PetscMemzero(&s, sizeof s));
  s.dim     = (int)dim;
  s.nlayers = (int)n;
  for (PetscInt i = 0; i < n; i++) {
    s.thickness[i] = t[i];
    if (hasB) s.bump[i] = bump[i];
    PetscCall(PetscStrncpy(s.name[i], names[i], NPP_GMSH_NAME_LEN));
    PetscCall(PetscFree(names[i]));
  }
  s.width[0]   = w[0];
  s.width[1]   = nw > 1 ? w[1] : w[0];
  s.size       = size;
  s.structured = structured;
  s.verbose    = verbose;
  {
    PetscReal ext[3] = {0, s.width[0], s.width[1]};
    for (PetscInt i = 0; i < n; i++) ext[0] += t[i];
    PetscCall(CheckCellEstimate(comm, dim, ext, size, NULL, 0, (PetscBool)(!structured && dim > 1), maxCells));
  }
  {
    NppGmshReport rep = {0};
    NPP_RUN_ON_RANK0(job, NppGmshLayers(&s, job->file, &rep, job->report.err, sizeof job->report.err));
    job->report.count = rep.nparticles, job->report.fraction = rep.volume_fraction, job->report.shellFraction = rep.shell_fraction;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Particles(NppMeshJob *job)
{
  MPI_Comm             comm = job->comm;
  NppGmshParticlesSpec s;
  PetscInt             dim = 3, nb = 3, seed = 1, alg = 0;
  PetscReal            box[3] = {1e-5, 1e-5, 1e-5}, phi = 0.1, r = 1e-6, spread = 0, gap = 0.1, size = 0.5e-6, isize = -1, t = 0, maxCells;
  PetscBool            verbose = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(ReportInit(&job->report, "particles"));
  PetscCall(PetscMemzero(&s, sizeof s));
  PetscCall(PetscStrcpy(s.matrix_name, "matrix"));
  PetscCall(PetscStrcpy(s.particle_name, "particle"));
  PetscCall(PetscStrcpy(s.shell_name, "shell"));
  PetscCall(ReadShared(comm, "particles", &dim, &size, &isize, &alg, &verbose, &maxCells));
  PetscOptionsBegin(comm, "mesh_particles_", "Mesh generator particles: non-overlapping spheres (3-D) or disks (2-D) in the box [0, box]", NULL);
  PetscCall(NppOptionsRealArray(PetscOptionsObject, "-box", "box extents (one value: a cube; two: the last repeated)", "m", box, 3, &nb, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-volume_fraction", "target particle fraction (the achieved one is in the summary)", "-", phi, &phi, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-radius", "mean radius", "m", r, &r, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-radius_spread", "radii uniform in radius*[1-s, 1+s]", "-", spread, &spread, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-min_gap", "minimum gap between particle surfaces, in radii", "-", gap, &gap, NULL));
  PetscCall(NppOptionsInt(PetscOptionsObject, "-seed", "random seed (same seed, same geometry)", "-", seed, &seed, NULL));
  PetscCall(ReadName(PetscOptionsObject, "-matrix", "region name of the matrix", s.matrix_name, sizeof s.matrix_name));
  PetscCall(ReadName(PetscOptionsObject, "-particle", "region name of the particles", s.particle_name, sizeof s.particle_name));
  PetscCall(ReadName(PetscOptionsObject, "-shell", "region name of the shells (a third region)", s.shell_name, sizeof s.shell_name));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-shell_thickness", "core-shell particles: a shell of this thickness around every particle (0: none)", "m", t, &t, NULL));
  PetscOptionsEnd();
  if (!job->generate) PetscFunctionReturn(0);
  PetscCall(CheckSeed(comm, "-mesh_particles_seed", seed));
  s.shell_thickness = t;
  s.dim             = (int)dim;
  s.box[0]          = box[0];
  s.box[1]          = nb > 1 ? box[1] : box[0];
  s.box[2]          = nb > 2 ? box[2] : s.box[1];
  s.volume_fraction = phi;
  s.radius          = r;
  s.radius_spread   = spread;
  s.min_gap         = gap;
  s.seed            = (unsigned)seed;
  s.size            = size;
  s.interface_size  = isize;
  s.algorithm3d     = (int)alg;
  s.verbose         = verbose;
  PetscCall(CheckCellEstimate(comm, dim, s.box, size, "-mesh_interface_size", isize, PETSC_TRUE, maxCells));
  {
    NppGmshReport rep = {0};
    NPP_RUN_ON_RANK0(job, NppGmshParticles(&s, job->file, &rep, job->report.err, sizeof job->report.err));
    job->report.count = rep.nparticles, job->report.fraction = rep.volume_fraction, job->report.shellFraction = rep.shell_fraction;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Anode(NppMeshJob *job)
{
  static const char *const shapes[] = {"none", "hemisphere", "cone", "cylinder"};
  MPI_Comm                 comm     = job->comm;
  NppGmshAnodeSpec         s;
  PetscInt                 dim = 2, nw = 2, nc = 2, np = 2, count[2] = {1, 1}, seed = 1, alg = 0, shape = NPP_PROTRUSION_HEMISPHERE;
  PetscReal                thickness = 2e-5, w[2] = {2e-5, 2e-5}, r = 2e-6, height, pitch[2] = {0, 0}, amp = 0, len = 5e-6, sei = 2e-7, phi = 0, pr = 1e-6, size = 1e-6, tip, maxCells;
  PetscBool                verbose = PETSC_FALSE, set, known;
  char                     given[64];

  PetscFunctionBeginUser;
  PetscCall(ReportInit(&job->report, "particles"));
  PetscCall(PetscMemzero(&s, sizeof s));
  PetscCall(PetscStrcpy(s.sei_name, "sei"));
  PetscCall(PetscStrcpy(s.electrolyte_name, "electrolyte"));
  PetscCall(PetscStrcpy(s.particle_name, "particle"));
  PetscCall(ReadShared(comm, "anode", &dim, &size, NULL, &alg, &verbose, &maxCells));
  PetscOptionsBegin(comm, "mesh_anode_", "Mesh generator anode: a Li-metal anode at x = 0 with protrusions or roughness, its SEI, an electrolyte and a counter electrode", NULL);
  PetscCall(NppOptionsReal(PetscOptionsObject, "-thickness", "anode plane to counter electrode", "m", thickness, &thickness, NULL));
  PetscCall(NppOptionsRealArray(PetscOptionsObject, "-width", "extent along y (and z); one value: both", "m", w, 2, &nw, &set));
  if (set && nw == 1) w[1] = w[0];
  PetscCall(NppOptionsChoice(PetscOptionsObject, "-shape", "protrusion shape (cylinder: with a hemispherical cap)", "-", shapes, 4, &shape, given, sizeof given, &known, NULL));
  if (!known && job->generate) NppInputError(comm, "-mesh_anode_shape", "unknown shape '%s' (choose none, hemisphere, cone or cylinder)", given);
  PetscCall(NppOptionsReal(PetscOptionsObject, "-radius", "base radius R of a protrusion", "m", r, &r, NULL));
  height = 2 * r;
  PetscCall(NppOptionsReal(PetscOptionsObject, "-height", "tip height above x = 0 (default 2 R; cone: > 0; cylinder: >= R, cap included; hemisphere: ignored, = R)", "m", height, &height, NULL));
  PetscCall(NppOptionsIntArray(PetscOptionsObject, "-count", "protrusions along y and z, on a grid centred in the face; one value: both", "-", count, 2, &nc, &set));
  if (set && nc == 1) count[1] = count[0];
  PetscCall(NppOptionsRealArray(PetscOptionsObject, "-pitch", "centre-to-centre spacing along y and z (0: width/count); one value: both", "m", pitch, 2, &np, &set));
  if (set && np == 1) pitch[1] = pitch[0];
  PetscCall(NppOptionsReal(PetscOptionsObject, "-roughness", "rms height of a random rough surface (0: flat; with -mesh_anode_shape none only)", "m", amp, &amp, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-roughness_length", "correlation length of the roughness", "m", len, &len, NULL));
  PetscCall(NppOptionsInt(PetscOptionsObject, "-seed", "random seed of the roughness and the particles", "-", seed, &seed, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-sei_thickness", "SEI thickness d (0: no SEI region)", "m", sei, &sei, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-particle_fraction", "particle fraction of the composite layer, in [0, 0.5)", "-", phi, &phi, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-particle_radius", "particle radius", "m", pr, &pr, NULL));
  PetscCall(ReadName(PetscOptionsObject, "-sei", "region name of the SEI", s.sei_name, sizeof s.sei_name));
  PetscCall(ReadName(PetscOptionsObject, "-electrolyte", "region name of the electrolyte", s.electrolyte_name, sizeof s.electrolyte_name));
  PetscCall(ReadName(PetscOptionsObject, "-particle", "region name of the particles", s.particle_name, sizeof s.particle_name));
  tip = PetscMin(size, sei > 0 ? sei / 2 : r / 8); /* two cells across the SEI */
  PetscCall(NppOptionsReal(PetscOptionsObject, "-tip_size", "cell size in the SEI and on the anode, <= -mesh_size (default min(size, d/2), or min(size, R/8) if d = 0)", "m", tip, &tip, NULL));
  PetscOptionsEnd();
  if (!job->generate) PetscFunctionReturn(0);
  PetscCall(CheckSeed(comm, "-mesh_anode_seed", seed));
  s.dim                 = (int)dim;
  s.shape               = (int)shape;
  s.thickness           = thickness;
  s.width[0]            = w[0];
  s.width[1]            = w[1];
  s.radius              = r;
  s.height              = height;
  s.count[0]            = (int)count[0];
  s.count[1]            = (int)count[1];
  s.pitch[0]            = pitch[0];
  s.pitch[1]            = pitch[1];
  s.roughness_amplitude = amp;
  s.roughness_length    = len;
  s.seed                = (unsigned)seed;
  s.sei_thickness       = sei;
  s.particle_fraction   = phi;
  s.particle_radius     = pr;
  s.size                = size;
  s.tip_size            = tip;
  s.verbose             = verbose;
  {
    const PetscReal ext[3] = {thickness, w[0], w[1]};
    PetscCall(CheckCellEstimate(comm, dim, ext, size, "-mesh_anode_tip_size", tip, PETSC_TRUE, maxCells));
  }
  {
    NppGmshReport rep = {0};
    NPP_RUN_ON_RANK0(job, NppGmshAnode(&s, job->file, &rep, job->report.err, sizeof job->report.err));
    job->report.count = rep.nparticles, job->report.fraction = rep.volume_fraction, job->report.shellFraction = rep.shell_fraction;
  }
  PetscFunctionReturn(0);
}

/* A box: one value is a cube, two repeat the last. */
static PetscErrorCode ReadBox(PetscOptionItems *PetscOptionsObject, const char help[], PetscReal box[3])
{
  PetscInt nb = 3;

  PetscFunctionBeginUser;
  PetscCall(NppOptionsRealArray(PetscOptionsObject, "-box", help, "m", box, 3, &nb, NULL));
  if (nb == 1) box[1] = box[2] = box[0];
  if (nb == 2) box[2] = box[1];
  PetscFunctionReturn(0);
}

static PetscErrorCode Skeleton(NppMeshJob *job)
{
  MPI_Comm            comm = job->comm;
  NppGmshSkeletonSpec s;
  PetscInt            dim = 3, seed = 1, alg = 0;
  PetscReal           box[3] = {3e-6, 3e-6, 3e-6}, phi = 0.471, r = 0.25e-6, spread = 0.2, neck = 0.5, size = 0.2e-6, isize, maxCells;
  PetscBool           verbose = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(ReportInit(&job->report, "grains"));
  PetscCall(PetscMemzero(&s, sizeof s));
  PetscCall(PetscStrcpy(s.solid_name, "ceramic"));
  PetscCall(PetscStrcpy(s.pore_name, "polymer"));
  PetscCall(ReadShared(comm, "skeleton", &dim, &size, &isize, &alg, &verbose, &maxCells));
  PetscOptionsBegin(comm, "mesh_skeleton_", "Mesh generator skeleton: a percolating framework of sintered grains, its pores a second region", NULL);
  PetscCall(ReadBox(PetscOptionsObject, "box extents (one value: a cube)", box));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-solid_fraction", "target solid fraction, in (0.2, 0.8)", "-", phi, &phi, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-radius", "mean grain radius", "m", r, &r, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-radius_spread", "radii uniform in radius*[1-s, 1+s], s <= 0.5", "-", spread, &spread, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-neck", "neck radius / smaller grain radius of a bonded pair, in (0.2, 0.9)", "-", neck, &neck, NULL));
  PetscCall(NppOptionsInt(PetscOptionsObject, "-seed", "random seed", "-", seed, &seed, NULL));
  PetscCall(ReadName(PetscOptionsObject, "-solid", "region name of the grains", s.solid_name, sizeof s.solid_name));
  PetscCall(ReadName(PetscOptionsObject, "-pore", "region name of the pores", s.pore_name, sizeof s.pore_name));
  PetscOptionsEnd();
  if (!job->generate) PetscFunctionReturn(0);
  PetscCall(CheckSeed(comm, "-mesh_skeleton_seed", seed));
  s.dim = (int)dim;
  for (int i = 0; i < 3; i++) s.box[i] = box[i];
  s.solid_fraction = phi;
  s.radius         = r;
  s.radius_spread  = spread;
  s.neck           = neck;
  s.seed           = (unsigned)seed;
  s.size           = size;
  s.interface_size = isize;
  s.algorithm3d    = (int)alg;
  s.verbose        = verbose;
  PetscCall(CheckCellEstimate(comm, dim, s.box, size, "-mesh_interface_size", isize, PETSC_TRUE, maxCells));
  {
    NppGmshSkeletonReport rep = {0};
    NPP_RUN_ON_RANK0(job, NppGmshSkeleton(&s, job->file, &rep, job->report.err, sizeof job->report.err));
    job->report.count = rep.ngrains, job->report.fraction = rep.solid_fraction, job->report.solidSpans = rep.solid_spans, job->report.poreSpans = rep.pore_spans;
    job->report.interfaceMeasure = rep.solid_interface;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode Scaffold(NppMeshJob *job)
{
  MPI_Comm            comm = job->comm;
  NppGmshScaffoldSpec s;
  PetscInt            dim = 3, seed = 1, alg = 0, nl = 3;
  PetscReal           box[3] = {40e-6, 20e-6, 20e-6}, layer[3] = {-1, -1, -1}, r = 1.5e-6, phi = 0.126, spread = 10, gap = 0.2, size = 1.5e-6, isize, maxCells;
  PetscBool           verbose = PETSC_FALSE, set;

  PetscFunctionBeginUser;
  PetscCall(ReportInit(&job->report, "fibres"));
  PetscCall(PetscMemzero(&s, sizeof s));
  PetscCall(PetscStrcpy(s.electrolyte_name, "electrolyte"));
  PetscCall(ReadShared(comm, "scaffold", &dim, &size, &isize, &alg, &verbose, &maxCells));
  PetscOptionsBegin(comm, "mesh_scaffold_", "Mesh generator scaffold: a non-woven mat of inert fibres (not meshed) in an electrolyte film", NULL);
  PetscCall(ReadBox(PetscOptionsObject, "the film's extents; x is its thickness", box));
  PetscCall(NppOptionsRealArray(PetscOptionsObject, "-layer", "the fibres' slab along x, two values (default the whole film)", "m", layer, 0, &nl, &set));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-fibre_radius", "fibre radius", "m", r, &r, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-volume_fraction", "target fibre fraction of the slab, in (0, 0.5)", "-", phi, &phi, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-orientation_spread", "largest tilt out of the y-z plane, in [0, 90)", "degrees", spread, &spread, NULL));
  PetscCall(NppOptionsReal(PetscOptionsObject, "-min_gap", "fibres cross or keep this gap, in radii", "-", gap, &gap, NULL));
  PetscCall(NppOptionsInt(PetscOptionsObject, "-seed", "random seed", "-", seed, &seed, NULL));
  PetscCall(ReadName(PetscOptionsObject, "-electrolyte", "region name of the electrolyte", s.electrolyte_name, sizeof s.electrolyte_name));
  PetscOptionsEnd();
  if (!job->generate) PetscFunctionReturn(0);
  if (set && nl != 2) NppInputError(comm, "-mesh_scaffold_layer", "give two values, the slab's x range in m (got %s%d)", nl > 2 ? "more than " : "", (int)PetscMin(nl, 2));
  if (!set) layer[0] = 0, layer[1] = box[0];
  PetscCall(CheckSeed(comm, "-mesh_scaffold_seed", seed));
  s.dim = (int)dim;
  for (int i = 0; i < 3; i++) s.box[i] = box[i];
  s.layer[0]           = layer[0];
  s.layer[1]           = layer[1];
  s.fibre_radius       = r;
  s.volume_fraction    = phi;
  s.orientation_spread = spread;
  s.min_gap            = gap;
  s.seed               = (unsigned)seed;
  s.size               = size;
  s.interface_size     = isize;
  s.algorithm3d        = (int)alg;
  s.verbose            = verbose;
  PetscCall(CheckCellEstimate(comm, dim, s.box, size, "-mesh_interface_size", isize, PETSC_TRUE, maxCells));
  {
    NppGmshScaffoldReport rep = {0};
    NPP_RUN_ON_RANK0(job, NppGmshScaffold(&s, job->file, &rep, job->report.err, sizeof job->report.err));
    job->report.count = rep.nfibres, job->report.fraction = rep.film_fraction, job->report.poreSpans = rep.electrolyte_spans, job->report.interfaceMeasure = rep.fibre_area;
  }
  PetscFunctionReturn(0);
}

/* A user mesh: -mesh_file, resolved by the caller, must be readable. */
static PetscErrorCode File(NppMeshJob *job)
{
  char      val[PETSC_MAX_PATH_LEN] = "";
  PetscBool set, exists;

  PetscFunctionBeginUser;
  PetscCall(ReportInit(&job->report, ""));
  PetscOptionsBegin(job->comm, "mesh_", "Mesh from a file (-mesh_generator file)", NULL);
  PetscCall(PetscOptionsString("-file", "Gmsh .msh file with physical names (any version Gmsh writes), or an npp HDF5 mesh file (.h5, from -mesh_convert: loaded in parallel); relative to the case directory when given there", "-", "", val, sizeof val, &set));
  PetscOptionsEnd();
  if (!job->generate) PetscFunctionReturn(0);
  if (!set) NppInputError(job->comm, "-mesh_file", "missing: -mesh_generator file needs a Gmsh .msh or npp .h5 mesh file");
  if (job->resolve) PetscCall(job->resolve(job->resolveCtx, "-mesh_file", val, job->file, sizeof job->file));
  else PetscCall(PetscStrncpy(job->file, val, sizeof job->file));
  PetscCall(PetscTestFile(job->file, 'r', &exists));
  if (!exists) NppInputError(job->comm, "-mesh_file", "%s: no such readable file", job->file);
  PetscFunctionReturn(0);
}

/* The generators by name (as the physics registry of PETSc's ts/tutorials/ex11.c), in the order
   -help lists them. */
const char *const NppMeshGeneratorNames[] = {"layers", "particles", "anode", "skeleton", "scaffold", "file"};
const size_t      NppMeshGeneratorCount   = sizeof NppMeshGeneratorNames / sizeof NppMeshGeneratorNames[0];

PetscErrorCode NppMeshGeneratorsRegister(PetscFunctionList *list)
{
  PetscFunctionBeginUser;
  *list = Generators;
  if (Generators) PetscFunctionReturn(0);
  PetscCall(PetscFunctionListAdd(&Generators, NppMeshGeneratorNames[0], Layers));
  PetscCall(PetscFunctionListAdd(&Generators, NppMeshGeneratorNames[1], Particles));
  PetscCall(PetscFunctionListAdd(&Generators, NppMeshGeneratorNames[2], Anode));
  PetscCall(PetscFunctionListAdd(&Generators, NppMeshGeneratorNames[3], Skeleton));
  PetscCall(PetscFunctionListAdd(&Generators, NppMeshGeneratorNames[4], Scaffold));
  PetscCall(PetscFunctionListAdd(&Generators, NppMeshGeneratorNames[5], File));
  PetscCall(PetscRegisterFinalize(MeshFinalize));
  *list = Generators;
  PetscFunctionReturn(0);
}
