/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_H
#define NPP_H
#include <petscsnes.h>
#include <petscts.h>
#include "case.h"
#include "mesh.h"
#include "fvgeom.h"
#include "material.h"
#include "schedule.h"
#include "discretisation/jacobian_pattern.h"
#include "output/files.h"

/* A mobile species of the case. */
typedef struct {
  char      name[NPP_NAME_LEN];
  PetscReal z; /* charge number */
} NppSpecies;

/* How a boundary treats one species. */
typedef enum {
  NPP_SPECIES_BLOCKING,      /* N.n = 0 */
  NPP_SPECIES_CONCENTRATION, /* Dirichlet: a reservoir at a given concentration */
  NPP_SPECIES_FLUX           /* given normal flux density leaving the domain */
} NppSpeciesBCType;

/* Normal current density statistics over an electrode (A/m^2, Newman sign: anodic positive). */
typedef struct {
  PetscReal mean, min, max; /* area mean and extremes over the faces */
  PetscReal apex;           /* at the face that protrudes furthest into the electrolyte */
  PetscReal apexPoint[3];
  PetscReal amplification;    /* apex / mean */
  PetscReal fractionAbove2;   /* area fraction with |i| > 2 |mean| */
  PetscReal overpotential;    /* area mean of the kinetic overpotential, V */
  PetscReal filmDrop;         /* area mean of i R_film, V */
  PetscReal minConcentration; /* smallest electrode-species concentration next to the electrode, mol/m^3 */
} NppElectrodeStats;

/* One named boundary of the mesh with its condition. */
typedef struct {
  char      name[NPP_NAME_LEN];
  PetscBool hasPotential;
  PetscReal potential; /* Dirichlet electric potential, V (of the electrode at an electrode) */
  /* Li-metal electrode (Butler-Volmer; docs/theory.md): the electrode species' flux follows the
     kinetics, the other species are blocked, the electrolyte potential is free */
  PetscBool          electrode;
  PetscInt           electrodeSpecies;
  PetscReal          i0;             /* exchange current density at the bulk concentration, A m^-2 */
  PetscReal          i0Exponent;     /* i0 = i0 (c/c_bulk)^exponent */
  PetscReal          alphaA, alphaC; /* transfer coefficients */
  PetscReal          filmResistance; /* SEI film in series, Ohm m^2 */
  PetscBool          galvanostatic;  /* the applied current sets the electrode potential, a global unknown */
  PetscInt           unknown;        /* its index among the global unknowns */
  NppCurrentSchedule schedule;       /* applied mean current density, A/m^2 */
  NppElectrodeStats  stats;          /* of the last evaluated state (NppElectrodeStatistics) */
  NppSpeciesBCType   type[NPP_MAX_SPECIES];
  PetscReal          value[NPP_MAX_SPECIES];     /* mol m^-3 or mol m^-2 s^-1 (leaving) */
  PetscBool          bulkValue[NPP_MAX_SPECIES]; /* reservoir at the adjacent region's bulk concentration */
  PetscReal          area;                       /* over all ranks, m^2 */
  PetscReal          centroid[3];
  PetscReal          current;               /* current leaving the domain through it, A */
  PetscReal          flux[NPP_MAX_SPECIES]; /* species leaving through it, mol s^-1 */
  PetscInt           nfaces;                /* an electrode's faces whose cell this rank owns */
  PetscInt          *faces;                 /* [nfaces] their local numbers, ascending (NppOperatorSetUp) */
} NppBoundary;

/* Physical model and internal scaling. Unknowns are c/cref and phi/VT; residual rows are
   scaled so that their coefficients are O(1) on a mesh of cell size Lref (docs/theory.md). */
