/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the pure C physics kernels. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "face_kernels.h"
#include "fv_flux.h"
#include "kinetics.h"
#include "schedule.h"
#include "temperature.h"
#include "material.h"
#include "material_library.h"
#include "sg_flux.h"
#include "transport.h"

static int failures = 0;

static void Check(int ok, const char *what, double got, double want)
{
  printf("%-60s got %.17g want %.17g  %s\n", what, got, want, ok ? "ok" : "FAILED");
  failures += !ok;
}

static int Close(double a, double b, double rtol)
{
  return fabs(a - b) <= rtol * fabs(b);
}

/* Central finite difference of one argument of a face kernel, for its derivative checks. */
typedef double (*Kernel1)(const double *x, void *ctx);
static double CentralDiff(Kernel1 k, const double *x0, int n, int j, void *ctx)
{
  double       xp[8], xm[8];
  const double h = 1e-6 * (fabs(x0[j]) > 1 ? fabs(x0[j]) : 1);
  for (int k2 = 0; k2 < n; k2++) xp[k2] = xm[k2] = x0[k2];
  xp[j] += h, xm[j] -= h;
  return (k(xp, ctx) - k(xm, ctx)) / (2 * h);
}

/* x = {cK, pK, cL, pL}; ctx = {T, z, thK, thL} */
static double SpeciesOf(const double *x, void *ctx)
{
  const double *q = (const double *)ctx;
  return NppSpeciesFlux(q[0], q[1], x[0], x[1], q[2], x[2], x[3], q[3], NULL);
}

/* x = {pK, lnc, phis} */
static double ElectrodeOf(const double *x, void *ctx)
{
  NppElectrodeFace out;
  NppElectrodeFaceFlux((const NppElectrodeFaceParams *)ctx, x[0], x[1], x[2], &out);
  return out.N;
}

