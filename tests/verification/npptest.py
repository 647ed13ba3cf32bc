# SPDX-License-Identifier: BSD-2-Clause
"""Shared helpers of the verification tests: run npp on N ranks, read its summary, assert.
npp's output is read by postproc/nppout.py, the reader the post-processing scripts use too."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "postproc"))
import nppout  # noqa: E402
from nppout import read_xdmf, read_electrode  # noqa: E402,F401  (the tests import them from here)

EXE = os.environ.get("NPP_EXE", "npp")
MPIEXEC = os.environ.get("NPP_MPIEXEC", "mpiexec")
OUT = os.environ.get("NPP_TEST_OUT", "/tmp/npp-test-out")
FAILED = []

# A small steady case file (a 2-D polymer|ceramic stack, 40 cells) that bad-input tests and the
# fuzzer mutate.
LAYERS_CASE = """mesh:
  generator: layers
  dim: 2
  layers:
    thickness: 4e-6,6e-6
    regions: polymer,ceramic
    width: 4e-6
  size: 1e-6
region:
  names: polymer,ceramic
  polymer:
    conductivity: 1e-2
  ceramic:
    conductivity: 0.1
bc:
  names: xmin,xmax
  xmin:
    potential: 0
  xmax:
    potential: 0.01
"""


def opts(d):
    """{'mesh_size': 1e-6} -> ['-mesh_size', '1e-06']; lists become comma lists."""
    args = []
    for k, v in d.items():
        if isinstance(v, (list, tuple)):
            v = ",".join(str(x) for x in v)
        args += ["-" + k] + ([str(v)] if v != "" else [])
    return args


def run(name, options, ranks=1, case=None, expect_fail=False):
    """Runs npp and returns (summary dict or None, completed process)."""
    out = os.path.join(OUT, name)
    shutil.rmtree(out, ignore_errors=True)
    cmd = [MPIEXEC, "-n", str(ranks), EXE] if ranks > 1 else [EXE]
    if case:
        cmd.append(case)
    cmd += opts(options) + ["-output_dir", out]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if p.returncode != 0 and not expect_fail:
        print(" ".join(cmd))
        print(p.stdout, p.stderr)
        sys.exit(f"npp failed with exit code {p.returncode}")
    summary = None
    if os.path.exists(os.path.join(out, "summary.json")):
        summary = nppout.read_summary(out)
    return summary, p


def check(ok, what):
    print(f"{'ok    ' if ok else 'FAILED'} {what}")
    if not ok:
        FAILED.append(what)


def close(got, want, rtol, what):
    err = abs(got - want) / abs(want)
    check(err <= rtol, f"{what}: got {got:.12g}, want {want:.12g}, rel. error {err:.2e} (tol {rtol:g})")
    return err


def finish():
    n = len(FAILED)
    print(f"{n} failed" if n else "all checks passed")
    sys.exit(1 if n else 0)


def bv_overpotential(i, i0, aa=0.5, ac=0.5, VT=8.314462618 * 298.15 / 96485.33212):
    """The overpotential (V) that drives current density i through Butler-Volmer,
    i = i0 [exp(aa eta/VT) - exp(-ac eta/VT)], by bisection."""
    import math
    lo, hi = -5.0, 5.0
    for _ in range(200):
        m = 0.5 * (lo + hi)
        if i0 * (math.exp(aa * m / VT) - math.exp(-ac * m / VT)) > i:
            hi = m
        else:
            lo = m
    return 0.5 * (lo + hi)
