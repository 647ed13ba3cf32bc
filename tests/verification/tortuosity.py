# SPDX-License-Identifier: BSD-2-Clause
"""Microstructure measures of summary.json (solver/output/summary.c, docs/theory.md "Tortuosity"):
volume fractions, conductivity ratios and tortuosity factors tau_r = phi_r sigma_r / sigma_eff.
  layers across the current (series): tau_a = phi_a sigma_a (L_a/sigma_a + L_b/sigma_b) / L;
  layers along the current, the second phase nearly blocking: tau_a -> 1 (straight paths);
  2-D fibre scaffold, a dilute random array of blocking disks: Maxwell-Garnett
  sigma_eff/sigma = (1 - phi)/(1 + phi), with the fibres as void (void_fraction = phi)."""
import argparse
from npptest import run, close, check, finish

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()
La, Lb, sa, sb, W = 30e-6, 10e-6, 0.48, 0.0104, 10e-6
base = {"mesh_generator": "layers", "mesh_dim": 2, "mesh_layers_structured": "false", "mesh_size": 2e-6, "mesh_layers_width": W,
        "mesh_layers_thickness": [La, Lb], "mesh_layers_regions": ["a", "b"], "region_names": ["a", "b"], "region_a_conductivity": sa}

s, _ = run(f"tortuosity_series_np{a.ranks}", dict(base, region_b_conductivity=sb, bc_names=["xmin", "xmax"], bc_xmin_potential=0.0, bc_xmax_potential=0.01), a.ranks)
m = s["microstructure"]
close(m["regions"]["a"]["volume_fraction"], La / (La + Lb), 1e-12, "series: volume fraction of a")
close(m["regions"]["a"]["tortuosity_factor"], La / (La + Lb) * sa * (La / sa + Lb / sb) / (La + Lb), 1e-9, "series: tau_a = phi_a sigma_a (La/sa + Lb/sb) / L")
close(m["regions"]["b"]["conductivity_ratio"], (La + Lb) / (La / sa + Lb / sb) / sb, 1e-9, "series: sigma_eff / sigma_b")
check(abs(m["void_fraction"]) < 1e-12, f"no void in a layer stack ({m['void_fraction']:.2g})")

# structured quads: on simplices current along an interface is first order (layers.py)
s, _ = run(f"tortuosity_parallel_np{a.ranks}", dict(base, mesh_layers_structured="true", region_b_conductivity=sa * 1e-9, bc_names=["ymin", "ymax"], bc_ymin_potential=0.0, bc_ymax_potential=0.01), a.ranks)
m = s["microstructure"]
close(m["regions"]["a"]["tortuosity_factor"], 1.0, 1e-8, "along the layers, b blocking: straight paths in a, tau_a = 1")

phi = 0.05
s, _ = run(f"tortuosity_scaffold_np{a.ranks}", {"mesh_generator": "scaffold", "mesh_dim": 2, "mesh_scaffold_box": [200e-6, 200e-6], "mesh_scaffold_fibre_radius": 3e-6,
                                                "mesh_scaffold_volume_fraction": phi, "mesh_scaffold_min_gap": 1.0, "mesh_size": 4e-6, "mesh_interface_size": 0.5e-6,
                                                "region_names": ["electrolyte"], "region_electrolyte_material": "lpscl",
                                                "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.01}, a.ranks)
m = s["microstructure"]
f = m["void_fraction"]  # of the mesh: the polygons inscribed in the fibres (what the solver sees)
# 2 pi^2 / (3 n^2) of a disk's area is lost to an inscribed n-gon: 0.4 % at n = 38 sides (r / h = 6)
close(f, s["mesh"]["fibre_fraction"], 1e-2, "scaffold: void fraction of the mesh = fibre fraction of the generator, to the polygon error")
close(m["regions"]["electrolyte"]["conductivity_ratio"], (1 - f) / (1 + f), 1e-2, f"scaffold, dilute blocking disks ({f:.3f}): Maxwell-Garnett (1 - phi)/(1 + phi)")
close(m["regions"]["electrolyte"]["tortuosity_factor"], 1 + f, 1e-2, "scaffold: tau = 1 + phi (Maxwell-Garnett)")
finish()