typedef struct {
  PetscInt   nspecies;
  NppSpecies sp[NPP_MAX_SPECIES];
  PetscBool  electroneutral;
  PetscReal  T, VT; /* K, V */
  PetscReal  cref, Lref, Dref;
  PetscReal  speciesScale;  /* mol s^-1 per unit of a scaled species row: Dref cref Lref^(dim-2) */
  PetscReal  poissonScale;  /* eps0 VT Lref^(dim-2): C per unit of a scaled Poisson row */
  PetscReal  poissonCharge; /* F cref / (eps0 VT), m^-2 */
} NppPhysics;

/* Unknowns per cell: one field per species that some region leaves free, then the potential.
   In each region the concentrations are affine in the cell's fields, c/cref = A u + b: a free
   species is its field, a species fixed by electroneutrality (the last mobile one of the region)
   is what neutrality leaves, an absent species is zero. Each field's row in a region is a
   conservation law, a constraint, or a zero row. */
typedef enum {
  NPP_ROW_CONSERVE,
  NPP_ROW_NEUTRAL,
  NPP_ROW_ZERO
} NppRowKind;
typedef struct {
  PetscInt    nf, phi;                /* fields per cell; index of the potential */
  PetscInt    field[NPP_MAX_SPECIES]; /* field of each species, -1 if none */
  PetscInt    speciesOfField[NPP_MAX_SPECIES + 1];
  PetscInt    nregions;
  PetscReal  *A;   /* [nregions][ns][nf] */
  PetscReal  *b;   /* [nregions][ns] */
  NppRowKind *row; /* [nregions][nf] (species fields) */
  /* per region and species: omega = D c_bulk/(Dref cref), kappa = cref/c_bulk, theta = mu0/RT + ln(c_bulk/cref) */
  PetscReal *omega, *kappa, *theta; /* [nregions][ns] */
  PetscReal *eps;                   /* [nregions] relative permittivity */
  PetscReal *rho;                   /* [nregions] fixed charge / (F cref) */
} NppFields;

/* c/cref of species i in a cell of region r with unknowns u: (A u + b)_i. */
static inline PetscReal NppFieldsConcentration(const NppFields *fl, PetscInt ns, PetscInt r, PetscInt i, const PetscScalar *u)
{
  const PetscReal *A = &fl->A[(r * ns + i) * fl->nf];
  PetscReal        s = fl->b[r * ns + i];
  for (PetscInt j = 0; j < fl->phi; j++) s += A[j] * u[j];
  return s;
}

/* Results of the last evaluation of the operator (NppOperatorEvaluate) and what the drivers
   derive from it (NppDeriveState), owned by the discretisation; read through the accessors. */
typedef struct {
  PetscInt   ncells, nfaces, nowned;
  PetscReal *ct;          /* [ns][ncells] c/c_bulk of the cell's region */
  PetscReal *phi;         /* [ncells] phi/V_T */
  PetscReal *eta;         /* [ns][ncells] electrochemical potential ln ct + z phi/V_T + theta (species with a reconstruction) */
  PetscReal *chat;        /* [ns][ncells] c/c_ref */
  PetscReal *faceFlux;    /* [ns+1][nfaces] flux from K to L (scaled row units): Poisson, then each species */
  PetscReal *faceCurrent; /* [nfaces] electrode faces: current density i, A/m^2 (anodic positive) */
  PetscReal *faceEta;     /* [nfaces] electrode faces: kinetic overpotential, V */
  PetscReal *cellCurrent; /* [nowned][3] current density of the owned cells, A/m^2 (NppDeriveState) */
  PetscBool  domainError; /* a non-positive concentration was met */
  /* what the evaluation takes besides the cell unknowns */
  PetscReal  time;        /* s (current schedules) */
  PetscReal  phiScale;    /* continuation multiplier on the driving forces: boundary potentials, fluxes, theta */
  PetscReal  chargeScale; /* continuation multiplier on the Poisson charge (lambda_D -> lambda_D/sqrt(s)) */
  PetscReal *globalValue; /* [nglobal] the global unknowns' current values, on every rank */
  PetscReal *globalSum;   /* [nglobal] this rank's part of sum_f N_f of each current constraint */
} NppEvaluation;

