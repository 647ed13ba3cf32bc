#include "mesh.h"
#include "gmsh_generators.h"
#include "gmsh_skeleton.h"
#include "gmsh_scaffold.h"

static const char *const GeneratorTypes[] = {"layers", "particles", "anode", "skeleton", "scaffold", "file", "NppMeshGenerator", "NPP_MESH_", NULL};
typedef enum { NPP_MESH_LAYERS, NPP_MESH_PARTICLES, NPP_MESH_ANODE, NPP_MESH_SKELETON, NPP_MESH_SCAFFOLD, NPP_MESH_FILE } NppMeshGenerator;

/* Keys of each generator. The keys of generators not in use are known, not typos: they are
   marked as read, so that switching -mesh_generator on the command line keeps a case valid. */
static const char *const LayersKeys[]    = {"-mesh_layers_thickness", "-mesh_layers_regions", "-mesh_layers_width", "-mesh_layers_structured", "-mesh_layers_bump", NULL};
static const char *const ParticlesKeys[] = {"-mesh_particles_box", "-mesh_particles_volume_fraction", "-mesh_particles_radius", "-mesh_particles_radius_spread", "-mesh_particles_min_gap", "-mesh_particles_seed", "-mesh_particles_matrix", "-mesh_particles_particle", "-mesh_particles_shell_thickness", "-mesh_particles_shell", "-mesh_interface_size", "-mesh_algorithm3d", NULL};
static const char *const AnodeKeys[]     = {"-mesh_anode_thickness", "-mesh_anode_width", "-mesh_anode_shape", "-mesh_anode_radius", "-mesh_anode_height", "-mesh_anode_count",
                                            "-mesh_anode_pitch", "-mesh_anode_roughness", "-mesh_anode_roughness_length", "-mesh_anode_seed", "-mesh_anode_sei_thickness",
                                            "-mesh_anode_particle_fraction", "-mesh_anode_particle_radius", "-mesh_anode_sei", "-mesh_anode_electrolyte", "-mesh_anode_particle",
                                            "-mesh_anode_tip_size", NULL};
static const char *const SkeletonKeys[]  = {"-mesh_skeleton_box", "-mesh_skeleton_solid_fraction", "-mesh_skeleton_radius", "-mesh_skeleton_radius_spread", "-mesh_skeleton_neck",
                                            "-mesh_skeleton_seed", "-mesh_skeleton_solid", "-mesh_skeleton_pore", NULL};
static const char *const ScaffoldKeys[]  = {"-mesh_scaffold_box", "-mesh_scaffold_layer", "-mesh_scaffold_fibre_radius", "-mesh_scaffold_volume_fraction",
                                            "-mesh_scaffold_orientation_spread", "-mesh_scaffold_min_gap", "-mesh_scaffold_seed", "-mesh_scaffold_electrolyte", NULL};
static const char *const GeneratorKeys[] = {"-mesh_dim", "-mesh_size", "-mesh_verbose", NULL};

