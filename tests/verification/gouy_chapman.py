# SPDX-License-Identifier: BSD-2-Clause
"""Gouy-Chapman: a 1-D binary symmetric electrolyte (z = +-1, bulk c0) between a blocking wall at a
fixed potential phi_w (x = 0) and a reservoir of the bulk at potential 0 (x = L, L >> Debye
length lambda). Poisson-Boltzmann in the half space has the exact solution
    phi(x) = 4 VT artanh(tanh(phi_w / (4 VT)) exp(-x / lambda)),  lambda = sqrt(eps RT / (2 F^2 c0)),
    c_li = c0 exp(-phi/VT),  c_anion = c0 exp(phi/VT),
and the charge of the diffuse layer balances the wall charge of the Grahame equation
    sigma_w = sqrt(8 eps RT c0) sinh(phi_w / (2 VT)),  int rho dx = -sigma_w.
Asserted on a mesh graded towards the wall (Gmsh bump 0.02: cells from 0.004 lambda at the wall
to 0.2 lambda in the middle), for wall potentials of both signs (+3.9 and -5.8 VT): potential
within --tol of phi_w, each concentration within --tol of its local exact value, the integrated
space charge within --tol of Grahame; then the observed order of the potential error over three
mesh sizes (h, h/2, h/4). The steady equilibrium has zero flux, so D does not matter; the two
species get different diffusivities anyway."""
import argparse
import json
import math
import os
import re

import numpy as np
from npptest import OUT, run, read_xdmf, check, close, finish

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
ap.add_argument("--tol", type=float, default=1e-3)
a = ap.parse_args()

F, R, T, EPS0 = 96485.33212, 8.314462618, 298.15, 8.8541878128e-12
VT = R * T / F
c0, eps_r, L = 1.0, 10.0, 1e-7                  # mol/m^3, relative permittivity, domain length (m)
eps = EPS0 * eps_r
lam = math.sqrt(eps * R * T / (2 * F * F * c0))  # 3.43 nm: L = 29 lambda, exp(-29) ~ 3e-13


def phi_exact(x, phi_w):
    return 4 * VT * np.arctanh(np.tanh(phi_w / (4 * VT)) * np.exp(-x / lam))


def faces_from_centroids(xc):
    """1-D cells sorted along x: the centroid is the midpoint, so the faces follow from x = 0."""
    f = np.zeros(len(xc) + 1)
    for k, xk in enumerate(xc):
        f[k + 1] = 2 * xk - f[k]
    return f


def solve(phi_w, h, bump, tag):
    o = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_layers_thickness": [L],
         "mesh_layers_regions": ["electrolyte"], "mesh_size": h, "mesh_layers_bump": [bump],
         "region_names": ["electrolyte"], "physics_electroneutral": "false",
         "region_electrolyte_li_concentration": c0, "region_electrolyte_anion_concentration": c0,
         "region_electrolyte_li_diffusivity": 1e-11, "region_electrolyte_anion_diffusivity": 2e-11,
         "region_electrolyte_permittivity": eps_r,
         "bc_names": ["xmin", "xmax"], "bc_xmin_potential": phi_w, "bc_xmin_li_blocking": "",
         "bc_xmin_anion_blocking": "", "bc_xmax_potential": 0.0}
    name = f"gouy_chapman_{tag}_np{a.ranks}"
    try:
        s, _ = run(name, o, a.ranks)
    except ValueError as e:
        # summary.json must be JSON. A blocking wall below the reservoir potential carries
        # exactly zero current, and a summary that divides by it writes a bare inf/nan: counted
        # as a failure, then read leniently so that the physics below is still checked.
        check(False, f"{name}/summary.json is valid JSON ({e})")
        with open(os.path.join(OUT, name, "summary.json")) as fp:
            s = json.loads(re.sub(r"(?<=[:\s\[,])(-?)(inf|nan)\b", lambda m: m.group(1) + ("Infinity" if m.group(2) == "inf" else "NaN"), fp.read()))
    xc, steps = read_xdmf(os.path.join(OUT, name))
    fld = steps[-1][1]
    order = np.argsort(xc[:, 0])
    x = xc[order, 0]
    return s, x, {k: v[order] for k, v in fld.items()}


for phi_w in (0.1, -0.15):
    tag = f"{'p' if phi_w > 0 else 'm'}{abs(phi_w) * 1000:g}mV"
    print(f"--- wall potential {phi_w:+g} V = {phi_w / VT:+.2f} VT, lambda = {lam:.4e} m")
    s, x, f = solve(phi_w, 2.5e-10, 0.02, tag)
    print(f"{s['cells']} cells, smallest {s['mesh']['min_cell_size']:.3e} m, Newton {s['solver']['snes_iterations']}, "
          f"continuation: {s['solver']['continuation']}")
    check(len(np.unique(f["rank"])) == a.ranks, f"cells from {a.ranks} rank(s)")
    pe = phi_exact(x, phi_w)
    err_phi = np.max(np.abs(f["potential"] - pe)) / abs(phi_w)
    check(err_phi < a.tol, f"phi_w {phi_w:+g} V: max |phi - exact| / |phi_w| = {err_phi:.3e} (< {a.tol:g})")
    for sp, z in (("li", 1), ("anion", -1)):
        ce = c0 * np.exp(-z * pe / VT)
        err = np.max(np.abs(f["c_" + sp] / ce - 1))
        check(err < a.tol, f"phi_w {phi_w:+g} V: max |c_{sp} / exact - 1| = {err:.3e} (< {a.tol:g})")
    # diffuse-layer charge per unit wall area: midpoint rule over the cells (widths from the
    # centroids), and the solver's own balance (area 1 m^2 in 1-D)
    fc = faces_from_centroids(x)
    check(abs(fc[-1] - L) < 1e-9 * L, f"cell widths from the centroids add up to L (last face {fc[-1]:.12e} m)")
    q = float(np.sum(f["charge_density"] * np.diff(fc)))
    sigma_w = math.sqrt(8 * eps * R * T * c0) * math.sinh(phi_w / (2 * VT))
    close(q, -sigma_w, a.tol, f"phi_w {phi_w:+g} V: diffuse-layer charge int rho dx (C/m^2) vs Grahame")
    close(s["balance"]["total_charge"], -sigma_w, a.tol, f"phi_w {phi_w:+g} V: summary total_charge vs Grahame")

# observed order of the potential error under uniform halving of the graded mesh (informative,
# plus a loose bound: the scheme is second order on smooth grading)
errs = []
for k, h in enumerate((1e-9, 5e-10, 2.5e-10)):
    s, x, f = solve(0.1, h, 0.02, f"conv{k}")
    errs.append(np.max(np.abs(f["potential"] - phi_exact(x, 0.1))) / 0.1)
orders = [math.log2(errs[i - 1] / errs[i]) for i in range(1, len(errs))]
print("convergence: max potential errors " + " ".join(f"{e:.3e}" for e in errs) + ", orders " + " ".join(f"{p:.2f}" for p in orders))
check(orders[-1] > 1.8, f"potential error order {orders[-1]:.2f} under mesh halving (> 1.8)")
finish()
