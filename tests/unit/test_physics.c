/* Unit tests of the pure C physics kernels. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "fv_flux.h"
#include "material.h"

static int failures = 0;

static void Check(int ok, const char *what, double got, double want)
{
  printf("%-60s got %.17g want %.17g  %s\n", what, got, want, ok ? "ok" : "FAILED");
  failures += !ok;
}

static int Close(double a, double b, double rtol) { return fabs(a - b) <= rtol * fabs(b); }

int main(void)
{
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

  NppMaterial m = {"polymer", 1e-2};
  char        msg[256];
  Check(NppMaterialCheck(&m, msg, sizeof msg) == 0, "positive conductivity accepted", 0, 0);
  m.conductivity = -1e-3;
  Check(NppMaterialCheck(&m, msg, sizeof msg) != 0 && strstr(msg, "conductivity") && strstr(msg, "-0.001"), "negative conductivity rejected, message names key and value", m.conductivity, -1e-3);
  m.conductivity = 0.0;
  Check(NppMaterialCheck(&m, msg, sizeof msg) != 0, "zero conductivity rejected", 0, 0);
  m.conductivity = NAN;
  Check(NppMaterialCheck(&m, msg, sizeof msg) != 0, "NaN conductivity rejected", 0, 0);
  printf("%d failed\n", failures);
  return failures != 0;
}
