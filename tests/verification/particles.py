# SPDX-License-Identifier: BSD-2-Clause
"""Random particles in a matrix between two electrodes. Dilute spheres (5 %, 3-D): the
effective conductivity matches Maxwell-Garnett (Clausius-Mossotti) within 2 %. Concentrated
disks (30 %, 2-D, ~150 of them): it lies within the 2-D Hashin-Shtrikman bounds."""
import argparse
from npptest import run, check, close, finish

ap = argparse.ArgumentParser()
ap.add_argument("--check", choices=["maxwell-garnett", "hashin-shtrikman"], required=True)
ap.add_argument("--ranks", type=int, default=2)
a = ap.parse_args()

sm, sp = 1.0e-2, 1.0e-1      # polymer matrix and ceramic particles, S/m (contrast 10)
dilute = a.check == "maxwell-garnett"
dim = 3 if dilute else 2
o = {"mesh_generator": "particles", "mesh_dim": dim,
     "mesh_particles_box": [20e-6, 20e-6, 20e-6] if dilute else [50e-6, 50e-6],
     "mesh_particles_volume_fraction": 0.05 if dilute else 0.30, "mesh_particles_radius": 2.5e-6 if dilute else 1.8e-6,
     "mesh_particles_radius_spread": 0.0 if dilute else 0.2, "mesh_particles_seed": 7, "mesh_particles_min_gap": 0.2,
     "mesh_particles_matrix": "polymer", "mesh_particles_particle": "ceramic",
     "mesh_size": 1.5e-6 if dilute else 0.8e-6, "mesh_interface_size": 0.6e-6 if dilute else 0.25e-6,
     "region_names": ["polymer", "ceramic"], "region_polymer_conductivity": sm, "region_ceramic_conductivity": sp,
     "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.01}
s, _ = run(f"particles_{a.check}", o, a.ranks)
phi = s["mesh"]["particle_fraction"]
eff = s["effective_conductivity"]
print(f"{s['mesh']['particles']} particles, volume fraction {phi:.4f}, {s['cells']} cells, sigma_eff {eff:.6g} S/m")
beta = (sp - sm) / (sp + 2 * sm)
mg = sm * (1 + 2 * phi * beta) / (1 - phi * beta)
hs_lo = sm + phi / (1 / (sp - sm) + (1 - phi) / (dim * sm))
hs_hi = sp + (1 - phi) / (1 / (sm - sp) + phi / (dim * sp))
print(f"Maxwell-Garnett (3-D) {mg:.6g}, {dim}-D Hashin-Shtrikman bounds [{hs_lo:.6g}, {hs_hi:.6g}]")
if dilute:
    close(eff, mg, 0.02, f"sigma_eff vs Maxwell-Garnett at phi = {phi:.3f}")
else:
    check(hs_lo <= eff <= hs_hi, f"sigma_eff {eff:.6g} within Hashin-Shtrikman [{hs_lo:.6g}, {hs_hi:.6g}] at phi = {phi:.3f}")
check(s["conservation_error"] < 1e-8, f"current conservation error {s['conservation_error']:.1e} < 1e-8")
finish()
