# SPDX-License-Identifier: BSD-2-Clause
"""postproc/plot.py: exact geometry of its profiles and slices, and the pictures it writes.
(a) 2-D layers a | b between potential contacts (unstructured triangles): the exact potential is
    piecewise linear in x, and the finite-volume cell values equal it at the cell centroids (the
    two-point flux with the gradient correction is exact for it, as xdmf_consistency.py checks).
    A profile along y = W/2 samples the value of the cell containing each point, so
    - every sample lies inside the cell it was assigned (barycentric coordinates computed here,
      from the mesh read independently, >= -1e-12), and its value is that cell's value exactly;
    - value = phi(centroid of that cell) and value + phi'(layer) (x - x_centroid) = phi(x) to 1e-8
      of the applied voltage (the solver's accuracy, not the plot's);
    - |value - phi(x)| <= |phi'| * cell diameter: the piecewise-constant picture's only error.
(b) 3-D layers (tetrahedra, then hexahedra): the slice polygons at x = const (generic, on the
    interface plane of the layers, on both end faces) and at y, z = const tile the cross-section:
    the sum of their areas is W^2 (x) or L W (y, z) to 1e-10; a 3-D profile's samples lie in their
    tetrahedra.
(c) the PNGs (fields with streamlines and arrows, slices, profiles) exist, have the requested
    pixel size and are not blank.
(d) voltage (1-D ccd runs, overlaid) and electrode (2-D dendrite runs overlaid; a 3-D planar
    electrode map) produce PNGs."""
import argparse
import csv
import importlib.util
import os
import struct
import subprocess
import sys
import time

import numpy as np
from npptest import OUT, run, check, finish
import nppout  # on the path through npptest

HERE = os.path.dirname(os.path.abspath(__file__))
POSTPROC = os.path.join(HERE, "..", "..", "postproc")
CASES = os.path.join(HERE, "..", "..", "cases")
sys.path.insert(0, POSTPROC)
_spec = importlib.util.spec_from_file_location("npp_plot", os.path.join(POSTPROC, "plot.py"))  # not this file
plot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plot)

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=2)
a = ap.parse_args()
t_start = time.time()
PNG_W, PNG_H = 640, 400


def plot_cli(*args):
    """Runs postproc/plot.py ARGS (asserting success) and returns its stdout."""
    p = subprocess.run([sys.executable, os.path.join(POSTPROC, "plot.py"), *map(str, args)], capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout, p.stderr)
    check(p.returncode == 0, "plot.py " + " ".join(map(str, args)))
    return p.stdout


def png_ok(path, w=PNG_W, h=PNG_H):
    """The PNG exists, has w x h pixels (IHDR) and more than a few colours."""
    if not os.path.exists(path):
        check(False, f"{path} written")
        return
    with open(path, "rb") as f:
        head = f.read(24)
    pw, ph = struct.unpack(">II", head[16:24])
    import matplotlib.image
    img = matplotlib.image.imread(path)
    ncol = len(np.unique(img.reshape(-1, img.shape[-1]), axis=0))
    check(head[:8] == b"\x89PNG\r\n\x1a\n" and (pw, ph) == (w, h) and ncol > 8,
          f"{os.path.basename(path)}: PNG {pw}x{ph} (want {w}x{h}), {os.path.getsize(path)} bytes, {ncol} colours")


def mesh_of(out):
    """Vertices [nv, 3], cells, potential (last output) and region, read from solution.xmf/.h5
    by nppout directly (not through plot.py's Run and its cell locator)."""
    with nppout.Xdmf(out) as x:
        f = x.fields(-1)
        return x.vertices(-1), x.cells(-1), f["potential"], f["region"]