static inline PetscReal *NppEvalConcentration(const NppEvaluation *ev, PetscInt i)
{
  return ev->chat + i * ev->ncells;
} /* c/c_ref */
static inline PetscReal *NppEvalRegionConcentration(const NppEvaluation *ev, PetscInt i)
{
  return ev->ct + i * ev->ncells;
} /* c/c_bulk */
static inline PetscReal *NppEvalElectrochemical(const NppEvaluation *ev, PetscInt i)
{
  return ev->eta + i * ev->ncells;
}
static inline PetscReal *NppEvalPoissonFlux(const NppEvaluation *ev)
{
  return ev->faceFlux;
}
static inline PetscReal *NppEvalSpeciesFlux(const NppEvaluation *ev, PetscInt i)
{
  return ev->faceFlux + (i + 1) * ev->nfaces;
}

typedef struct {
  PetscInt  on;     /* 0 none, 1 cosine potential (conduction), 2 coupled two-species + Poisson */
  PetscReal length; /* period of the npp solution (-mms_length), m */
  PetscReal l2error[NPP_MAX_SPECIES + 1], h;
} NppMMS;

typedef struct {
  PetscLogDouble mesh, distribute, setup, solve, output, total;
} NppTimes;

/* One time step or steady solve, for the summary. */
typedef struct {
  PetscReal t, dt;
  PetscInt  snes, ksp;
} NppStepLog;

/* Electron transport through mixed-conducting phases (electronic.c) */
typedef struct _n_NppElectronic *NppElectronic;

/* The model (model/): species, regions with their materials, the unknowns of a cell, boundaries. */
typedef struct {
  NppPhysics   phys;
  PetscInt     nregions;
  NppMaterial *mat;
  PetscInt    *regionCells;   /* [nregions] over all ranks */
  PetscReal   *regionVolume;  /* [nregions] over all ranks, m^d */
  PetscReal   *regionMinSize; /* [nregions] smallest cell size, over all ranks */
  NppFields    fld;
  PetscInt     nbc;
  NppBoundary *bc;
  NppMMS       mms;
} NppModel;

/* The discretisation (discretisation/): the distributed mesh and its FV geometry, the model on it
   (regions per cell, boundary data per face), reconstructions and transmissibilities, the
   numbering of the unknowns and the Jacobian's pattern. Fixed after set-up. */