static PetscErrorCode MarkInactive(const char *const keys[])
{
  PetscFunctionBeginUser;
  for (PetscInt i = 0; keys[i]; i++) {
    PetscBool set;
    PetscCall(PetscOptionsHasName(NULL, NULL, keys[i], &set));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadName(const char key[], const char def[], char name[], size_t len)
{
  PetscFunctionBeginUser;
  PetscCall(PetscStrncpy(name, def, len));
  PetscCall(PetscOptionsGetString(NULL, NULL, key, name, len, NULL));
  PetscFunctionReturn(0);
}

/* The meshing keys of the microstructure generators: -mesh_size (default: *size as given),
   -mesh_interface_size (default half the size), -mesh_algorithm3d, -mesh_verbose. */
static PetscErrorCode ReadSizes(PetscReal *size, PetscReal *isize, PetscInt *alg, PetscBool *verbose)
{
  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_size", size, NULL));
  *isize = *size / 2;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_interface_size", isize, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_algorithm3d", alg, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-mesh_verbose", verbose, NULL));
  PetscFunctionReturn(0);
}

static PetscErrorCode LayersSpecFromOptions(MPI_Comm comm, NppGmshLayersSpec *s)
{
  PetscInt  n = NPP_GMSH_MAX_LAYERS, nn = NPP_GMSH_MAX_LAYERS, nw = 2, dim = 2;
  PetscReal t[NPP_GMSH_MAX_LAYERS], w[2] = {1e-5, 1e-5}, size = 1e-6;
  char     *names[NPP_GMSH_MAX_LAYERS];
  PetscBool set, structured = PETSC_TRUE, verbose = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(s, sizeof *s));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_dim", &dim, NULL));
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-mesh_layers_thickness", t, &n, &set));
  if (!set) NppInputError(comm, "-mesh_layers_thickness", "missing: give the thickness of each layer in metres, e.g. 10e-6,20e-6");
  PetscCall(PetscOptionsGetStringArray(NULL, NULL, "-mesh_layers_regions", names, &nn, &set));
  if (!set) NppInputError(comm, "-mesh_layers_regions", "missing: give the region name of each layer");
  if (nn != n) {
    for (PetscInt i = 0; i < nn; i++) PetscCall(PetscFree(names[i]));
    NppInputError(comm, "-mesh_layers_regions", "%d names for %d layers in -mesh_layers_thickness", (int)nn, (int)n);
  }
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-mesh_layers_width", w, &nw, NULL));
  {
    PetscReal bump[NPP_GMSH_MAX_LAYERS];
    PetscInt  nb = NPP_GMSH_MAX_LAYERS;
    PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-mesh_layers_bump", bump, &nb, &set));
    if (set && nb != n) NppInputError(comm, "-mesh_layers_bump", "%d values for %d layers", (int)nb, (int)n);
    for (PetscInt i = 0; set && i < n; i++) s->bump[i] = bump[i];
  }
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_size", &size, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-mesh_layers_structured", &structured, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-mesh_verbose", &verbose, NULL));
  s->dim     = (int)dim;
  s->nlayers = (int)n;
  for (PetscInt i = 0; i < n; i++) {
    s->thickness[i] = t[i];
    PetscCall(PetscStrncpy(s->name[i], names[i], NPP_GMSH_NAME_LEN));
    PetscCall(PetscFree(names[i]));
  }
  s->width[0]   = w[0];
  s->width[1]   = nw > 1 ? w[1] : w[0];
  s->size       = size;
  s->structured = structured;
  s->verbose    = verbose;
  PetscFunctionReturn(0);
}

static PetscErrorCode ParticlesSpecFromOptions(MPI_Comm comm, NppGmshParticlesSpec *s)
{
  PetscInt  dim = 3, nb = 3, seed = 1, alg = 0;
  PetscReal box[3] = {1e-5, 1e-5, 1e-5}, phi = 0.1, r = 1e-6, spread = 0, gap = 0.1, size = 0.5e-6, isize = -1;
  PetscBool verbose = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(s, sizeof *s));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_dim", &dim, NULL));
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-mesh_particles_box", box, &nb, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_particles_volume_fraction", &phi, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_particles_radius", &r, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_particles_radius_spread", &spread, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_particles_min_gap", &gap, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_particles_seed", &seed, NULL));
  PetscCall(ReadSizes(&size, &isize, &alg, &verbose));
  PetscCall(ReadName("-mesh_particles_matrix", "matrix", s->matrix_name, sizeof s->matrix_name));
  PetscCall(ReadName("-mesh_particles_particle", "particle", s->particle_name, sizeof s->particle_name));
  PetscCall(ReadName("-mesh_particles_shell", "shell", s->shell_name, sizeof s->shell_name));
  {
    PetscReal t = 0;
    PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_particles_shell_thickness", &t, NULL));
    s->shell_thickness = t;
  }
  if (seed < 0) NppInputError(comm, "-mesh_particles_seed", "%d must be >= 0", (int)seed);
  s->dim             = (int)dim;
  s->box[0]          = box[0];
  s->box[1]          = nb > 1 ? box[1] : box[0];
  s->box[2]          = nb > 2 ? box[2] : s->box[1];
  s->volume_fraction = phi;
  s->radius          = r;
  s->radius_spread   = spread;
  s->min_gap         = gap;
  s->seed            = (unsigned)seed;
  s->size            = size;
  s->interface_size  = isize;
  s->algorithm3d     = (int)alg;
  s->verbose         = verbose;
  PetscFunctionReturn(0);
}

