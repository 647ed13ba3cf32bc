"""The assembled Jacobian (exact corrected operator, COO in face order) equals the finite-
difference Jacobian of the residual (-snes_test_jacobian), on a 2-D two-region particle mesh
with non-orthogonal triangles, on 1 and 2 ranks."""
import re
from npptest import run, check, finish

o = {"mesh_generator": "particles", "mesh_dim": 2, "mesh_particles_box": [10e-6, 10e-6], "mesh_particles_volume_fraction": 0.2,
     "mesh_particles_radius": 1.5e-6, "mesh_particles_matrix": "polymer", "mesh_particles_particle": "ceramic", "mesh_size": 1.5e-6,
     "region_names": ["polymer", "ceramic"], "region_polymer_conductivity": 1e-2, "region_ceramic_conductivity": 0.1,
     "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.01, "snes_test_jacobian": ""}
for ranks in (1, 2):
    s, p = run(f"jacobian_np{ranks}", o, ranks)
    m = re.findall(r"\|\|J - Jfd\|\|_F/\|\|J\|\|_F = ([0-9.eE+-]+)", p.stdout)
    rel = float(m[0]) if m else float("inf")
    check(bool(m) and rel < 1e-8, f"{ranks} rank(s): ||J - Jfd||_F / ||J||_F = {rel:.2e} < 1e-8")
    check(s["mesh"]["max_skewness"] > 0.1, f"the mesh is not orthogonal (max skewness {s['mesh']['max_skewness']:.2f}): the correction is in J")
finish()