typedef struct {
  DM        dm;
  NppFVGeom geom;
  PetscBool correct;         /* non-orthogonal correction on */
  PetscReal correctMinOrtho; /* faces less orthogonal than this are not corrected */
  PetscReal minOrtho, maxSkew;
  PetscInt  nfallback, nuncorrected;
  PetscInt  globalCells;
  PetscInt *cellRegion;    /* [ncells] */
  PetscInt *faceBC;        /* [nfaces] boundary index, -1 if none */
  PetscInt *faceElectrode; /* [nfaces] boundary index of an electrode face, -1 if none */
  /* Dirichlet data per face (MMS may set every boundary face): potential (scaled) and
     species c/c_bulk of the adjacent region */
  PetscBool   *phiHasValue; /* [nfaces] */
  PetscReal   *phiValue;    /* [nfaces] phi/VT */
  PetscBool   *cHasValue;   /* [ns][nfaces] */
  PetscReal   *cValue;      /* [ns][nfaces] normalised c/c_bulk */
  PetscReal   *cFlux;       /* [ns][nfaces] given flux leaving, scaled row units; used where !cHasValue */
  PetscBool   *cHasFlux;    /* [ns][nfaces] */
  NppFaceRecon reconPhi;
  NppFaceRecon recon[NPP_MAX_SPECIES]; /* NULL for species without a field */
  PetscReal   *transPhi;               /* [nfaces] Poisson (eps) transmissibility, scaled */
  PetscReal   *trans;                  /* [ns][nfaces] species transmissibility, scaled */
  PetscReal   *cellSource;             /* [ncells][nf] row sources (manufactured solutions), scaled */
  PetscInt     derivCap;               /* the walk's sparse-derivative buffer: its length, from the largest */
  PetscInt    *derivCol;               /* reconstruction stencil (NppOperatorSetUp) */
  PetscInt    *derivKey;
  PetscReal   *derivVal;
  PetscInt    *derivSlot; /* [nf * ncells + nglobal] the buffer's entry of each local column, -1 */
  PetscInt     pinRow;    /* local cell whose potential row is phi = 0 (no potential boundary), or -1 */
  PetscBool    pinned;    /* pinned somewhere */
  /* Global unknowns: the potentials (phi/VT) of galvanostatic electrodes, stored after the cell
     unknowns of the last rank; their rows are the current constraints sum_f N_f = N_applied */
  PetscInt      nglobal;
  PetscInt      globalRow0;  /* global index of the first */
  PetscMPIInt   globalOwner; /* the rank that stores them */
  PetscInt      nlocalCells; /* local length of the cell part of X: nf * owned cells */
  PetscInt     *globalBC;    /* [nglobal] the boundary of each */
  Vec           Xcells;      /* DM-shaped global vector with no storage: a view of X's cell part */
  PetscInt     *cellRow;     /* [ncells] first global row of every local cell */
  PetscInt     *ownedPos;    /* [ncells] position of the cell in the owned part, -1 for ghosts */
  PetscBool     symmetric;
  NppJacPattern jac;     /* the Jacobian's entries, unique per row */
  PetscCount    nvisits; /* the walk's visits of them (a consistency check) */
} NppDisc;

/* A restart from a checkpoint (output/checkpoint.c): the last step is repeated from the state
   before it, then its stored state, time and next step size are put back (drivers/transient.c). */
typedef struct {
  PetscBool active; /* this run continues from a checkpoint */
  PetscBool replay; /* the repeated step is under way */
  Vec       Xlast;  /* the state after the checkpoint's step */
  PetscReal t, tprev, dt;
  PetscInt  step, csvLength;
} NppRestart;

/* The state of the solve (drivers/): unknowns, Jacobian, SNES/TS, the step log, stop criteria,
   mass balance and the electronic leakage. */
typedef struct {
  Vec            X, Xloc, Xdotloc;
  Mat            J;
  PetscReal     *jacVal; /* Jacobian values in the slots of disc.jac */
  SNES           snes;
  TS             ts;
  PetscBool      transient;
  PetscReal      tsAtol; /* absolute error tolerance of the species, c/cref (-ts_atol) */
  PetscInt       snesIts, kspIts;
  PetscInt       nsteps, maxsteps;
  NppStepLog    *steps;
  char           continuation[1024]; /* what continuation the steady solve took */
  NppTimes       t;
  PetscReal      dt0;               /* first time step, also taken after each switch of a current schedule */
  PetscReal      stopVoltage;       /* stop when |cell voltage| reaches it (V; 0: off) */
  PetscReal      stopConcentration; /* stop when the electrode species next to an electrode falls below it (mol/m^3; 0: off) */
  PetscBool      stopped;
  char           stopReason[256];
  PetscReal      stopTime;
  PetscBool      failed; /* the run failed after its output opened: what it completed is kept */
  char           failReason[1024];
  PetscReal      failTime;                    /* the time reached (transient) */
  PetscReal      progressInterval;            /* s of wall time between progress lines (0: none) */
  PetscLogDouble progressStart, progressLast; /* wall clock of the start and of the last line */
  PetscReal      total0[NPP_MAX_SPECIES];     /* amounts at the start, mol */
  PetscReal      inflow[NPP_MAX_SPECIES];     /* time-integrated boundary inflow, mol */
  Vec            Xprev;                       /* the state before the current step (for checkpoints) */
  PetscReal      tprev;
  NppRestart     restart;
  PetscInt       restarts;    /* how many times the run was continued from a checkpoint */
  PetscReal      restartTime; /* the time of the last */
  NppElectronic  elec;        /* NULL when no region conducts electrons */
  PetscReal     *elecCurrent; /* [nbc] electronic current leaving through each boundary, A */
  PetscInt       elecKspIts;
} NppRun;

