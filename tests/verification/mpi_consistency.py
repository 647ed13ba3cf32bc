"""The same 3-D particle composite on 1, 2 and 3 ranks gives the same effective conductivity
to 1e-8 relative (the partition changes the order of sums and the Krylov iterates only)."""
from npptest import run, close, check, finish

o = {"mesh_generator": "particles", "mesh_dim": 3, "mesh_particles_box": [12e-6, 12e-6, 12e-6],
     "mesh_particles_volume_fraction": 0.2, "mesh_particles_radius": 2e-6, "mesh_particles_seed": 3,
     "mesh_particles_matrix": "polymer", "mesh_particles_particle": "ceramic",
     "mesh_size": 1.5e-6, "mesh_interface_size": 0.75e-6,
     "region_names": ["polymer", "ceramic"], "region_polymer_conductivity": 1e-2, "region_ceramic_conductivity": 0.26,
     "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.01}
ref = None
for ranks in (1, 2, 3):
    s, _ = run(f"mpi_consistency_np{ranks}", o, ranks)
    check(s["ranks"] == ranks, f"ran on {ranks} ranks, {s['cells']} cells, Krylov iterations {s['solver']['ksp_iterations']}")
    if ref is None:
        ref = s
    else:
        check(s["cells"] == ref["cells"], f"same mesh on {ranks} ranks ({s['cells']} cells)")
        close(s["effective_conductivity"], ref["effective_conductivity"], 1e-8, f"sigma_eff on {ranks} ranks vs 1 rank")
finish()
