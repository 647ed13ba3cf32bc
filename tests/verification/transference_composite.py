# SPDX-License-Identifier: BSD-2-Clause
"""Transference number of a composite from two conduction solves (docs/theory.md, "Composite
transference number"). In a Bruce-Vincent experiment on a composite of a binary salt phase
(t+ = D+/(D+ + D-)) and a single-ion ceramic, for a small step dV:
  I_0  = dV G[sigma_ceramic, sigma_salt]        (uniform concentration: every ion carries current)
  I_ss = dV G[sigma_ceramic, t+ sigma_salt]     (the anion at rest: its electrochemical potential
                                                 is uniform, Li+ moves in its own, with the Li+
                                                 part of the salt's conductivity)
where G[...] is the conductance of the microstructure with those phase conductivities, so
  t+_composite = sigma_eff(sigma_c, t+ sigma_s) / sigma_eff(sigma_c, sigma_s).
This test runs the full transient NPP experiment on a 2-D particle composite (ideal reversible
Li contacts, anion blocked, 0.1 mV) to steady state and compares I_ss / I_0 with the ratio of the
two single-unknown conduction solves on the same mesh."""
import argparse
import json
import os
import subprocess
import sys
from npptest import EXE, OUT, opts, run, close, check, finish

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()
c0, tp, sm, sc, dV, L = 1000.0, 0.3, 0.0104, 0.026, 1e-4, 20e-6
F, RT = 96485.33212, 8.314462618 * 298.15
D = sm * RT / (F * F * c0)  # D+ + D- of the salt
Damb = 2 * tp * (1 - tp) * D
tau = L * L / Damb
mesh = {"mesh_generator": "particles", "mesh_dim": 2, "mesh_particles_box": [L, L], "mesh_particles_volume_fraction": 0.3,
        "mesh_particles_radius": 2.5e-6, "mesh_particles_matrix": "salt", "mesh_particles_particle": "ceramic",
        "mesh_size": 1.5e-6, "mesh_interface_size": 0.75e-6, "region_names": ["salt", "ceramic"], "region_ceramic_conductivity": sc,
        "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": dV}
# the prediction, by the postprocessing tool users run (two conduction solves)
tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "postproc", "transference.py")
pred = os.path.join(OUT, f"transference_composite_tool_np{a.ranks}")
cmd = [sys.executable, tool, "--salt", f"salt={tp}", "--ranks", str(a.ranks), "--out", pred, "--npp", EXE, "--"] + opts(dict(mesh, region_salt_conductivity=sm))
p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ))
print(p.stdout, p.stderr)
check(p.returncode == 0, "postproc/transference.py runs")
with open(os.path.join(pred, "transference.json")) as f:
    res = json.load(f)
t_pred = res["transference_number"]
g = {"ohmic": res["effective_conductivity"], "li_part": res["li_effective_conductivity"]}
o = dict(mesh, region_salt_conductivity=sm, region_salt_transference_number=tp, region_salt_li_concentration=c0, region_salt_anion_concentration=c0,
         bc_xmin_anion_blocking="", bc_xmax_anion_blocking="", time_final=4 * tau, time_step=1e-6 * tau,
         time_output_times=[2 * tau, 4 * tau], ts_type="bdf", ts_rtol=1e-6)
name = f"transference_composite_np{a.ranks}"
s, _ = run(name, o, a.ranks)
bnd = {b["name"]: b["current"] for b in s["boundaries"]}
Iss = bnd["xmin"]
I0 = g["ohmic"] * dV / L * L  # A per unit depth: sigma_eff dV / L x the height L of the box
print(f"{s['cells']} cells, {s['solver']['steps']} steps; I_ss {Iss:.9g} A/m, I_0 {I0:.9g} A/m")
close(Iss / I0, t_pred, 1e-4, "transient Bruce-Vincent I_ss/I_0 = sigma_eff(t+ sigma_salt)/sigma_eff(sigma_salt)")
check(t_pred > tp, f"a conducting single-ion phase raises the composite's t+ ({t_pred:.4f} > {tp})")
finish()