/* The output (output/): the directory, the open files and the times written. */
typedef struct {
  char        outdir[PETSC_MAX_PATH_LEN];
  PetscBool   outdirCreated;
  PetscBool   locked; /* this run holds the directory's lock (run_dir.c) */
  PetscViewer h5;
  FILE       *xdmf;     /* rank 0 only */
  PetscInt    nout;     /* requested output times */
  PetscInt    outEvery; /* also every so many steps (0: off) */
  PetscReal  *outTimes;
  PetscInt    nwritten, maxwritten; /* times written so far */
  PetscReal  *written;
  PetscInt   *segment;     /* [nwritten] the first output of the run that wrote each: its mesh file's (output.c) */
  PetscInt    segmentFrom; /* the first output of this run (a restart's: after those of its checkpoint) */
  char        meshName[64];
  PetscBool   meshOpen; /* the mesh file is written but not yet committed (with the first output time) */
  PetscBool   opened;   /* NppOutputOpen has run: a failure keeps what was completed */
  FILE       *csv;      /* rank 0: electrodes.csv.partial, one row per step */
  /* checkpoints (checkpoint.c) */
  PetscInt       checkpointEvery;    /* steps between checkpoints (0: by wall time only) */
  PetscReal      checkpointInterval; /* s of wall time between checkpoints (0: by steps only) */
  PetscInt       checkpointLastStep; /* the step of the last checkpoint */
  PetscLogDouble checkpointLastTime;
  PetscInt       ncheckpoints;
  char          *fingerprint; /* the run's options as given, for a restart to compare */
} NppOutput;

/* The whole run: case -> mesh -> model -> discretisation -> drivers -> output, one member per
   stage; ev holds the results of the last evaluation of the operator. */
typedef struct _n_Npp *Npp;
struct _n_Npp {
  MPI_Comm      comm;
  NppCase       cs;
  NppMeshInfo   meshInfo;
  NppModel      model;
  NppDisc       disc;
  NppEvaluation ev;
  NppRun        run;
  NppOutput     out;
};

PetscErrorCode NppCreate(MPI_Comm comm, Npp *npp);
PetscErrorCode NppSetUp(Npp npp, int argc, char **argv);
PetscErrorCode NppSolve(Npp npp);
PetscErrorCode NppDestroy(Npp *npp);
PetscErrorCode NppAbortOutput(Npp npp);
PetscErrorCode NppOutputKeepFailed(Npp npp, const char why[]);
PetscErrorCode NppWriteSummary(Npp npp, const char path[]);

/* The stages' functions, grouped by stage. A function takes the communicator and the structs it
   uses, in the order of the data path (case, mesh, model, disc, ev, run, out), const where it
   only reads them. The whole Npp remains where a function works on the run as a whole: the
   entry points above, the set-up and solve of the drivers and their SNES/TS callbacks (whose ctx
   is the run), the operator's evaluation and the face walk with its visitors (the walk hands the
   run to each visitor), what evaluates a state before it is written (NppDeriveState,
   NppBoundaryFluxes, NppCellCurrentDensity), writing a step and closing the output (NppOutputWrite
   books its time on the run; NppOutputClose writes the summary, which reports every stage).
   Each stage reads its keys in one place (PetscOptionsBegin/End blocks with help); with -help
   (NppCaseHelp) the *Options functions and NppPhysicsSetUp only read and list them, without a
   mesh, and per-region/boundary/species keys of a run without a case are listed with the
   placeholders <r>, <b>, <s>. */

