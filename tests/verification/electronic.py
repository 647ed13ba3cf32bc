# SPDX-License-Identifier: BSD-2-Clause
"""Electronic leakage through mixed-conducting phases (solver/drivers/electronic.c). Layers between two
metal contacts at 0 and V, on unstructured triangles:
  series, sulfide film + mixed-conducting interphase: I_e = V A / (L1/s1 + L2/s2);
  parallel, a conducting and a blocking layer: I_e = s1 V w1 / L (no electrons enter the other);
  series with a layer without electronic conduction: I_e = 0 exactly;
  a symmetric Li | film | Li cell at constant current, Butler-Volmer electrodes: the leakage is
  s_e (V_anode - V_counter) / L per area with the electrode potentials the ionic solve found.
The electron potential written to the XDMF is checked against the exact piecewise-linear profile."""
import argparse
import os
import numpy as np
from npptest import OUT, run, close, check, finish, read_xdmf

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()
V, W = 0.1, 10e-6
tri = {"mesh_generator": "layers", "mesh_dim": 2, "mesh_layers_structured": "false", "mesh_size": 2e-6, "mesh_layers_width": W,
       "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": V}

# series: LPSCl film (1.6e-6 S/m electronic, paper 003) and a reduced, mixed-conducting interphase
L1, L2, s1, s2 = 30e-6, 10e-6, 1.6e-6, 7.1e-5
o = dict(tri, mesh_layers_thickness=[L1, L2], mesh_layers_regions=["film", "miec"], region_names=["film", "miec"],
         region_film_material="lpscl", region_miec_conductivity=0.1, region_miec_electronic_conductivity=s2)
s, _ = run(f"electronic_series_np{a.ranks}", o, a.ranks)
want = V * W / (L1 / s1 + L2 / s2)
e = s["electronic"]
close(e["boundaries"]["xmin"]["current"], want, 1e-9, "series film + interphase: leakage = V A / (L1/s1 + L2/s2)")
close(-e["boundaries"]["xmax"]["current"], want, 1e-9, "series: what enters leaves")
close(s["regions"][0]["electronic_conductivity"], s1, 1e-15, "the lpscl preset brings its electronic conductivity (1.6e-8 S/cm)")
x, steps = read_xdmf(os.path.join(OUT, f"electronic_series_np{a.ranks}"))
phi_e = steps[-1][1]["electron_potential"]
jx = want / W
exact = np.where(x[:, 0] < L1, jx * x[:, 0] / s1, jx * L1 / s1 + jx * (x[:, 0] - L1) / s2)
close(np.abs(phi_e - exact).max() + V, V, 1e-9, "electron potential = exact piecewise-linear profile (max error / V)")

# parallel: electrons only through the film half
o = dict(tri, mesh_layers_thickness=[40e-6], mesh_layers_regions=["film"], region_names=["film"], region_film_conductivity=0.48, region_film_electronic_conductivity=s1)
o["mesh_layers_width"] = [W]
s, _ = run(f"electronic_single_np{a.ranks}", o, a.ranks)
close(s["electronic"]["boundaries"]["xmin"]["current"], s1 * V * W / 40e-6, 1e-9, "one film: leakage = s_e V w / L")

# series with an electron-blocking layer: no leakage at all
o = dict(tri, mesh_layers_thickness=[L1, L2], mesh_layers_regions=["film", "blocker"], region_names=["film", "blocker"],
         region_film_conductivity=0.48, region_film_electronic_conductivity=s1, region_blocker_conductivity=0.1)
s, _ = run(f"electronic_blocked_np{a.ranks}", o, a.ranks)
check(abs(s["electronic"]["boundaries"]["xmin"]["current"]) < 1e-12 * want, f"an electron-blocking layer in series stops the leakage ({s['electronic']['boundaries']['xmin']['current']:.3g} A)")

# a galvanostatic Li | film | Li cell: leakage from the electrode potentials of the ionic solve
L = 40e-6
o = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_size": 2e-6, "mesh_layers_thickness": [L], "mesh_layers_regions": ["film"],
     "region_names": ["film"], "region_film_material": "e_lpscl_film", "species_names": ["li"], "bc_names": ["xmin", "xmax"],
     "bc_xmin_exchange_current_density": 10.0, "bc_xmin_current_density": 2.0,
     "bc_xmax_exchange_current_density": 10.0, "bc_xmax_potential": 0.0}
s, _ = run(f"electronic_cell_np{a.ranks}", o, a.ranks)
Va = [b for b in s["boundaries"] if b["name"] == "xmin"][0]["potential"]
# both currents enter at the positive electrode (leaving current negative there)
close(s["electronic"]["boundaries"]["xmin"]["current_density"], -1e-7 * Va / L, 1e-9, f"Li | E-LPSCl film | Li at 0.2 mA/cm2: leakage = s_e V_cell / L ({Va * 1e3:.3f} mV)")
close(s["electronic"]["boundaries"]["xmin"]["fraction_of_ionic"], 1e-7 * Va / (L * 2.0), 1e-9, "leakage / ionic current = s_e V_cell / (L i)")
finish()