def read_csv(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


def min_barycentric(v, cells, ci, X, dim):
    """Smallest barycentric coordinate of each point X[i] in simplex cells[ci[i]]."""
    V = v[cells[ci]][:, :, :dim]
    A = np.transpose(V[:, 1:] - V[:, :1], (0, 2, 1))
    lam = np.linalg.solve(A, (X[:, :dim] - V[:, 0])[..., None])[..., 0]
    return np.minimum(1 - lam.sum(axis=1), lam.min(axis=1))


# ------------------------------------------------------------------ (a) 2-D profile vs analytic
t1, t2, W = 30e-6, 10e-6, 10e-6
s1, s2, V = 0.1, 0.02, 0.01
layers2 = {"mesh_generator": "layers", "mesh_dim": 2, "mesh_layers_thickness": [t1, t2], "mesh_layers_regions": ["a", "b"],
           "mesh_layers_width": [W], "mesh_layers_structured": "false", "mesh_size": 2e-6, "region_names": ["a", "b"],
           "region_a_conductivity": s1, "region_b_conductivity": s2, "bc_names": ["xmin", "xmax"],
           "bc_xmin_potential": 0, "bc_xmax_potential": V}
j = V / (t1 / s1 + t2 / s2)


def phi(x):
    """exact series solution: linear in each layer, current density j continuous"""
    return np.where(x < t1, j * x / s1, j * t1 / s1 + j * (x - t1) / s2)


name2 = f"plot_layers2d_np{a.ranks}"
run(name2, layers2, a.ranks)
out2 = os.path.join(OUT, name2)
prof_csv = os.path.join(OUT, "plot_profile2d.csv")
plot_cli(out2, "profile", "potential", "--from", f"0,{W / 2}", "--to", f"{t1 + t2},{W / 2}", "--n", 200,
         "--csv", prof_csv, "--size", f"{PNG_W}x{PNG_H}", "--out", os.path.join(OUT, "plot_profile2d.png"))
png_ok(os.path.join(OUT, "plot_profile2d.png"))
v2, c2, pot2, reg2 = mesh_of(out2)
p = read_csv(prof_csv)
X = np.stack([p["x_m"].astype(float), p["y_m"].astype(float), p["z_m"].astype(float)], axis=1)
cell = p["cell"].astype(int)
val = p["potential"].astype(float)
check(len(cell) == 200 and np.all(cell >= 0), f"all {len(cell)} samples located in a cell")
lmin = min_barycentric(v2, c2, cell, X, 2)
check(np.all(lmin >= -1e-12), f"every sample inside its assigned triangle (smallest barycentric coordinate {lmin.min():.2e})")
check(np.array_equal(val, pot2[cell]), "profile values are the assigned cells' potentials (read independently)")
xc = v2[c2[cell]].mean(axis=1)[:, 0]
check(np.all(reg2[cell] == np.where(xc < t1, 0, 1)), "assigned cells' regions match their centroids' layers")
err_c = np.max(np.abs(val - phi(xc))) / V
check(err_c < 1e-8, f"profile value = phi(centroid of its cell): max error {err_c:.1e} of V (< 1e-8)")
slope = np.where(reg2[cell] == 0, j / s1, j / s2)
err_lin = np.max(np.abs(val + slope * (X[:, 0] - xc) - phi(X[:, 0]))) / V
check(err_lin < 1e-8, f"value + phi' (x - x_centroid) = phi(x) at the samples: max error {err_lin:.1e} of V (< 1e-8)")
diam = np.max(np.linalg.norm(v2[c2[cell]][:, :, None] - v2[c2[cell]][:, None], axis=-1), axis=(1, 2))
dev = np.abs(val - phi(X[:, 0]))
check(np.all(dev <= slope * diam + 1e-8 * V),
      f"|profile - phi(x)| <= phi' x cell diameter (piecewise-constant cells): max {dev.max():.2e} V, {np.max(dev / (slope * diam)):.2f} of the bound")
lin_csv = os.path.join(OUT, "plot_profile2d_linear.csv")
plot_cli(out2, "profile", "potential", "--from", f"0,{W / 2}", "--to", f"{t1 + t2},{W / 2}", "--interp", "linear",
         "--csv", lin_csv, "--out", os.path.join(OUT, "plot_profile2d_linear.png"))
vl = read_csv(lin_csv)["potential"].astype(float)
devl = np.abs(vl - phi(X[:, 0]))
check(np.all(np.isfinite(vl)) and np.all(devl <= 2 * slope * diam),
      f"--interp linear (vertex averages): within 2 phi' x cell diameter of phi, max {devl.max():.2e} V")
# structured quadrilaterals: cells are axis-aligned rectangles, so a sample lies in its cell iff in its bounding box
name_q = "plot_layers2d_quads"
run(name_q, dict(layers2, mesh_layers_structured="true"), 1)
q_csv = os.path.join(OUT, "plot_profile2d_quads.csv")
plot_cli(os.path.join(OUT, name_q), "profile", "potential", "--from", f"1e-6,{W / 3}", "--to", f"{t1 + t2 - 1e-6},{0.9 * W}",
         "--n", 150, "--csv", q_csv, "--out", os.path.join(OUT, "plot_profile2d_quads.png"))
vq, cq, potq, _ = mesh_of(os.path.join(OUT, name_q))
pq = read_csv(q_csv)
Xq, cellq = np.stack([pq["x_m"], pq["y_m"]], axis=1).astype(float), pq["cell"].astype(int)
box = vq[cq[cellq]][:, :, :2]
inq = np.all((Xq >= box.min(axis=1) - 1e-18) & (Xq <= box.max(axis=1) + 1e-18))
check(cq.shape[1] == 4 and np.all(cellq >= 0) and inq and np.array_equal(pq["potential"].astype(float), potq[cellq]),
      f"quadrilaterals ({len(cq)}): every sample inside its assigned cell, with its value")
# fields of the 2-D case: potential (diverging), region (categorical), |j| with arrows and streamlines
for args, fname in ((["field", "potential", "--streamlines"], "plot_field2d_potential.png"),
                    (["field", "region"], "plot_field2d_region.png"),
                    (["field", "current_density", "--arrows", "--time", "0"], "plot_field2d_j.png")):
    plot_cli(out2, *args, "--size", f"{PNG_W}x{PNG_H}", "--out", os.path.join(OUT, fname))
    png_ok(os.path.join(OUT, fname))

# ------------------------------------------------------------------ (b) 3-D slices tile the section
for structured in ("false", "true"):
    kind = "hexahedra" if structured == "true" else "tetrahedra"
    L3 = 20e-6
    o3 = dict(layers2, mesh_dim=3, mesh_layers_thickness=[10e-6, 10e-6], mesh_layers_structured=structured, mesh_size=2.5e-6)
    name3 = f"plot_layers3d_{kind}"
    run(name3, o3, 1)
    out3 = os.path.join(OUT, name3)
    r3 = plot.Run(out3)
    check(r3.topology == ("Hexahedron" if structured == "true" else "Tetrahedron"), f"3-D layers mesh of {kind} ({len(r3.cells)} cells)")
    x_iface = float(np.median(r3.xyz[np.abs(r3.xyz[:, 0] - 10e-6) < 1e-9, 0]))   # the interface's vertex plane
    for axis, value, want in ((0, 3.3e-6, W * W), (0, x_iface, W * W), (0, 0.0, W * W), (0, L3, W * W),
                              (1, 4.1e-6, L3 * W), (2, 7.7e-6, L3 * W)):
        cut, polys = plot.slice_cells(r3.xyz, r3.cells, axis, value)
        area = sum(plot.polygon_area(q) for q in polys)
        check(abs(area - want) <= 1e-10 * want,
              f"{kind}: slice {'xyz'[axis]} = {value:.3g}: {len(cut)} polygons, area {area:.15g}, want {want:.15g} (rel. error {abs(area - want) / want:.1e} <= 1e-10)")
    plot_cli(out3, "field", "current_density", "--slice", "x=13.3e-6", "--arrows", "--size", f"{PNG_W}x{PNG_H}",
             "--out", os.path.join(OUT, f"plot_slice_{kind}.png"))
    png_ok(os.path.join(OUT, f"plot_slice_{kind}.png"))
    if structured == "false":   # a 3-D profile through tetrahedra
        csv3 = os.path.join(OUT, "plot_profile3d.csv")
        plot_cli(out3, "profile", "potential", "--from", "0.5e-6,1e-6,2e-6", "--to", "19.5e-6,9e-6,8.5e-6", "--n", 100,
                 "--csv", csv3, "--size", f"{PNG_W}x{PNG_H}", "--out", os.path.join(OUT, "plot_profile3d.png"))
        p3 = read_csv(csv3)
        v3, c3, pot3, _ = mesh_of(out3)
        X3 = np.stack([p3["x_m"], p3["y_m"], p3["z_m"]], axis=1).astype(float)
        cell3 = p3["cell"].astype(int)
        lmin3 = min_barycentric(v3, c3, np.maximum(cell3, 0), X3, 3)
        check(np.all(cell3 >= 0) and np.all(lmin3 >= -1e-12),
              f"3-D profile: every sample inside its assigned tetrahedron (smallest barycentric coordinate {lmin3.min():.2e})")
        check(np.array_equal(p3["potential"].astype(float), pot3[cell3]), "3-D profile values are the assigned cells' potentials")
        png_ok(os.path.join(OUT, "plot_profile3d.png"))

# ------------------------------------------------------------------ (d) voltage and electrode pictures
ccd = {"time_final": 7200}
run("plot_ccd_1", ccd, 1, case=os.path.join(CASES, "ccd"))
run("plot_ccd_2", dict(ccd, bc_xmin_current_density=2.0, bc_xmin_current_density_step=2.0), 1, case=os.path.join(CASES, "ccd"))
plot_cli(os.path.join(OUT, "plot_ccd_1"), os.path.join(OUT, "plot_ccd_2"), "voltage", "--size", f"{PNG_W}x{PNG_H}",
         "--out", os.path.join(OUT, "plot_voltage.png"))
png_ok(os.path.join(OUT, "plot_voltage.png"))
coarse = {"mesh_anode_sei_thickness": 0.4e-6, "mesh_anode_tip_size": 0.2e-6, "mesh_size": 2e-6,
          "time_final": 2, "time_step": 0.5, "time_output_times": [1, 2]}
run("plot_dendrite_1", coarse, 1, case=os.path.join(CASES, "dendrite"))
run("plot_dendrite_2", dict(coarse, region_electrolyte_material="phlp"), 1, case=os.path.join(CASES, "dendrite"))
plot_cli(os.path.join(OUT, "plot_dendrite_1"), os.path.join(OUT, "plot_dendrite_2"), "electrode", "anode",
         "--size", f"{PNG_W}x{PNG_H}", "--out", os.path.join(OUT, "plot_electrode2d.png"))
png_ok(os.path.join(OUT, "plot_electrode2d.png"))
plot_cli(os.path.join(OUT, "plot_dendrite_1"), "field", "c_li", "--streamlines", "--time", "1", "--xlim", "0,8e-6",
         "--ylim", "6e-6,14e-6", "--size", f"{PNG_W}x{PNG_H}", "--out", os.path.join(OUT, "plot_dendrite_c.png"))
png_ok(os.path.join(OUT, "plot_dendrite_c.png"))
planar3 = dict(layers2, mesh_dim=3, mesh_layers_thickness=[10e-6, 10e-6], mesh_size=2.5e-6,
               bc_xmin_exchange_current_density=10.0, bc_xmin_current_density=5.0)
planar3.pop("bc_xmin_potential")
run("plot_electrode3d", planar3, 1)
plot_cli(os.path.join(OUT, "plot_electrode3d"), "electrode", "xmin", "--size", f"{PNG_W}x{PNG_H}",
         "--out", os.path.join(OUT, "plot_electrode3d.png"))
png_ok(os.path.join(OUT, "plot_electrode3d.png"))
print(f"plot test: {time.time() - t_start:.1f} s")
finish()
