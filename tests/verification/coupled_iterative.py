# SPDX-License-Identifier: BSD-2-Clause
"""The coupled problems' default iterative solver (GMRES + the bordered Schur-complement
fieldsplit, solver/drivers/bordered_pc.c) gives the direct (MUMPS LU) solution to 1e-8 on 1, 2
and 3 ranks: a 2-D and a 3-D galvanostatic binary electrolyte under a protrusion (electroneutral
model, the anode potential a global unknown) and a 2-D space-charge composite (Poisson model);
and on two mesh levels of the 3-D protrusion and of the space-charge composite its Krylov
iterations per Newton step stay under a bound (docs/theory.md, "Linear solvers")."""
import os
import numpy as np
from npptest import OUT, run, read_xdmf, check, close, finish

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

CASES = {
    "dendrite2d": ("dendrite", {"region_electrolyte_material": "phlp", "bc_anode_current_density": -5,
                                      "time_final": 0.3, "time_step": 0.1, "time_output_times": 0.3}),
    "dendrite3d": ("dendrite", {"mesh_dim": 3, "mesh_anode_sei_thickness": 0, "region_names": "electrolyte",
                                      "bc_anode_film_resistance": 0.05, "mesh_anode_tip_size": 1e-6, "mesh_size": 8e-6,
                                      "region_electrolyte_material": "phlp", "bc_anode_current_density": -5,
                                      "time_final": 0.3, "time_step": 0.1, "time_output_times": 0.3}),
    "spacecharge": ("space-charge", {"mesh_size": 4e-9, "mesh_interface_size": 0.5e-9}),
}
ITERATIVE = {"solver_direct_max_unknowns": 0}
DIRECT = {"solver_direct_max_unknowns": 10**9}


def by_centroid(out):
    """The final fields, rows sorted by cell centroid (the order of cells depends on the partition)."""
    c, steps = read_xdmf(out)
    order = np.lexsort(tuple(np.round(c[:, d], 15) for d in reversed(range(c.shape[1]))))
    return {n: np.asarray(steps[-1][1][n])[order] for n in ("potential", "c_li")}


def compare(a, b, what):
    for n in a:
        scale = max(np.ptp(b[n]), np.abs(b[n]).max() * 1e-3)
        err = np.abs(a[n] - b[n]).max() / scale
        check(err <= 1e-8, f"{what}: {n} max |iterative - direct| / range = {err:.1e} (tol 1e-8)")


for name, (case, o) in CASES.items():
    ref, _ = run(f"coupled_{name}_lu", dict(o, **DIRECT), 1, case=os.path.join(ROOT, "cases", case))
    ref_fields = by_centroid(os.path.join(OUT, f"coupled_{name}_lu"))
    for ranks in (1, 2, 3):
        s, _ = run(f"coupled_{name}_np{ranks}", dict(o, **ITERATIVE), ranks, case=os.path.join(ROOT, "cases", case))
        compare(by_centroid(os.path.join(OUT, f"coupled_{name}_np{ranks}")), ref_fields, f"{name}, {ranks} rank(s)")
        if "cell_voltage" in ref:
            close(s["cell_voltage"], ref["cell_voltage"], 1e-8, f"{name}, {ranks} rank(s): cell voltage")
        its = s["solver"]["ksp_iterations"] / max(1, s["solver"]["snes_iterations"])
        print(f"       {name}, {ranks} rank(s), {s['cells']} cells: {its:.1f} Krylov iterations per Newton step")

# Krylov iterations per Newton step on two mesh levels (each half the cell size of the other),
# 2 ranks: the 3-D protrusion (electroneutral; measured 14.0 and 15.7 at 3.8 k and 15 k cells,
# 17 and 23 at 60 k and 260 k) and the 2-D space-charge composite (Poisson model, the species in
# Slotboom variables; measured 16.4 and 16.2 at 4.4 k and 17 k cells, 19 at 67 k).
LEVELS = (("dendrite3d", 20, ({"mesh_anode_tip_size": 1e-6, "mesh_size": 8e-6}, {"mesh_anode_tip_size": 5e-7, "mesh_size": 4e-6})),
          ("spacecharge", 20, ({"mesh_size": 4e-9, "mesh_interface_size": 0.5e-9}, {"mesh_size": 2e-9, "mesh_interface_size": 0.25e-9})))
for name, bound, levels in LEVELS:
    case, o = CASES[name]
    for k, level in enumerate(levels):
        s, _ = run(f"coupled_levels_{name}_{k}", dict(o, **level, **ITERATIVE), 2, case=os.path.join(ROOT, "cases", case))
        its = s["solver"]["ksp_iterations"] / max(1, s["solver"]["snes_iterations"])
        check(its <= bound, f"{name}, {s['cells']} cells, 2 ranks: {its:.1f} Krylov iterations per Newton step (bound {bound})")
finish()