PetscErrorCode NppMaterialListPrint(MPI_Comm comm); /* case/material_list.c: npp -materials */

/* model/: the case (for -help's placeholders) and the physics in, the model out; with the mesh
   they also fill the discretisation's per-cell and per-face data (regions, boundary data, MMS
   sources). */
PetscErrorCode NppPhysicsSetUp(MPI_Comm comm, const NppCase *cs, NppPhysics *ph); /* physics.c */
PetscErrorCode NppPhysicsScale(NppModel *model, const NppDisc *disc);
PetscErrorCode NppRegionsOptions(MPI_Comm comm, const NppCase *cs, const NppPhysics *ph); /* regions.c */
PetscErrorCode NppRegionsSetUp(MPI_Comm comm, const NppCase *cs, const NppMeshInfo *mesh, NppModel *model, NppDisc *disc);
PetscErrorCode NppLabelNames(DM dm, PetscInt height, char list[], size_t len);
PetscErrorCode NppFieldsSetUp(MPI_Comm comm, NppModel *model); /* fields.c */
PetscErrorCode NppInitialGuess(MPI_Comm comm, const NppModel *model, const NppDisc *disc, Vec X);
PetscErrorCode NppBoundariesOptions(MPI_Comm comm, const NppCase *cs, const NppPhysics *ph); /* boundaries.c */
PetscErrorCode NppBoundariesSetUp(MPI_Comm comm, const NppCase *cs, const NppMeshInfo *mesh, NppModel *model, NppDisc *disc);
PetscErrorCode NppMMSOptions(MPI_Comm comm, NppMMS *mms, char kind[], size_t len); /* mms.c */
PetscErrorCode NppMMSSetUp(MPI_Comm comm, NppModel *model, NppDisc *disc);
PetscErrorCode NppMMSError(MPI_Comm comm, NppModel *model, const NppDisc *disc, Vec X);

/* discretisation/ */
PetscErrorCode NppOperatorSetUp(Npp npp); /* discretisation.c: numbering, reconstruction, Jacobian pattern; creates the run's X and J */
/* Scatters the cell part of global X to the local Xloc (ghosts included) and, with globals, reads
   the global unknowns into ev->globalValue on every rank (discretisation.c). */
PetscErrorCode NppGlobalToLocal(MPI_Comm comm, const NppDisc *disc, NppEvaluation *ev, Vec X, Vec Xloc, PetscBool globals);
/* Residual and, with J, Jacobian values (in the slots of disc.jac) of F(u, udot) with dF/du + shift dF/dudot;
   udot NULL: steady. Fills npp->ev. */
PetscErrorCode NppOperatorEvaluate(Npp npp, Vec Xloc, Vec Xdotloc, PetscReal shift, Vec F, PetscReal *J); /* operator.c */
PetscErrorCode NppOperatorPattern(Npp npp, Vec Xloc, PetscInt rstart, PetscInt nrows);
/* Face walks (face_walk.c), in the spirit of p4est's iterate callbacks: visit(npp, f, ctx) for
   each face of a set, in ascending order. The operator, the electronic leakage, the balances and
   the cell current density walk the faces through them; the electrodes walk bc->faces. */
typedef enum {
  NPP_FACES_ACTIVE,        /* faces with an owned side: the fluxes this rank assembles */
  NPP_FACES_OWNED_BOUNDARY /* boundary faces of owned cells: each boundary face once over the ranks */
} NppFaceSet;
typedef PetscErrorCode (*NppFaceVisitor)(Npp npp, PetscInt f, void *ctx);
PetscErrorCode NppFaceWalk(Npp npp, NppFaceSet set, NppFaceVisitor visit, void *ctx);

/* The owned cells on the two sides of face f and the sign with which a flux from K to L enters
   their balances (+1 for K, -1 for L); returns how many. */