static PetscErrorCode AnodeSpecFromOptions(MPI_Comm comm, NppGmshAnodeSpec *s)
{
  static const char *const shapes[] = {"none", "hemisphere", "cone", "cylinder"};
  PetscInt  dim = 2, nw = 2, nc = 2, np = 2, count[2] = {1, 1}, seed = 1;
  PetscReal thickness = 2e-5, w[2] = {2e-5, 2e-5}, r = 2e-6, height, pitch[2] = {0, 0}, amp = 0, len = 5e-6, sei = 2e-7, phi = 0, pr = 1e-6, size = 1e-6, tip;
  PetscBool verbose = PETSC_FALSE, set;
  char      shape[64] = "hemisphere";

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(s, sizeof *s));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_dim", &dim, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_size", &size, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_anode_thickness", &thickness, NULL));
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-mesh_anode_width", w, &nw, &set));
  if (set && nw == 1) w[1] = w[0];
  PetscCall(PetscOptionsGetString(NULL, NULL, "-mesh_anode_shape", shape, sizeof shape, NULL));
  s->shape = -1;
  for (int i = 0; i < 4; i++) {
    PetscBool match;
    PetscCall(PetscStrcmp(shape, shapes[i], &match));
    if (match) s->shape = i;
  }
  if (s->shape < 0) NppInputError(comm, "-mesh_anode_shape", "unknown shape '%s' (choose none, hemisphere, cone or cylinder)", shape);
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_anode_radius", &r, NULL));
  height = 2 * r;
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_anode_height", &height, NULL));
  PetscCall(PetscOptionsGetIntArray(NULL, NULL, "-mesh_anode_count", count, &nc, &set));
  if (set && nc == 1) count[1] = count[0];
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-mesh_anode_pitch", pitch, &np, &set));
  if (set && np == 1) pitch[1] = pitch[0];
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_anode_roughness", &amp, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_anode_roughness_length", &len, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_anode_seed", &seed, NULL));
  if (seed < 0) NppInputError(comm, "-mesh_anode_seed", "%d must be >= 0", (int)seed);
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_anode_sei_thickness", &sei, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_anode_particle_fraction", &phi, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_anode_particle_radius", &pr, NULL));
  PetscCall(ReadName("-mesh_anode_sei", "sei", s->sei_name, sizeof s->sei_name));
  PetscCall(ReadName("-mesh_anode_electrolyte", "electrolyte", s->electrolyte_name, sizeof s->electrolyte_name));
  PetscCall(ReadName("-mesh_anode_particle", "particle", s->particle_name, sizeof s->particle_name));
  tip = PetscMin(size, sei > 0 ? sei / 2 : r / 8); /* two cells across the SEI */
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_anode_tip_size", &tip, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-mesh_verbose", &verbose, NULL));
  s->dim                 = (int)dim;
  s->thickness           = thickness;
  s->width[0]            = w[0];
  s->width[1]            = w[1];
  s->radius              = r;
  s->height              = height;
  s->count[0]            = (int)count[0];
  s->count[1]            = (int)count[1];
  s->pitch[0]            = pitch[0];
  s->pitch[1]            = pitch[1];
  s->roughness_amplitude = amp;
  s->roughness_length    = len;
  s->seed                = (unsigned)seed;
  s->sei_thickness       = sei;
  s->particle_fraction   = phi;
  s->particle_radius     = pr;
  s->size                = size;
  s->tip_size            = tip;
  s->verbose             = verbose;
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadBox(const char key[], PetscReal box[3])
{
  PetscInt nb = 3;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, key, box, &nb, NULL));
  if (nb == 1) box[1] = box[2] = box[0];
  if (nb == 2) box[2] = box[1];
  PetscFunctionReturn(0);
}

