# SPDX-License-Identifier: BSD-2-Clause
"""Reads a run's XDMF and HDF5 through postproc/nppout.py (xml + h5py, following the paths in the
.xmf, independent of the solver) and checks them against the solver's summary and the analytic
solution: two layers in series, so each cell's region follows from its centroid, the potential
is piecewise linear in x, and the current density is uniform."""
import argparse
import os

import numpy as np
from npptest import OUT, run, check, close, finish
import nppout  # on the path through npptest

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=2)
a = ap.parse_args()

t = [6e-6, 4e-6]
s1, s2 = 2e-2, 5e-1
V = 0.02
o = {"mesh_generator": "layers", "mesh_dim": 2, "mesh_layers_thickness": t, "mesh_layers_regions": ["polymer", "ceramic"],
     "mesh_layers_width": [5e-6], "mesh_size": 1e-6, "mesh_layers_structured": 0,
     "region_names": ["polymer", "ceramic"], "region_polymer_conductivity": s1, "region_ceramic_conductivity": s2,
     "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": V}
name = f"xdmf_consistency_np{a.ranks}"
s, _ = run(name, o, a.ranks)
out = os.path.join(OUT, name)
xdmf = nppout.Xdmf(out)
steps = xdmf.grids
check(xdmf.collection_type == "Temporal" and len(steps) == 1, "a temporal collection with one time (steady run)")
grid = steps[0]
check(grid.time == 0.0, "steady result at time 0")


def load(item):
    data = item.read()
    dims = item.dims
    check(list(data.shape) == dims, f"{item.path}: HDF5 shape {list(data.shape)} equals XDMF Dimensions {dims}")
    return data


cells = load(grid.cells).astype(int)
xyz = load(grid.geometry[0])
check(grid.number_of_elements == s["cells"], f"XDMF has the summary's {s['cells']} cells")
fields = {n: load(item) for n, item in grid.attributes.items()}
check(set(fields) >= {"potential", "current_density", "region", "rank", "c_li", "c_anion", "charge_density"}, f"fields {sorted(fields)}")
check(np.all(fields["c_li"] == 1000.0) and np.all(fields["c_anion"] == 0.0) and np.all(fields["charge_density"] == 0.0),
      "single-ion conductors: c_li at the reference 1000 mol/m^3, no anion, zero charge density")

centroid = xyz[cells].mean(axis=1)              # triangles: vertex mean = centroid
x = centroid[:, 0]
region = fields["region"]
check(np.all(region == np.where(x < t[0], 0, 1)), "region of every cell matches its centroid's layer")
ranks_seen = np.unique(fields["rank"])
check(len(ranks_seen) == a.ranks, f"cells come from {len(ranks_seen)} ranks")

# exact series solution: phi linear in each layer, continuous current j = sigma_eff V / L
L = sum(t)
j = V / (t[0] / s1 + t[1] / s2)
phi_exact = np.where(x < t[0], j * x / s1, j * t[0] / s1 + j * (x - t[0]) / s2)
err = np.max(np.abs(fields["potential"] - phi_exact)) / V
check(err < 1e-8, f"potential at cell centroids vs analytic: max error {err:.2e} of the applied voltage (< 1e-8)")
jx = fields["current_density"][:, 0]
close(float(np.mean(jx)), -j, 1e-8, "mean current density x-component vs analytic")
check(np.max(np.abs(jx + j)) / j < 1e-6, f"current density uniform: max deviation {np.max(np.abs(jx + j)) / j:.2e} (< 1e-6)")
close(s["effective_conductivity"], L * j / V, 1e-8, "summary sigma_eff vs analytic")
finish()
