# SPDX-License-Identifier: BSD-2-Clause
"""Manufactured solutions; the L2 errors of the cell values over successive refinements give the
convergence order of the scheme, asserted against --min-order for every field.
--model cosine: conduction, phi = cos(pi x) cos(pi y) cos(pi z) + x + y/2 on the unit square or cube.
--model npp: the coupled Poisson-Nernst-Planck system, two species of charge +-1 and the potential,
  c_i = c0 (1 + a_i g), phi/VT = g + x/L, g = prod cos(pi x_d/L), on a 10 nm square or cube with a
  Debye length of 3.4 nm (so that drift, diffusion and space charge all matter), D+ != D-."""
import argparse
import math
from npptest import run, check, finish

ap = argparse.ArgumentParser()
ap.add_argument("--dim", type=int, required=True)
ap.add_argument("--structured", type=int, required=True)
ap.add_argument("--min-order", type=float, required=True)
ap.add_argument("--ranks", type=int, default=1)
ap.add_argument("--levels", type=int, default=3)
ap.add_argument("--model", choices=["cosine", "npp"], default="cosine")
a = ap.parse_args()

L = 1.0 if a.model == "cosine" else 1e-8
h0 = (1 / 8 if a.dim == 2 else 1 / 4) * L
errors, hs = [], []
for level in range(a.levels):
    # orthogonal grids are refined uniformly; simplices are meshed anew at half the size,
    # since uniform refinement of tetrahedra degrades their shape level after level
    o = {"mesh_generator": "layers", "mesh_dim": a.dim, "mesh_layers_thickness": [L],
         "mesh_layers_regions": ["domain"], "mesh_layers_width": [L, L],
         "mesh_size": h0 if a.structured else h0 / 2 ** level, "mesh_refine": level if a.structured else 0,
         "mesh_layers_structured": a.structured, "region_names": ["domain"], "mms_solution": a.model}
    if a.model == "cosine":
        o.update({"region_domain_conductivity": 2.0})
    else:
        o.update({"physics_electroneutral": "false", "mms_length": L, "region_domain_permittivity": 10,
                  "region_domain_li_concentration": 1.0, "region_domain_anion_concentration": 1.0,
                  "region_domain_li_diffusivity": 1e-11, "region_domain_anion_diffusivity": 2e-11})
    kind = "orthogonal" if a.structured else "unstructured"
    s, _ = run(f"mms_{a.model}_{a.dim}d_{kind}_{level}", o, a.ranks)
    errors.append(s["mms"]["l2_errors"])
    hs.append(s["mms"]["h"])
    print(f"level {level}: cells {s['cells']:7d}  h {hs[-1]:.4e}  L2 errors " + " ".join(f"{k} {v:.4e}" for k, v in errors[-1].items()) +
          f"  min orthogonality {s['mesh']['min_orthogonality']:.3f}  Newton {s['solver']['snes_iterations']}  Krylov {s['solver']['ksp_iterations']}")
for field in errors[0]:
    e = [x[field] for x in errors]
    orders = [math.log(e[i - 1] / e[i]) / math.log(hs[i - 1] / hs[i]) for i in range(1, len(e))]
    print(f"{field}: observed orders", " ".join(f"{p:.3f}" for p in orders))
    check(orders[-1] >= a.min_order, f"{a.model} {a.dim}-D {kind} {field}: L2 order {orders[-1]:.3f} >= {a.min_order}")
    check(all(e2 < e1 for e1, e2 in zip(e, e[1:])), f"{field}: error decreases at every refinement")
finish()