static void TestFaceKernels(void)
{
  {
    double dK, dL, N = NppConductionFlux(3.0, 2.0, 0.5, &dK, &dL);
    Check(N == 4.5 && dK == 3.0 && dL == -3.0, "conduction flux T (uK - uL), dN/duK = T, dN/duL = -T", N, 4.5);
  }
  Check(NppGivenFlux(0.5, -3.0) == -1.5, "given flux: continuation multiplier x value", NppGivenFlux(0.5, -3.0), -1.5);
  {
    /* Scharfetter-Gummel: pure diffusion (no field) is T (cK - cL); equilibrium carries nothing;
       a uniform concentration in a field is ohmic drift */
    const double        T = 2.0, z = 1.0;
    NppSpeciesFluxDeriv d;
    double              N = NppSpeciesFlux(T, z, 3.0, 0.7, 0.1, 1.0, 0.7, 0.1, &d);
    Check(Close(N, T * 2.0, 1e-15) && Close(d.dcK, T, 1e-15) && Close(d.dcL, -T, 1e-15), "species flux, no field: T (cK - cL)", N, 4.0);
    N = NppSpeciesFlux(T, -2.0, 1.0, 0.0, 0.0, exp(-(-2.0) * 0.3 - 0.2), 0.3, 0.2, NULL);
    Check(fabs(N) < 1e-15, "species flux at equilibrium cL/cK = exp(-dpsi): zero", N, 0);
    N = NppSpeciesFlux(T, z, 1.5, 0.0, 0.0, 1.5, 1e-3, 0.0, NULL);
    Check(Close(N, -T * 1.5 * z * 1e-3, 1e-12), "species flux, uniform c in a field: drift -T c z dphi exactly", N, -T * 1.5e-3);
    {
      const double x[4] = {1.3, 0.2, 0.4, -1.1}, q[4] = {T, -1.0, 0.3, -0.5};
      double       got[4], maxrel                     = 0;
      NppSpeciesFlux(q[0], q[1], x[0], x[1], q[2], x[2], x[3], q[3], &d);
      got[0] = d.dcK, got[1] = d.dpK, got[2] = d.dcL, got[3] = d.dpL;
      for (int j = 0; j < 4; j++) {
        const double fd = CentralDiff(SpeciesOf, x, 4, j, (void *)q);
        maxrel          = fmax(maxrel, fabs(got[j] - fd) / fmax(fabs(fd), 1e-12));
      }
      Check(maxrel < 1e-8, "species flux derivatives vs central differences, max rel.", maxrel, 0);
    }
  }
  {
    /* Butler-Volmer face: without film and i0 exponent the closed form i0 (e^{aa eta} - e^{-ac eta})
       with eta = phis - pK - ln(c)/z */
    NppElectrodeFaceParams p = {2.0, 0.0, 0.5, 0.5, 0.0, 1.0, -3.0, 1e-10};
    NppElectrodeFace       o;
    const double           pK = 0.3, lnc = log(0.8), phis = 1.1, eta = phis - pK - lnc;
    NppElectrodeFaceFlux(&p, pK, lnc, phis, &o);
    Check(Close(o.current, 2.0 * (exp(0.5 * eta) - exp(-0.5 * eta)), 1e-14) && Close(o.N, -3.0 * o.current, 1e-15) && Close(o.eta, eta, 1e-15), "electrode face, no film: Butler-Volmer closed form", o.current, 2.0 * (exp(0.5 * eta) - exp(-0.5 * eta)));
    NppElectrodeFaceFlux(&p, pK, lnc, pK + lnc, &o);
    Check(o.current == 0.0 && o.eta == 0.0, "electrode face at Nernst equilibrium: no current", o.current, 0);
    /* film, half-cell and i0 ~ c^0.5: the kinetic overpotential plus the series drop is the total,
       and the derivatives match central differences */
    p.r = 0.7, p.i0Exponent = 0.5, p.aa = 0.3, p.ac = 0.7;
    NppElectrodeFaceFlux(&p, pK, lnc, phis, &o);
    Check(Close(o.current, NppButlerVolmer(2.0 * sqrt(0.8), 0.3, 0.7, o.eta, NULL), 1e-12) && Close(o.eta + p.r * o.current, eta, 1e-14), "electrode face with film: i = BV(eta_kin), eta_kin + r i = eta", o.eta + p.r * o.current, eta);
    {
      const double x[3]   = {pK, lnc, phis};
      const double got[3] = {o.dpK, o.dlnc, o.dphis};
      double       maxrel = 0;
      for (int j = 0; j < 3; j++) {
        const double fd = CentralDiff(ElectrodeOf, x, 3, j, &p);
        maxrel          = fmax(maxrel, fabs(got[j] - fd) / fmax(fabs(fd), 1e-12));
      }
      Check(maxrel < 1e-7, "electrode face derivatives vs central differences, max rel.", maxrel, 0);
    }
    NppElectrodeFaceFlux(&p, pK, log(1e-30), phis, &o);
    Check(o.c == 1e-10, "electrode face: the surface concentration floored at cmin", o.c, 1e-10);
  }
}

