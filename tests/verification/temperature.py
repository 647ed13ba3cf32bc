# SPDX-License-Identifier: BSD-2-Clause
"""Temperature laws of the conductivity: a 1-D single-ion conductor between two contacts has
sigma_eff = sigma(T) exactly, for sigma(T) by Arrhenius (in sigma and in sigma T) and VTF through a
reference value at 25 C, at -20, 25 and 60 C; and a binary salt given by (sigma, t+) keeps its t+
while its conductivity follows the law (the diffusivities scale with sigma T)."""
import argparse
import math
from npptest import run, close, finish

ap = argparse.ArgumentParser()
ap.add_argument("--ranks", type=int, default=1)
a = ap.parse_args()
k = 8.617333262e-5
s0, Tref = 1e-2, 298.15
base = {"mesh_generator": "layers", "mesh_dim": 1, "mesh_size": 1e-5, "mesh_layers_thickness": [1e-4],
        "mesh_layers_regions": ["electrolyte"], "region_names": ["electrolyte"], "region_electrolyte_conductivity": s0,
        "bc_names": ["xmin", "xmax"], "bc_xmin_potential": 0.0, "bc_xmax_potential": 0.01}
laws = {
    "arrhenius": ({"region_electrolyte_activation_energy": 0.28}, lambda T: math.exp(-0.28 / k * (1 / T - 1 / Tref))),
    "arrhenius_sigma_t": ({"region_electrolyte_activation_energy": 0.28}, lambda T: Tref / T * math.exp(-0.28 / k * (1 / T - 1 / Tref))),
    "vtf": ({"region_electrolyte_vtf_b": 1000.0, "region_electrolyte_vtf_t0": 200.0}, lambda T: math.exp(-1000 / (T - 200) + 1000 / (Tref - 200))),
}
for law, (keys, f) in laws.items():
    for T in (253.15, 298.15, 333.15):
        o = dict(base, physics_temperature=T, region_electrolyte_conductivity_law=law, **keys)
        s, _ = run(f"temperature_{law}_{T:g}_np{a.ranks}", o, a.ranks)
        close(s["effective_conductivity"], s0 * f(T), 1e-10, f"{law} at {T - 273.15:+.0f} C: sigma_eff = sigma_ref x {f(T):.5g}")
# a binary salt: t+ is kept, the conductivity follows the law
o = dict(base, physics_temperature=333.15, region_electrolyte_conductivity_law="arrhenius", region_electrolyte_activation_energy=0.28,
         region_electrolyte_transference_number=0.3, region_electrolyte_li_concentration=1000, region_electrolyte_anion_concentration=1000)
s, _ = run(f"temperature_binary_np{a.ranks}", o, a.ranks)
r = s["regions"][0]
close(r["conductivity"], s0 * laws["arrhenius"][1](333.15), 1e-12, "binary salt at 60 C: resolved conductivity follows the law")
D = r["species"]
close(D["li"]["diffusivity"] / (D["li"]["diffusivity"] + D["anion"]["diffusivity"]), 0.3, 1e-12, "binary salt at 60 C: t+ kept")
# presets carry their law: Li5.7PS4.7Cl1.3 (paper 003) 4.8 mS/cm, 0.28 eV -> 26 mS/cm at 80 C (reference notes)
o = dict(base, physics_temperature=353.15, region_electrolyte_material="lpscl")
o.pop("region_electrolyte_conductivity")
s, _ = run(f"temperature_preset_np{a.ranks}", o, a.ranks)
close(s["effective_conductivity"], 0.48 * math.exp(-0.28 / k * (1 / 353.15 - 1 / Tref)), 1e-10, "lpscl preset at 80 C: Arrhenius 0.28 eV from 4.8 mS/cm")
close(s["effective_conductivity"], 2.62, 2e-3, "... = 26.2 mS/cm")
# a preset's law with a case's own conductivity (the law carries the given value)
o = dict(base, physics_temperature=253.15, region_electrolyte_material="phlp15")
s, _ = run(f"temperature_preset_override_np{a.ranks}", o, a.ranks)
close(s["effective_conductivity"], s0 * math.exp(-0.16 / k * (1 / 253.15 - 1 / Tref)), 1e-10, "phlp15 law (0.16 eV) on the case's conductivity at -20 C")
finish()
