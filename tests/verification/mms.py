"""Manufactured solution phi = cos(pi x) cos(pi y) cos(pi z) + x + y/2 on the unit square or
cube: the L2 error of the cell potentials over successive uniform refinements gives the
convergence order of the scheme, asserted against --min-order."""
import argparse
import math
from npptest import run, check, finish

ap = argparse.ArgumentParser()
ap.add_argument("--dim", type=int, required=True)
ap.add_argument("--structured", type=int, required=True)
ap.add_argument("--min-order", type=float, required=True)
ap.add_argument("--ranks", type=int, default=1)
ap.add_argument("--levels", type=int, default=3)
a = ap.parse_args()

h0 = 1 / 8 if a.dim == 2 else 1 / 4
errors, hs = [], []
for level in range(a.levels):
    # orthogonal grids are refined uniformly; simplices are meshed anew at half the size,
    # since uniform refinement of tetrahedra degrades their shape level after level
    o = {"mesh_generator": "layers", "mesh_dim": a.dim, "mesh_layers_thickness": [1.0],
         "mesh_layers_regions": ["domain"], "mesh_layers_width": [1.0, 1.0],
         "mesh_size": h0 if a.structured else h0 / 2 ** level, "mesh_refine": level if a.structured else 0,
         "mesh_layers_structured": a.structured,
         "region_names": ["domain"], "region_domain_conductivity": 2.0, "mms_solution": "cosine"}
    kind = "orthogonal" if a.structured else "unstructured"
    s, _ = run(f"mms_{a.dim}d_{kind}_{level}", o, a.ranks)
    errors.append(s["mms"]["l2_error"])
    hs.append(s["mms"]["h"])
    print(f"level {level}: cells {s['cells']:7d}  h {hs[-1]:.4e}  L2 error {errors[-1]:.4e}  "
          f"min orthogonality {s['mesh']['min_orthogonality']:.3f}  Newton {s['solver']['snes_iterations']}  Krylov {s['solver']['ksp_iterations']}")
orders = [math.log(errors[i - 1] / errors[i]) / math.log(hs[i - 1] / hs[i]) for i in range(1, len(errors))]
print("observed orders:", " ".join(f"{p:.3f}" for p in orders))
check(orders[-1] >= a.min_order, f"{a.dim}-D {kind} L2 order {orders[-1]:.3f} >= {a.min_order}")
check(all(e2 < e1 for e1, e2 in zip(errors, errors[1:])), "error decreases at every refinement")
finish()