static PetscErrorCode SkeletonSpecFromOptions(MPI_Comm comm, NppGmshSkeletonSpec *s)
{
  PetscInt  dim = 3, seed = 1, alg = 0;
  PetscReal box[3] = {3e-6, 3e-6, 3e-6}, phi = 0.471, r = 0.25e-6, spread = 0.2, neck = 0.5, size = 0.2e-6, isize;
  PetscBool verbose = PETSC_FALSE;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(s, sizeof *s));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_dim", &dim, NULL));
  PetscCall(ReadBox("-mesh_skeleton_box", box));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_skeleton_solid_fraction", &phi, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_skeleton_radius", &r, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_skeleton_radius_spread", &spread, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_skeleton_neck", &neck, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_skeleton_seed", &seed, NULL));
  if (seed < 0) NppInputError(comm, "-mesh_skeleton_seed", "%d must be >= 0", (int)seed);
  PetscCall(ReadName("-mesh_skeleton_solid", "ceramic", s->solid_name, sizeof s->solid_name));
  PetscCall(ReadName("-mesh_skeleton_pore", "polymer", s->pore_name, sizeof s->pore_name));
  PetscCall(ReadSizes(&size, &isize, &alg, &verbose));
  s->dim            = (int)dim;
  for (int i = 0; i < 3; i++) s->box[i] = box[i];
  s->solid_fraction = phi;
  s->radius         = r;
  s->radius_spread  = spread;
  s->neck           = neck;
  s->seed           = (unsigned)seed;
  s->size           = size;
  s->interface_size = isize;
  s->algorithm3d    = (int)alg;
  s->verbose        = verbose;
  PetscFunctionReturn(0);
}