static inline PetscInt NppFaceOwnedSides(NppFVGeom g, PetscInt f, PetscInt cell[2], PetscReal sign[2])
{
  const NppFace *fc = &g->faces[f];
  PetscInt       n  = 0;
  for (PetscInt side = 0; side < 2; side++) {
    const PetscInt c = side ? fc->L : fc->K;
    if (c < 0 || !g->owned[c]) continue;
    cell[n] = c, sign[n++] = side ? -1.0 : 1.0;
  }
  return n;
}

PetscErrorCode NppEvaluationCreate(const NppModel *model, const NppDisc *disc, NppEvaluation *ev); /* evaluation.c: sized by the mesh */
PetscErrorCode NppEvaluationDestroy(NppEvaluation *ev);
PetscErrorCode NppCellCurrentDensity(Npp npp);                                                                                     /* from the last evaluation */
PetscErrorCode NppBalance(MPI_Comm comm, const NppModel *model, const NppDisc *disc, Vec X, PetscReal total[], PetscReal *charge); /* balance.c */
PetscErrorCode NppBoundaryFluxes(Npp npp, Vec X, PetscReal out[]);                                                                 /* evaluates X */
PetscErrorCode NppElectrodeStatistics(MPI_Comm comm, NppModel *model, const NppDisc *disc, const NppEvaluation *ev);               /* electrodes.c: needs a fresh evaluation */
PetscErrorCode NppCellVoltage(const NppModel *model, const NppEvaluation *ev, PetscReal *V);
PetscReal      NppElectrodePotential(const NppModel *model, const NppEvaluation *ev, const NppBoundary *bc);
PetscErrorCode NppMinElectrodeSpeciesConcentration(MPI_Comm comm, const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, PetscReal *cmin);

/* drivers/ */
PetscErrorCode NppSteadySetUp(Npp npp); /* steady.c */
PetscErrorCode NppSteadySolve(Npp npp);
PetscErrorCode NppTimeOptions(MPI_Comm comm, NppRun *run, NppOutput *out, PetscBool all, PetscReal *tf, PetscReal *dt0); /* transient.c */
PetscErrorCode NppTransientSetUp(Npp npp);
PetscErrorCode NppTransientSolve(Npp npp);
PetscErrorCode NppSolverOptions(MPI_Comm comm, PetscInt *maxDirect); /* solver_strategy.c */
PetscErrorCode NppLinearSolverDefaults(MPI_Comm comm, const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, const NppRun *run, SNES snes);
PetscErrorCode NppSNESTolerances(SNES snes);
PetscErrorCode NppFieldSplitSetUp(const NppModel *model, const NppDisc *disc, KSP ksp);
typedef struct {
  PetscErrorCode (*configure)(PC inner, void *ctx);     /* once, when the options are read */
  PetscErrorCode (*update)(PC inner, Mat A, void *ctx); /* before each set-up on the cell block A */
  PetscErrorCode (*ready)(PC inner, void *ctx);         /* after each set-up */
  PetscErrorCode (*destroy)(void *ctx);
} NppCellPCHooks;
PetscErrorCode NppBorderedPCSet(PC pc, const NppDisc *disc, PCType innerType, const NppCellPCHooks *hooks, void *ctx, PC *inner); /* bordered_pc.c */
PetscErrorCode NppSlotboomPCSet(PC pc, PCType amgType, PetscErrorCode (*scaling)(Vec, void *), void *ctx);                        /* slotboom_pc.c */
PetscErrorCode NppPositivityPreCheck(SNESLineSearch ls, Vec X, Vec Y, PetscBool *changed, void *ctx);
PetscErrorCode NppElectronicSetUp(Npp npp); /* electronic.c: leakage through mixed conductors */
PetscErrorCode NppElectronicSolve(Npp npp); /* with the current electrode potentials */
PetscErrorCode NppElectronicPotential(NppElectronic elec, const PetscScalar **x);
PetscErrorCode NppElectronicRestorePotential(NppElectronic elec, const PetscScalar **x);
PetscErrorCode NppElectronicDestroy(NppElectronic *elec);
PetscErrorCode NppDeriveState(Npp npp, Vec X);             /* derive_state.c: what output writes of state X, before NppOutputWrite */
PetscErrorCode NppWriteState(Npp npp, Vec X, PetscReal t); /* derive_state.c: NppDeriveState, then NppOutputWrite */

