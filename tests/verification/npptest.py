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


def read_xdmf(out, name="solution.xmf"):
    """Reads every time of a run's XDMF file (solution.xmf, or an electrode_<b>.xmf) following
    its HDF5 paths: returns (centroids [ncells, 3], [(time, {field: array}), ...])."""
    import xml.etree.ElementTree as ET
    import h5py
    import numpy as np
    root = ET.parse(os.path.join(out, name)).getroot()
    files = {}

    def load(item):
        fname, path = item.text.strip().split(":")
        if fname not in files:
            files[fname] = h5py.File(os.path.join(out, fname), "r")
        return files[fname][path][...]

    steps, centroid = [], None
    for grid in root.find("Domain/Grid").findall("Grid"):
        if centroid is None:
            cells = load(grid.find("Topology/DataItem")).astype(int)
            geo = grid.find("Geometry")
            items = geo.findall("DataItem")
            if geo.get("GeometryType") == "X_Y_Z":
                x = load(items[0])
                xyz = np.stack([x, 0 * x, 0 * x], axis=1)
            else:
                xyz = load(items[0])
                xyz = np.hstack([xyz, np.zeros((xyz.shape[0], 3 - xyz.shape[1]))])
            centroid = xyz[cells].mean(axis=1)
        t = float(grid.find("Time").get("Value"))
        steps.append((t, {a.get("Name"): load(a.find("DataItem")) for a in grid.findall("Attribute")}))
    for f in files.values():
        f.close()
    return centroid, steps


def read_electrode(out, name):
    """An electrode's faces from electrode_<name>.xmf: (centroids [n, 3], measures [n] (length in
    2-D, area in 3-D, 1 in 1-D), [(time, {field: array}), ...])."""
    import h5py
    import numpy as np
    xc, steps = read_xdmf(out, f"electrode_{name}.xmf")
    with h5py.File(os.path.join(out, "solution.h5"), "r") as h:
        v = h[f"/electrodes/{name}/vertices"][...]
        cells = h[f"/electrodes/{name}/cells"][...].astype(int)
    p = v[cells]
    if p.shape[1] == 1:
        a = np.ones(len(p))
    elif p.shape[1] == 2:
        a = np.linalg.norm(p[:, 1] - p[:, 0], axis=1)
    else:   # triangles or quadrilaterals (two triangles)
        a = 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)
        if p.shape[1] == 4:
            a += 0.5 * np.linalg.norm(np.cross(p[:, 2] - p[:, 0], p[:, 3] - p[:, 0]), axis=1)
    return xc, a, steps


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
