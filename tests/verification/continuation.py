# SPDX-License-Identifier: BSD-2-Clause
"""Continuation: a 1-D binary electrolyte against a blocking wall at 0.5 V (19.5 V_T, the anion
enriched e^19.5-fold at the wall) defeats Newton from the cold start; the continuation in the
driving forces must reach the solution, say so (stdout and summary), and the result must be the
Gouy-Chapman profile (at this potential the mesh, not the solver, limits the accuracy: 1.1 % of
the wall potential at the cells next to the wall)."""
import argparse
import math
import os
import numpy as np
from npptest import OUT, run, check, finish, read_xdmf

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()
R, T, F, eps0 = 8.314462618, 298.15, 96485.33212, 8.8541878128e-12
VT, c0, eps, phiw = R * T / F, 1.0, 10.0, 0.5
lam = math.sqrt(eps0 * eps * R * T / (2 * F * F * c0))
o = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_layers_thickness": [1e-7], "mesh_layers_regions": ["electrolyte"],
     "mesh_size": 2.5e-10, "mesh_layers_bump": [0.02], "region_names": ["electrolyte"], "physics_electroneutral": "false",
     "region_electrolyte_li_concentration": c0, "region_electrolyte_anion_concentration": c0,
     "region_electrolyte_li_diffusivity": 1e-11, "region_electrolyte_anion_diffusivity": 2e-11,
     "region_electrolyte_permittivity": eps, "bc_names": ["xmin", "xmax"], "bc_xmin_potential": phiw,
     "bc_xmin_li_blocking": "", "bc_xmin_anion_blocking": "", "bc_xmax_potential": 0.0}
name = f"continuation_np{a.ranks}"
s, p = run(name, o, a.ranks)
cont = s["solver"]["continuation"]
print("continuation:", cont, "| Newton iterations in all:", s["solver"]["snes_iterations"])
check("Newton failed from the cold start" in p.stdout, "the run states that the cold start failed")
check(cont.startswith("driving forces 0") and cont.rstrip(". ").endswith("1"), "the summary records the continuation in the driving forces, up to 1")
x, steps = read_xdmf(os.path.join(OUT, name))
f = steps[0][1]
xc = x[:, 0]
exact = 4 * VT * np.arctanh(np.tanh(phiw / (4 * VT)) * np.exp(-xc / lam))
err = float(np.max(np.abs(f["potential"] - exact))) / phiw
check(err < 2e-2, f"potential vs Gouy-Chapman: max error {err:.2e} of the wall potential (< 2e-2)")
far = xc > 20 * lam
errc = float(np.max(np.abs(f["c_li"][far] / (c0 * np.exp(-exact[far] / VT)) - 1)))
check(errc < 1e-6, f"c_li vs Boltzmann beyond 20 Debye lengths: {errc:.1e} (< 1e-6)")
finish()