int main(void)
{
  TestFaceKernels();
  /* two half-cells in series: T = A / (dK/kK + dL/kL) */
  double T = NppTransmissibility(2.0, 1.0, 0.5, 3.0, 1.5);
  Check(Close(T, 2.0 / (0.5 / 1.0 + 1.5 / 3.0), 1e-15), "transmissibility, two materials", T, 2.0);
  T = NppTransmissibility(1.0, 4.0, 0.25, 4.0, 0.25);
  Check(Close(T, 8.0, 1e-15), "transmissibility, one material = k A / d", T, 8.0);
  T = NppTransmissibility(3.0, 2.0, 0.5, 0.0, 0.0);
  Check(Close(T, 12.0, 1e-15), "transmissibility, boundary face", T, 12.0);
  /* a very resistive side dominates: the harmonic mean, not the arithmetic one */
  T = NppTransmissibility(1.0, 1.0, 1.0, 1e-9, 1.0);
  Check(Close(T, 1.0 / (1.0 + 1e9), 1e-12), "transmissibility, contrast 1e9", T, 1e-9);

  /* material resolution: what a case gives -> complete transport properties */
  {
    const char *const sp[2] = {"li", "tfsi"};
    const double      z[2] = {1, -1}, Tk = 298.15;
    NppMaterialInput  in;
    NppMaterial       m;
    char              key[64], msg[256];
    memset(&in, 0, sizeof in);
    in.has_conductivity = 1, in.conductivity = 1e-2;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) == 0 && m.present[0] && !m.present[1] && m.c[0] == 1000, "conductivity only: single-ion conductor at c_ref", m.c[0], 1000);
    Check(Close(m.conductivity, 1e-2, 1e-14), "single-ion: Nernst-Einstein gives back sigma", m.conductivity, 1e-2);
    Check(Close(m.fixed_charge, -96485.33212 * 1000, 1e-15), "single-ion: fixed charge -F c", m.fixed_charge, -96485.33212e3);
    in.has_c[0] = in.has_c[1] = 1, in.c[0] = in.c[1] = 500;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) != 0 && !strcmp(key, "transference_number"), "binary salt without t+ rejected, key named", 0, 0);
    in.has_transference = 1, in.transference = 0.3;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) == 0 && Close(m.D[0] / (m.D[0] + m.D[1]), 0.3, 1e-14) && m.fixed_charge == 0, "binary salt: D+/(D+ + D-) = t+, no fixed charge", m.D[0] / (m.D[0] + m.D[1]), 0.3);
    in.transference = 1.2;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) != 0 && strstr(msg, "1.2"), "t+ = 1.2 rejected, message names the value", 1.2, 1.2);
    in.has_transference = 0, in.has_conductivity = 0, in.has_D[0] = 1, in.D[0] = 1e-12;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) != 0 && !strcmp(key, "tfsi_diffusivity"), "missing anion diffusivity named", 0, 0);
    in.has_D[1] = 1, in.D[1] = -1e-12;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) != 0 && !strcmp(key, "tfsi_diffusivity") && strstr(msg, "-1e-12"), "negative diffusivity rejected with its value", -1e-12, -1e-12);
    in.has_conductivity = 1, in.conductivity = -1e-3, in.has_D[0] = in.has_D[1] = 0;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) != 0 && !strcmp(key, "conductivity") && strstr(msg, "-0.001"), "negative conductivity rejected, message names key and value", -1e-3, -1e-3);
    in.conductivity = NAN;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) != 0, "NaN conductivity rejected", 0, 0);
    in.conductivity = 0.0;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) != 0, "zero conductivity rejected", 0, 0);
    in.conductivity = 1e-2, in.has_permittivity = 1, in.permittivity = -3;
    in.has_transference = 1, in.transference = 0.5;
    Check(NppMaterialResolve(2, sp, z, 1000, Tk, &in, &m, key, sizeof key, msg, sizeof msg) != 0 && !strcmp(key, "permittivity"), "negative permittivity rejected", -3, -3);
  }
  /* Bernoulli function against a long-double reference, and its identities */
  double maxrel = 0;
  for (int k = -400; k <= 400; k++) {
    const double      x   = k == 0 ? 0.0 : copysign(pow(10.0, abs(k) / 50.0 - 6.0), k); /* 1e-6 .. 1e2 */
    const long double xl  = x;
    const long double ref = x == 0 ? 1.0L : xl / expm1l(xl);
    const double      rel = fabs((double)((NppBernoulli(x) - ref) / ref));
    if (rel > maxrel) maxrel = rel;
  }
  Check(maxrel < 4e-16, "Bernoulli vs long double, |x| in [1e-6, 1e2], max rel. error", maxrel, 0);
  Check(NppBernoulli(0.0) == 1.0, "B(0) = 1", NppBernoulli(0.0), 1.0);
  Check(Close(NppBernoulli(-1e3), 1e3, 1e-15), "B(-1000) = 1000 (no overflow)", NppBernoulli(-1e3), 1e3);
  Check(NppBernoulli(1e3) >= 0 && NppBernoulli(1e3) < 1e-300, "B(1000) ~ 0 (no overflow)", NppBernoulli(1e3), 0);
  double ident = 0;
  for (double x = -30; x <= 30; x += 0.37) ident = fmax(ident, fabs(NppBernoulli(-x) - NppBernoulli(x) - x) / fmax(1, fabs(x)));
  Check(ident < 1e-14, "B(-x) - B(x) = x", ident, 0);
  double dmax = 0;
  for (double x = -20; x <= 20; x += 0.013) {
    const double h = 1e-6 * fmax(1, fabs(x)), fd = (NppBernoulli(x + h) - NppBernoulli(x - h)) / (2 * h);
    dmax = fmax(dmax, fabs(NppBernoulliDeriv(x) - fd));
  }
  Check(dmax < 1e-8, "B'(x) vs centred difference, max abs. error", dmax, 0);
  /* Scharfetter-Gummel: zero flux at equilibrium cL/cK = exp(-dpsi), Fick's law at dpsi = 0 */
  double       dK, dL, dP;
  const double Neq = NppSGFlux(2.0, 1.0, exp(-3.0), 3.0, &dK, &dL, &dP);
  Check(fabs(Neq) < 1e-15, "SG flux zero at equilibrium partition", Neq, 0);
  Check(Close(NppSGFlux(2.0, 3.0, 1.0, 0.0, NULL, NULL, NULL), 4.0, 1e-15), "SG flux = T (cK - cL) without drift", NppSGFlux(2.0, 3.0, 1.0, 0.0, NULL, NULL, NULL), 4.0);
  const double h = 1e-7, fdP = (NppSGFlux(2.0, 1.3, 0.4, 0.7 + h, 0, 0, 0) - NppSGFlux(2.0, 1.3, 0.4, 0.7 - h, 0, 0, 0)) / (2 * h);
  NppSGFlux(2.0, 1.3, 0.4, 0.7, &dK, &dL, &dP);
  Check(Close(dP, fdP, 1e-7), "SG d/d(dpsi) vs centred difference", dP, fdP);
  Check(Close(dK, 2.0 * NppBernoulli(0.7), 1e-15) && Close(dL, -2.0 * NppBernoulli(-0.7), 1e-15), "SG d/dcK, d/dcL", dK, 2.0 * NppBernoulli(0.7));
  {
    /* uniform concentration: pure drift N = -T x, to round-off even for tiny x (an ohmic current) */
    double worst = 0;
    for (double x = -5; x <= 5; x += 0.0137) {
      const double xs = x * 1e-4, N = NppSGFlux(3.0, 2.0, 2.0, xs, NULL, NULL, NULL);
      worst = fmax(worst, fabs(N + 6.0 * xs) / fabs(6.0 * xs));
    }
    Check(worst < 1e-15, "SG flux at uniform c = -T c dpsi, max rel. error for |dpsi| < 5e-4", worst, 0);
    /* strong depletion downstream: no cancellation in the upwind form */
    const double N = NppSGFlux(1.0, 1e-12, 1.0, -40.0, NULL, NULL, NULL), want = 40.0 * 1e-12 / -expm1(-40.0) - 40.0 / expm1(40.0);
    Check(Close(N, want, 1e-13), "SG flux, dpsi = -40, cK = 1e-12, cL = 1", N, want);
  }
  {
    /* Butler-Volmer: linear regime i = i0 (aa + ac) eta, Tafel, symmetric inverse, film in series */
    double       d;
    const double il = NppButlerVolmer(2.0, 0.5, 0.5, 1e-6, &d);
    Check(Close(il, 2.0 * 1e-6, 1e-12) && Close(d, 2.0, 1e-12), "BV linear regime: i = i0 (aa + ac) eta", il, 2e-6);
    const double it = NppButlerVolmer(1.0, 0.3, 0.7, 20.0, NULL);
    Check(Close(it, exp(6.0) - exp(-14.0), 1e-15), "BV anodic Tafel branch, aa = 0.3", it, exp(6.0));
    double worst = 0;
    for (double i = -1e3; i <= 1e3; i += 7.3) {
      const double eta = NppButlerVolmerInverseSymmetric(0.5, 0.5, i);
      worst            = fmax(worst, fabs(NppButlerVolmer(0.5, 0.5, 0.5, eta, NULL) - i) / fmax(1.0, fabs(i)));
    }
    Check(worst < 1e-13, "BV symmetric inverse asinh(i/2i0)/a round trip", worst, 0);
    double dworst = 0;
    worst         = 0;
    for (double eta = -30; eta <= 30; eta += 0.77) {
      const double r = 0.37, i = NppButlerVolmerFilm(1.5, 0.4, 0.6, r, eta, &d);
      worst          = fmax(worst, fabs(NppButlerVolmer(1.5, 0.4, 0.6, eta - r * i, NULL) - i) / fmax(1.0, fabs(i)));
      const double h = 1e-5, fd = (NppButlerVolmerFilm(1.5, 0.4, 0.6, r, eta + h, NULL) - NppButlerVolmerFilm(1.5, 0.4, 0.6, r, eta - h, NULL)) / (2 * h);
      dworst = fmax(dworst, fabs(d - fd) / fabs(fd));
    }
    Check(worst < 1e-13, "BV with film: i = BV(eta - r i) to round-off", worst, 0);
    Check(dworst < 1e-8, "BV with film: di/deta vs centred differences", dworst, 0);
    Check(Close(NppButlerVolmerFilm(1.0, 0.5, 0.5, 1e6, 50.0, NULL), 50.0 / 1e6, 1e-3), "BV with a dominant film: i -> eta / r", NppButlerVolmerFilm(1.0, 0.5, 0.5, 1e6, 50.0, NULL), 5e-5);
  }
  /* Nernst-Einstein and screening */
  const double Tk = 298.15, VT = NppThermalVoltage(Tk);
  Check(Close(VT, 0.025693, 1e-4), "thermal voltage at 298.15 K, V", VT, 0.025693);
  {
    /* PVDF-HFP/LiTFSI-like: sigma 1.04e-2 S/m, t+ 0.58, 1 M: D from sigma and back */
    const double sig = 1.04e-2, tp = 0.58, c0 = 1000.0;
    const double z[2] = {1, -1}, D[2] = {NppDiffusivityNernstEinstein(sig, tp, 1, c0, Tk), NppDiffusivityNernstEinstein(sig, 1 - tp, -1, c0, Tk)};
    const double c[2] = {c0, c0};
    const double back = NppConductivityNernstEinstein(2, z, D, c, Tk);
    Check(Close(back, sig, 1e-14), "Nernst-Einstein: sigma -> (D+, D-) -> sigma", back, sig);
    Check(Close(D[0] / (D[0] + D[1]), tp, 1e-14), "D+/(D+ + D-) equals t+", D[0] / (D[0] + D[1]), tp);
    Check(Close(D[0], 1.6062e-12, 1e-4), "D+ of 1.04e-2 S/m, t+ 0.58, 1 M: 1.606e-12 m^2/s (= 0.58 x 1.04e-2 x 0.025693 / (96485 x 1000))", D[0], 1.6062e-12);
  }
  {
    /* textbook: 1 mM 1:1 salt in water (eps_r 78.5, 25 C) screens over 9.6 nm; 1 M over 0.30 nm */
    const double z[2] = {1, -1}, c1[2] = {1, 1}, c2[2] = {1000, 1000}, zs[1] = {1}, cs[1] = {1000};
    Check(Close(NppDebyeLength(78.5, Tk, 2, z, c1), 9.62e-9, 2e-3), "Debye length, 1 mM 1:1 in water, m", NppDebyeLength(78.5, Tk, 2, z, c1), 9.62e-9);
    Check(Close(NppDebyeLength(78.5, Tk, 2, z, c2), 3.042e-10, 2e-3), "Debye length, 1 M 1:1 in water, m", NppDebyeLength(78.5, Tk, 2, z, c2), 3.042e-10);
    Check(Close(NppDebyeLength(78.5, Tk, 1, zs, cs), sqrt(2.0) * NppDebyeLength(78.5, Tk, 2, z, c2), 1e-14), "single mobile ion: sqrt(2) x the 1:1 value", NppDebyeLength(78.5, Tk, 1, zs, cs), 0);
  }
  {
    /* current schedules: a CCD ramp 0.1 A/m^2 + 0.1 per hour, reversed every half hour */
    const NppCurrentSchedule ccd = {0.1, 0.1, 3600, 1800}, cst = {2.0, 0, 0, 0};
    Check(NppCurrentScheduleValue(&cst, 0) == 2.0 && NppCurrentScheduleValue(&cst, 1e9) == 2.0 && isinf(NppCurrentScheduleNextSwitch(&cst, 5)), "constant schedule", NppCurrentScheduleValue(&cst, 1e9), 2.0);
    Check(NppCurrentScheduleValue(&ccd, 0) == 0.1 && NppCurrentScheduleValue(&ccd, 1800) == 0.1, "CCD: plating at 0.1 up to and at t = 1800 s (left-continuous)", NppCurrentScheduleValue(&ccd, 1800), 0.1);
    Check(NppCurrentScheduleValue(&ccd, 1800 * (1 + 1e-12)) == 0.1 && NppCurrentScheduleValue(&ccd, 1801) == -0.1, "CCD: reversed after 1800 s (round-off on the switch stays before it)", NppCurrentScheduleValue(&ccd, 1801), -0.1);
    Check(Close(NppCurrentScheduleValue(&ccd, 3601), 0.2, 1e-15) && Close(NppCurrentScheduleValue(&ccd, 5401), -0.2, 1e-15) && Close(NppCurrentScheduleValue(&ccd, 3 * 3600 + 1), 0.4, 1e-15), "CCD: 0.2 then -0.2 in the second hour, 0.4 in the fourth", NppCurrentScheduleValue(&ccd, 3 * 3600 + 1), 0.4);
    Check(NppCurrentScheduleNextSwitch(&ccd, 0) == 1800 && NppCurrentScheduleNextSwitch(&ccd, 1800) == 3600 && NppCurrentScheduleNextSwitch(&ccd, 1799.9) == 1800 && NppCurrentScheduleNextSwitch(&ccd, 3600 * (1 - 1e-13)) == 5400, "next switch times", NppCurrentScheduleNextSwitch(&ccd, 1800), 3600);
  }
  {
    /* presets: found case-insensitively, fill only what is not given */
    const NppMaterialPreset *lif = NppMaterialPresetFind("LiF");
    NppMaterialInput         in  = {0};
    Check(lif && lif->kind == NPP_PHASE_SINGLE_ION && lif->conductivity == 1e-7 && !NppMaterialPresetFind("unobtainium"), "preset LiF found (1e-7 S/m), unknown name rejected", lif ? lif->conductivity : 0, 1e-7);
    in.has_conductivity = 1, in.conductivity = 3e-6;
    NppMaterialPresetApply(NppMaterialPresetFind("li3n"), &in);
    Check(in.conductivity == 3e-6 && in.has_permittivity && in.permittivity == 10.0, "preset Li3N: a given conductivity wins, the permittivity is filled", in.conductivity, 3e-6);
    /* the measured numbers of the seed papers, in S/m */
    Check(NppMaterialPresetFind("llzto")->conductivity == 0.026 && NppMaterialPresetFind("lpscl")->conductivity == 0.48 && NppMaterialPresetFind("lpscl")->Ea == 0.28 && NppMaterialPresetFind("lpscl")->electronic_conductivity == 1.6e-6, "LLZTO 0.26 mS/cm (001), LPSCl 4.8 mS/cm, 0.28 eV, 1.6e-8 S/cm electronic (003)",
          NppMaterialPresetFind("lpscl")->conductivity, 0.48);
    Check(NppMaterialPresetFind("phlp15")->conductivity == 0.0817 && NppMaterialPresetFind("phlp15")->transference == 0.58 && NppMaterialPresetFind("phlp")->transference == 0.14, "PHLP-15 0.817 mS/cm, t+ 0.58; PHLP t+ 0.14 (002)",
          NppMaterialPresetFind("phlp15")->transference, 0.58);
    {
      int ok = 1, n = NppMaterialPresetCount(), found = 0;
      for (int k = 0; k < n; k++) {
        const NppMaterialPreset *p = NppMaterialPresetGet(k);
        ok                         = ok && p->source && p->source[0] && p->assumed && p->Tref > 0 && strstr(NppMaterialPresetNames(), p->name);
        ok                         = ok && (p->kind == NPP_PHASE_INERT ? p->conductivity == 0 : p->conductivity > 0) && p->electronic_conductivity >= 0;
        ok                         = ok && (p->kind != NPP_PHASE_SALT || p->transference == 0 || (p->transference > 0 && p->transference < 1));
        ok                         = ok && ((p->law != NPP_LAW_ARRHENIUS && p->law != NPP_LAW_ARRHENIUS_SIGMA_T) || (p->Ea > 0 && p->Ea < 1));
        found += NppMaterialPresetFind(p->name) == p;
      }
      Check(ok && found == n && n >= 20 && !NppMaterialPresetGet(n), "every preset has a source, a listed name, a sane conductivity, t+ and Ea", n, 20);
    }
    {
      NppMaterialInput salt = {0}, ohmic = {0}, inert = {0};
      salt.has_c[0] = salt.has_c[1] = 1, salt.c[0] = salt.c[1] = 1000;
      NppMaterialPresetApply(NppMaterialPresetFind("phlp15"), &salt);
      NppMaterialPresetApply(NppMaterialPresetFind("phlp15"), &ohmic);
      Check(salt.has_transference && salt.transference == 0.58 && !ohmic.has_transference && ohmic.conductivity == 0.0817, "a salt preset splits its conductivity by t+ only when two species are given", salt.transference, 0.58);
      Check(NppMaterialPresetApply(NppMaterialPresetFind("peva"), &inert) != 0 && !inert.has_conductivity, "an inert preset fills nothing and says so", 0, 0);
      NppTemperatureLaw law = NppMaterialPresetLaw(NppMaterialPresetFind("peo_litfsi"));
      Check(law.law == NPP_LAW_ARRHENIUS && law.Tref == 333.15 && law.Ea == 0.201, "PEO-LiTFSI law: Arrhenius 0.201 eV from 60 C", law.Ea, 0.201);
    }
  }
  {
    /* temperature laws: 0.28 eV Arrhenius (paper 002's PHLP) from 25 to 60 C, x exp(0.28/k (1/298.15 - 1/333.15)) = 3.14 */
    const NppTemperatureLaw arr = {NPP_LAW_ARRHENIUS, 298.15, 0.28, 0, 0}, arrT = {NPP_LAW_ARRHENIUS_SIGMA_T, 298.15, 0.28, 0, 0}, vtf = {NPP_LAW_VTF, 298.15, 0, 1000, 200};
    const double            f = exp(0.28 / 8.617333262e-5 * (1 / 298.15 - 1 / 333.15));
    Check(Close(NppConductivityFactor(&arr, 333.15), f, 1e-14) && Close(f, 3.1422, 1e-4), "Arrhenius 0.28 eV, 25 -> 60 C: x 3.14", NppConductivityFactor(&arr, 333.15), f);
    Check(Close(NppConductivityFactor(&arrT, 333.15), f * 298.15 / 333.15, 1e-14), "Arrhenius in sigma T: the extra T_ref/T", NppConductivityFactor(&arrT, 333.15), f * 298.15 / 333.15);
    Check(NppConductivityFactor(&arr, 298.15) == 1.0 && NppConductivityFactor(&vtf, 298.15) == 1.0, "all laws give 1 at T_ref", 1, 1);
    Check(Close(NppConductivityFactor(&vtf, 253.15), exp(-1000 / 53.15 + 1000 / 98.15), 1e-14), "VTF B = 1000 K, T0 = 200 K at -20 C", NppConductivityFactor(&vtf, 253.15), exp(-1000 / 53.15 + 1000 / 98.15));
    Check(isnan(NppConductivityFactor(&vtf, 190)) && isnan(NppConductivityFactor(&arr, -1)), "VTF below T0 and negative T rejected (NaN)", 0, 0);
  }
  printf("%d failed\n", failures);
  return failures != 0;
}
