/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_FACE_KERNELS_H
#define NPP_FACE_KERNELS_H
/* Flux laws of the finite-volume faces, one pure function per kind of face (no PETSc). Each
   takes the values at the two points of the face normal line (K's and L's point, where the
   non-orthogonal correction reconstructs them; the cell centres on an orthogonal mesh) and
   returns the flux from K to L with its derivatives with respect to those values. The walk over
   the faces (solver/discretisation/operator.c) applies the chain rule through the reconstruction
   in one place, so a kernel never sees a mesh.
   Potentials are phi/V_T; species concentrations are c/c_bulk of the region (docs/theory.md). */

/* Two-point conduction: N = T (uK - uL), the Poisson flux (T: permittivity transmissibility,
   u = phi/V_T) and the ohmic electronic flux (T: electronic conductance, u = the electron
   potential). Optional outputs dN/duK = T, dN/duL = -T. */
double NppConductionFlux(double T, double uK, double uL, double *duK, double *duL);

/* Derivatives of a species face flux with respect to the face values. */
typedef struct {
  double dcK, dcL; /* d/d c at K's and L's point */
  double dpK, dpL; /* d/d phi/V_T at K's and L's point */
} NppSpeciesFluxDeriv;

/* Scharfetter-Gummel flux of a species of charge number z through a face of transmissibility T,
   driven by psi = z phi + theta (theta = mu0/RT + ln(c_bulk/c_ref) of each side's region):
     N = NppSGFlux(T, cK, cL, z (pL - pK) + thL - thK)   (sg_flux.h). */
double NppSpeciesFlux(double T, double z, double cK, double pK, double thK, double cL, double pL, double thL, NppSpeciesFluxDeriv *d);

/* A given flux density leaving through a boundary face, times the continuation multiplier s:
   N = s value, independent of every unknown (no derivative). */
double NppGivenFlux(double s, double value);

/* Parameters of a Li-metal electrode face (Butler-Volmer, kinetics.h), all dimensionless except
   i0 and scale. */
typedef struct {
  double i0;         /* exchange current density at c = c_bulk, A/m^2 */
  double i0Exponent; /* i0 (c/c_bulk)^exponent */
  double aa, ac;     /* transfer coefficients */
  double r;          /* series resistance over V_T (SEI film plus the half-cell between K's point
                        and the electrode), m^2/A */
  double z;          /* charge number of the reacting species */
  double scale;      /* current density (A/m^2) -> the flux N of the face */
  double cmin;       /* smallest surface concentration used (a floor, c/c_bulk) */
} NppElectrodeFaceParams;

/* What the electrode face gives back. */
typedef struct {
  double N;       /* scale * current */
  double current; /* current density leaving the electrode, A/m^2 (anodic positive) */
  double eta;     /* kinetic overpotential over V_T (total minus the series drop r current) */
  double c;       /* the surface concentration used, max(exp(lnc), cmin) */
  double dpK;     /* dN/d(phi/V_T at K's point) */
  double dlnc;    /* dN/d(ln c at K's point) (through the Nernst term and i0 ~ c^exponent) */
  double dphis;   /* dN/d(electrode potential / V_T) */
} NppElectrodeFace;

/* Butler-Volmer with the series resistance at K's point: the total overpotential
   phis - pK - ln(c)/z drives the current through the kinetics and r in series (NppButlerVolmerFilm). */
void NppElectrodeFaceFlux(const NppElectrodeFaceParams *p, double pK, double lnc, double phis, NppElectrodeFace *out);

#endif
