# SPDX-License-Identifier: BSD-2-Clause
"""The same problems on 1, 2 and 3 ranks give the same answer to 1e-8 relative (the partition
changes only the order of sums and the Krylov iterates):
- a 3-D particle composite, conduction: the effective conductivity;
- a 2-D nanoscale composite in the Poisson model, transient (a binary polymer around single-ion
  ceramic particles with a mu0 jump, 50 mV applied, anion-blocking contacts): every cell field
  at every output time, the boundary current and the species amounts; mass is conserved to
  1e-10 of the amount in the cell."""
import os
import numpy as np
from npptest import OUT, run, close, check, finish, read_xdmf

conduction = {"mesh_generator": "particles", "mesh_dim": 3, "mesh_particles_box": [12e-6, 12e-6, 12e-6],
              "mesh_particles_volume_fraction": 0.2, "mesh_particles_radius": 2e-6, "mesh_particles_seed": 3,
              "mesh_particles_matrix": "polymer", "mesh_particles_particle": "ceramic",
              "mesh_size": 1.5e-6, "mesh_interface_size": 0.75e-6,
              "region_names": ["polymer", "ceramic"], "region_polymer_conductivity": 1e-2, "region_ceramic_conductivity": 0.26,
              "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.01}
transient = {"mesh_generator": "particles", "mesh_dim": 2, "mesh_particles_box": [40e-9, 20e-9], "mesh_particles_volume_fraction": 0.25,
             "mesh_particles_radius": 4e-9, "mesh_particles_matrix": "polymer", "mesh_particles_particle": "ceramic",
             "mesh_size": 2e-9, "mesh_interface_size": 1e-9, "region_names": ["polymer", "ceramic"],
             "region_polymer_li_concentration": 1, "region_polymer_anion_concentration": 1, "region_polymer_li_diffusivity": 1e-11,
             "region_polymer_anion_diffusivity": 2e-11, "region_polymer_permittivity": 10, "region_ceramic_li_concentration": 2,
             "region_ceramic_li_diffusivity": 5e-12, "region_ceramic_permittivity": 40, "region_ceramic_li_mu0": 2000,
             "physics_electroneutral": "false", "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0, "bc_xmax_potential": 0.05,
             "bc_xmin_anion_blocking": "", "bc_xmax_anion_blocking": "", "time_final": 1e-4, "time_output_times": [1e-6, 1e-5]}

ref = None
for ranks in (1, 2, 3):
    s, _ = run(f"mpi_consistency_np{ranks}", conduction, ranks)
    check(s["ranks"] == ranks, f"conduction: ran on {ranks} ranks, {s['cells']} cells, Krylov iterations {s['solver']['ksp_iterations']}")
    if ref is None:
        ref = s
    else:
        check(s["cells"] == ref["cells"], f"same mesh on {ranks} ranks ({s['cells']} cells)")
        close(s["effective_conductivity"], ref["effective_conductivity"], 1e-8, f"sigma_eff on {ranks} ranks vs 1 rank")

ref = None
for ranks in (1, 2, 3):
    name = f"mpi_consistency_transient_np{ranks}"
    s, _ = run(name, transient, ranks)
    x, steps = read_xdmf(os.path.join(OUT, name))
    order = np.lexsort((x[:, 1], x[:, 0]))
    fields = [{k: v[order] for k, v in f.items() if k != "rank"} for _, f in steps]
    b = s["balance"]
    check(b["mass_conservation_error"] < 1e-10, f"{ranks} ranks: mass conservation error {b['mass_conservation_error']:.1e} < 1e-10 over {s['solver']['steps']} steps")
    if ref is None:
        ref = (s, fields, [t for t, _ in steps])
        continue
    check([t for t, _ in steps] == ref[2], f"{ranks} ranks: same output times {ref[2]}")
    worst = 0.0
    for f, g in zip(fields, ref[1]):
        for k in g:
            scale = np.max(np.abs(g[k])) or 1.0
            worst = max(worst, float(np.max(np.abs(f[k] - g[k]))) / scale)
    check(worst < 1e-8, f"{ranks} ranks vs 1: every cell field at every time agrees to {worst:.1e} (relative to its max, < 1e-8)")
    close(s["boundaries"][0]["current"], ref[0]["boundaries"][0]["current"], 1e-8, f"{ranks} ranks: current through xmin")
    for sp in ("li", "anion"):
        close(b["amount"][sp], ref[0]["balance"]["amount"][sp], 1e-10, f"{ranks} ranks: amount of {sp}")
finish()
