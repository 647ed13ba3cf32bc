"""Shared helpers of the verification tests: run npp on N ranks, read its summary, assert."""
import json
import os
import shutil
import subprocess
import sys

EXE = os.environ.get("NPP_EXE", "npp")
MPIEXEC = os.environ.get("NPP_MPIEXEC", "mpiexec")
OUT = os.environ.get("NPP_TEST_OUT", "/tmp/npp-test-out")
FAILED = []


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
    path = os.path.join(out, "summary.json")
    if os.path.exists(path):
        with open(path) as f:
            summary = json.load(f)
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