/* output/: NppOutput and what is written from (model, discretisation, evaluation). */
/* run_dir.c: the output directory (lock, replacement of earlier results) and committed files */
PetscErrorCode NppRunDirCreate(MPI_Comm comm, NppOutput *out);
PetscErrorCode NppRunDirRelease(MPI_Comm comm, NppOutput *out);
PetscErrorCode NppRunDirReplaceEarlier(MPI_Comm comm, NppOutput *out, NppMeshInfo *mi);
PetscErrorCode NppOutputOpen(MPI_Comm comm, const NppModel *model, const NppDisc *disc, NppOutput *out); /* output.c */
PetscErrorCode NppOutputWrite(Npp npp, Vec X, PetscReal t);                                              /* X and what NppDeriveState(X) computed */
PetscErrorCode NppOutputClose(Npp npp);
PetscErrorCode NppElectrodeOutputOpen(MPI_Comm comm, const NppModel *model, const NppDisc *disc, NppOutput *out); /* output_electrodes.c */
PetscErrorCode NppElectrodeOutputStep(MPI_Comm comm, const NppModel *model, const NppDisc *disc, const NppEvaluation *ev, NppOutput *out);
PetscErrorCode NppElectrodeOutputXDMF(MPI_Comm comm, const NppModel *model, const NppDisc *disc, const NppOutput *out);
PetscErrorCode NppOutputMeshFile(const NppOutput *out, PetscInt k, char name[], size_t len); /* the files of output time k */
PetscErrorCode NppOutputStepFile(PetscInt k, char name[], size_t len);
PetscErrorCode NppSeriesOpen(MPI_Comm comm, const NppModel *model, NppOutput *out);                         /* series.c: electrodes.csv */
PetscErrorCode NppSeriesWrite(const NppModel *model, const NppEvaluation *ev, NppOutput *out, PetscReal t); /* after NppBoundaryFluxes */
PetscErrorCode NppSeriesCommit(MPI_Comm comm, NppOutput *out);                                              /* collective: electrodes.csv */
PetscErrorCode NppSeriesDiscard(NppOutput *out);
PetscErrorCode NppSeriesResume(MPI_Comm comm, const NppModel *model, NppOutput *out, PetscInt length); /* a restart's: the series up to its checkpoint */
PetscErrorCode NppOutputResume(Npp npp);                                                               /* output.c: a restart's directory, cut back to its checkpoint */
/* checkpoint.c */
PetscErrorCode NppCheckpointOptions(MPI_Comm comm, NppOutput *out);
PetscErrorCode NppRestartOption(MPI_Comm comm, PetscBool *want, PetscBool *set);
PetscErrorCode NppCheckpointProbe(MPI_Comm comm, NppOutput *out, PetscBool transient, char meshFile[], size_t len, PetscBool *restart);
PetscBool      NppCheckpointDue(Npp npp, PetscInt step);
PetscErrorCode NppCheckpointWrite(Npp npp, PetscInt step, Vec X, PetscReal t, Vec Xprev, PetscReal tprev, PetscReal dt);
PetscErrorCode NppCheckpointRead(Npp npp, Vec X, Vec Xlast, NppRestart *rs);
PetscErrorCode NppCheckpointRemove(MPI_Comm comm, NppOutput *out);
PetscErrorCode NppFaultPoint(MPI_Comm comm, const char where[]); /* rank-local, after a failure */

#endif
