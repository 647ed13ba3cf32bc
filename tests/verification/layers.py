# SPDX-License-Identifier: BSD-2-Clause
"""Layered slabs in series and in parallel: the effective conductivity is the harmonic
(series) or arithmetic (parallel) thickness-weighted mean of the layer conductivities,
which the two-point scheme with harmonic face conductivities reproduces to round-off."""
import argparse
from npptest import run, close, check, finish

ap = argparse.ArgumentParser()
ap.add_argument("--arrangement", choices=["series", "parallel"], required=True)
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()

t = [4e-6, 10e-6, 6e-6]                 # layer thicknesses, m
sigma = {"polymer": 1.0e-2, "ceramic": 0.5, "sei": 1.0e-4}
names = ["polymer", "ceramic", "sei"]
ts = sum(t)
if a.arrangement == "series":
    want = ts / sum(ti / sigma[n] for ti, n in zip(t, names))
else:
    want = sum(ti * sigma[n] for ti, n in zip(t, names)) / ts

dims = [1, 2, 3] if a.arrangement == "series" else [2, 3]
for dim in dims:
    for structured in ([1, 0] if dim > 1 else [1]):
        o = {"mesh_generator": "layers", "mesh_dim": dim, "mesh_layers_thickness": t,
             "mesh_layers_regions": names, "mesh_layers_width": [8e-6, 8e-6], "mesh_size": 2e-6,
             "mesh_layers_structured": structured, "region_names": names}
        for n in names:
            o[f"region_{n}_conductivity"] = sigma[n]
        lo, hi = ("xmin", "xmax") if a.arrangement == "series" else ("ymin", "ymax")
        o.update({"bc_names": [lo, hi], f"bc_{lo}_potential": 0.0, f"bc_{hi}_potential": 0.05})
        kind = "structured" if structured else "unstructured"
        s, _ = run(f"layers_{a.arrangement}_{dim}d_{kind}_np{a.ranks}", o, a.ranks)
        # The exact potential is piecewise linear. The scheme reproduces it to round-off on
        # orthogonal grids, and on triangles in series (no tangential gradient at the
        # interfaces). On simplices in parallel the gradient of a cell next to an interface
        # uses the flux-continuity value at the face centroid, which is off by the tangential
        # gradient times the centroid offset; on tetrahedra some cells also lack a gradient
        # (docs/theory.md). Both are first-order errors: asserted below 1 % at h = 2 um.
        exact = structured or (dim == 2 and a.arrangement == "series")
        tol = 1e-10 if exact else 1e-2
        close(s["effective_conductivity"], want, tol, f"{a.arrangement} {dim}-D {kind} sigma_eff")
        check(s["conservation_error"] < 1e-9, f"{dim}-D {kind} current conservation error {s['conservation_error']:.1e} < 1e-9")
if a.arrangement == "series":
    # graded (bump) tensor grids, as used to resolve space-charge layers: still exact
    for dim in (1, 2):
        o = {"mesh_generator": "layers", "mesh_dim": dim, "mesh_layers_thickness": t, "mesh_layers_regions": names,
             "mesh_layers_width": [8e-6], "mesh_size": 1e-6, "mesh_layers_bump": [0.1, 0.2, 0.3],
             "region_names": names, "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.05}
        for n in names:
            o[f"region_{n}_conductivity"] = sigma[n]
        s, _ = run(f"layers_series_{dim}d_bump_np{a.ranks}", o, a.ranks)
        close(s["effective_conductivity"], want, 1e-10, f"series {dim}-D graded (bump) sigma_eff")
finish()