static PetscErrorCode ScaffoldSpecFromOptions(MPI_Comm comm, NppGmshScaffoldSpec *s)
{
  PetscInt  dim = 3, seed = 1, alg = 0, nl = 2;
  PetscReal box[3] = {40e-6, 20e-6, 20e-6}, layer[2] = {-1, -1}, r = 1.5e-6, phi = 0.126, spread = 10, gap = 0.2, size = 1.5e-6, isize;
  PetscBool verbose = PETSC_FALSE, set;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(s, sizeof *s));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_dim", &dim, NULL));
  PetscCall(ReadBox("-mesh_scaffold_box", box));
  PetscCall(PetscOptionsGetRealArray(NULL, NULL, "-mesh_scaffold_layer", layer, &nl, &set));
  if (set && nl != 2) NppInputError(comm, "-mesh_scaffold_layer", "give two values, the slab's x range in m (got %d)", (int)nl);
  if (!set) layer[0] = 0, layer[1] = box[0];
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_scaffold_fibre_radius", &r, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_scaffold_volume_fraction", &phi, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_scaffold_orientation_spread", &spread, NULL));
  PetscCall(PetscOptionsGetReal(NULL, NULL, "-mesh_scaffold_min_gap", &gap, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_scaffold_seed", &seed, NULL));
  if (seed < 0) NppInputError(comm, "-mesh_scaffold_seed", "%d must be >= 0", (int)seed);
  PetscCall(ReadName("-mesh_scaffold_electrolyte", "electrolyte", s->electrolyte_name, sizeof s->electrolyte_name));
  PetscCall(ReadSizes(&size, &isize, &alg, &verbose));
  s->dim                = (int)dim;
  for (int i = 0; i < 3; i++) s->box[i] = box[i];
  s->layer[0]           = layer[0];
  s->layer[1]           = layer[1];
  s->fibre_radius       = r;
  s->volume_fraction    = phi;
  s->orientation_spread = spread;
  s->min_gap            = gap;
  s->seed               = (unsigned)seed;
  s->size               = size;
  s->interface_size     = isize;
  s->algorithm3d        = (int)alg;
  s->verbose            = verbose;
  PetscFunctionReturn(0);
}

/* Runs a generator on rank 0 and shares its verdict, so that all ranks fail together. */
static PetscErrorCode Generate(MPI_Comm comm, NppMeshGenerator type, const char path[], NppMeshInfo *info)
{
  NppGmshLayersSpec     ls;
  NppGmshParticlesSpec  ps;
  NppGmshAnodeSpec      as;
  NppGmshSkeletonSpec   ks;
  NppGmshScaffoldSpec   fs;
  NppGmshReport         rep = {0};
  NppGmshSkeletonReport krep = {0};
  NppGmshScaffoldReport frep = {0};
  PetscMPIInt           rank;
  char                  err[1024] = "";
  int                   ierr      = 0;
  double                shared[6] = {0, 0, -1, -1, 0, 0};

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (type == NPP_MESH_LAYERS) PetscCall(LayersSpecFromOptions(comm, &ls));
  else if (type == NPP_MESH_PARTICLES) PetscCall(ParticlesSpecFromOptions(comm, &ps));
  else if (type == NPP_MESH_ANODE) PetscCall(AnodeSpecFromOptions(comm, &as));
  else if (type == NPP_MESH_SKELETON) PetscCall(SkeletonSpecFromOptions(comm, &ks));
  else PetscCall(ScaffoldSpecFromOptions(comm, &fs));
  if (!rank) {
    if (type == NPP_MESH_LAYERS) ierr = NppGmshLayers(&ls, path, &rep, err, sizeof err);
    else if (type == NPP_MESH_PARTICLES) ierr = NppGmshParticles(&ps, path, &rep, err, sizeof err);
    else if (type == NPP_MESH_ANODE) ierr = NppGmshAnode(&as, path, &rep, err, sizeof err);
    else if (type == NPP_MESH_SKELETON) ierr = NppGmshSkeleton(&ks, path, &krep, err, sizeof err);
    else ierr = NppGmshScaffold(&fs, path, &frep, err, sizeof err);
    shared[0] = rep.nparticles, shared[1] = rep.volume_fraction, shared[5] = rep.shell_fraction;
    if (type == NPP_MESH_SKELETON) shared[0] = krep.ngrains, shared[1] = krep.solid_fraction, shared[2] = krep.solid_spans, shared[3] = krep.pore_spans, shared[4] = krep.solid_interface;
    if (type == NPP_MESH_SCAFFOLD) shared[0] = frep.nfibres, shared[1] = frep.film_fraction, shared[3] = frep.electrolyte_spans, shared[4] = frep.fibre_area;
  }
  PetscCallMPI(MPI_Bcast(&ierr, 1, MPI_INT, 0, comm));
  PetscCallMPI(MPI_Bcast(err, sizeof err, MPI_CHAR, 0, comm));
  if (ierr) NppInputError(comm, "-mesh_generator", "%s", err); /* err names the generator and field */
  PetscCallMPI(MPI_Bcast(shared, 6, MPI_DOUBLE, 0, comm));
  info->nparticles        = (PetscInt)shared[0];
  info->particle_fraction = shared[1];
  info->solidSpans        = (PetscInt)shared[2];
  info->poreSpans         = (PetscInt)shared[3];
  info->interfaceMeasure  = shared[4];
  info->shellFraction     = shared[5];
  PetscCall(PetscStrncpy(info->objects, type == NPP_MESH_SKELETON ? "grains" : type == NPP_MESH_SCAFFOLD ? "fibres" : "particles", sizeof info->objects));
  PetscFunctionReturn(0);
}

PetscErrorCode NppMeshCreate(MPI_Comm comm, const NppCase *cs, const char outdir[], PetscInt overlap, DM *dm, NppMeshInfo *info)
{
  PetscInt         type = NPP_MESH_LAYERS, refine = 0;
  PetscBool        set, exists;

  PetscLogDouble   t0, t1;
  DM               dist = NULL;
  PetscPartitioner part;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(info, sizeof *info));
  info->solidSpans = info->poreSpans = -1;
  PetscCall(PetscTime(&t0));
  {
    char val[256] = "layers";
    PetscCall(PetscOptionsGetString(NULL, NULL, "-mesh_generator", val, sizeof val, NULL));
    for (type = 0; type <= NPP_MESH_FILE; type++) {
      PetscBool match;
      PetscCall(PetscStrcmp(val, GeneratorTypes[type], &match));
      if (match) break;
    }
    if (type > NPP_MESH_FILE) NppInputError(comm, "-mesh_generator", "unknown generator '%s' (choose layers, particles, anode, skeleton, scaffold or file)", val);
  }
  PetscCall(PetscStrncpy(info->source, GeneratorTypes[type], sizeof info->source));
  if (type != NPP_MESH_LAYERS) PetscCall(MarkInactive(LayersKeys));
  if (type != NPP_MESH_PARTICLES) PetscCall(MarkInactive(ParticlesKeys));
  if (type != NPP_MESH_ANODE) PetscCall(MarkInactive(AnodeKeys));
  if (type != NPP_MESH_SKELETON) PetscCall(MarkInactive(SkeletonKeys));
  if (type != NPP_MESH_SCAFFOLD) PetscCall(MarkInactive(ScaffoldKeys));
  if (type == NPP_MESH_FILE) PetscCall(MarkInactive(GeneratorKeys));
  if (type == NPP_MESH_FILE) {
    char val[PETSC_MAX_PATH_LEN] = "";
    PetscCall(PetscOptionsGetString(NULL, NULL, "-mesh_file", val, sizeof val, &set));
    if (!set) NppInputError(comm, "-mesh_file", "missing: -mesh_generator file needs a Gmsh .msh file");
    PetscCall(NppCaseResolvePath(cs, "-mesh_file", val, info->file, sizeof info->file));
    PetscCall(PetscTestFile(info->file, 'r', &exists));
    if (!exists) NppInputError(comm, "-mesh_file", "%s: no such readable file", info->file);
  } else {
    PetscCall(PetscSNPrintf(info->file, sizeof info->file, "%s/mesh.msh", outdir));
    info->generated = PETSC_TRUE;
    PetscCall(Generate(comm, (NppMeshGenerator)type, info->file, info));
  }
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-mesh_refine", &refine, NULL));
  if (refine < 0) NppInputError(comm, "-mesh_refine", "%d must be >= 0", (int)refine);
  /* Physical names become labels; Face Sets would lose interfaces without interpolation. */
  PetscCall(PetscOptionsSetValue(NULL, "-dm_plex_gmsh_use_regions", "true"));
  PetscCall(DMPlexCreateFromFile(comm, info->file, "npp", PETSC_TRUE, dm));
  PetscCall(PetscObjectSetName((PetscObject)*dm, "mesh"));
  for (PetscInt i = 0; i < refine; i++) {
    DM fine;
    PetscCall(DMRefine(*dm, comm, &fine));
    PetscCall(DMDestroy(dm));
    *dm = fine;
  }
  PetscCall(PetscTime(&t1));
  info->time_generate = t1 - t0; /* generation (rank 0), reading and interpolation */
  t0                  = t1;
  PetscCall(DMPlexGetPartitioner(*dm, &part));
  PetscCall(PetscPartitionerSetFromOptions(part));
  PetscCall(DMPlexDistribute(*dm, overlap, NULL, &dist));
  if (dist) {
    PetscCall(DMDestroy(dm));
    *dm = dist;
  }
  PetscCall(PetscTime(&t1));
  info->time_distribute = t1 - t0;
  PetscFunctionReturn(0);
}
